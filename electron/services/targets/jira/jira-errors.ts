/**
 * Jira's failures as the port's {@link TargetErrorCode}s with a reason and a sentence saying what happened and what
 * to do. Jira's message texts vary by version (atlassian-facts.md: treat them as opaque), so status and field
 * errors decide first; the texts only tell a read-only directory or a licence limit apart from other refusals.
 */
import { NetworkFailureError } from '../../http/network-error';
import { CircuitOpenError } from '../remote/pacer';
import { RemoteTargetError, soNotChanged } from '../remote/remote-error';
import { JiraHttpError } from './jira-client';

const READ_ONLY = /read[- ]?only|cannot (be )?(edit|update|modif)|not (editable|writable)/i;
const USER_LIMIT = /licen[cs]e|user limit|seats?|number of users/i;

/** True when Jira's refusal reads as "this user lives in a directory we cannot write". */
export const looksReadOnly = (error: JiraHttpError) => READ_ONLY.test(error.text);
export const looksLikeUserLimit = (error: JiraHttpError) => USER_LIMIT.test(error.text);

/** Maps anything a Jira call threw; `what` names the object in the admin's words ("user anna.berg"). */
export function jiraTargetError(error: unknown, what: string): RemoteTargetError {
  if (error instanceof RemoteTargetError) return error;
  if (error instanceof CircuitOpenError) {
    return new RemoteTargetError(
      'unavailable',
      'circuit-open',
      `Jira failed ${error.failures} calls in a row, so ${what} was not tried. Check that Jira is up, then run the sync again.`,
    );
  }
  if (error instanceof NetworkFailureError) {
    return new RemoteTargetError('unavailable', 'network', `${what}: ${error.failure.message}`);
  }
  if (!(error instanceof JiraHttpError)) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const said = error.text.trim() ? ` Jira said: "${error.text.trim()}"` : '';
  switch (error.status) {
    case 401:
      return new RemoteTargetError(
        'rejected',
        'token-rejected',
        `Jira did not accept the personal access token (401), ${soNotChanged(what)}. The token may be expired, revoked or mistyped: create a new one in Jira (Profile → Personal Access Tokens) and save it in the target.`,
      );
    case 403:
      return new RemoteTargetError(
        'rejected',
        'forbidden',
        `Jira refused ${what} (403): the token's user needs the Jira Administrators global permission.${said}`,
      );
    case 404:
      return new RemoteTargetError('not-found', 'not-found', `${what} does not exist in Jira.${said}`);
    case 409:
      return new RemoteTargetError('conflict', 'duplicate', `${what}: the name is already taken in Jira.${said}`);
    case 429:
      return new RemoteTargetError(
        'unavailable',
        'rate-limited',
        `Jira kept answering "too many requests" for ${what}, even after waiting as it asked. Run the sync again later, or ask the Jira admin to exempt the token's user from rate limiting.`,
      );
    default:
      break;
  }
  if (error.status >= 500) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `Jira failed (${error.status}) on ${what}; try again later.${said}`,
    );
  }
  if (error.errors.username || error.errors.name) {
    return new RemoteTargetError('conflict', 'duplicate', `${what}: ${error.errors.username ?? error.errors.name}`);
  }
  if (looksLikeUserLimit(error)) {
    return new RemoteTargetError(
      'rejected',
      'user-limit',
      `Jira's licensed-user limit is reached, so ${what} was not created. Free seats (deactivate users or remove application access) or extend the licence; updates and deactivations go on.${said}`,
    );
  }
  if (looksReadOnly(error)) {
    return new RemoteTargetError(
      'unsupported',
      'read-only-directory',
      `Cannot change ${what} here: it belongs to a read-only directory (LDAP or Crowd). Change it at its source.${said}`,
    );
  }
  return new RemoteTargetError('rejected', 'invalid', `Jira refused ${what} (${error.status}).${said}`);
}
