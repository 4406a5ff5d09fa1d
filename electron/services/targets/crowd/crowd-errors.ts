/**
 * Crowd's failures as the port's {@link TargetErrorCode}s with a reason and a sentence saying what happened and what
 * to do. Crowd's `reason` decides first (USER_NOT_FOUND, MEMBERSHIP_ALREADY_EXISTS, …); the texts only tell a
 * licence limit, a read-only directory or a refused address apart where the reason is shared (atlassian-facts.md:
 * which reason a read-only directory gives is uncertain, so APPLICATION_PERMISSION_DENIED, PERMISSION_DENIED,
 * OPERATION_FAILED and INVALID_USER with a read-only text are all read as one).
 */
import { NetworkFailureError } from '../../http/network-error';
import { CircuitOpenError } from '../remote/pacer';
import { RemoteTargetError, soNotChanged } from '../remote/remote-error';
import { CrowdHttpError } from './crowd-client';

const USER_LIMIT = /licen[cs]e|user limit|number of users/i;
const READ_ONLY = /read[- ]?only|permission|cannot (be )?(edit|update|modif)|not (editable|writable)/i;
const NOT_ALLOWED = /not allowed to access|forbidden from making requests/i;
const READ_ONLY_REASONS = new Set(['APPLICATION_PERMISSION_DENIED', 'PERMISSION_DENIED', 'OPERATION_FAILED', 'INVALID_USER']);

/** Crowd refuses this machine's address (the application's remote-address allow-list). */
export const isAddressRefused = (e: CrowdHttpError) =>
  e.status === 403 && (NOT_ALLOWED.test(e.text) || e.reason === 'APPLICATION_ACCESS_DENIED');
export const isUserLimit = (e: CrowdHttpError) => USER_LIMIT.test(e.text);
/** The answer reads as "this object lives in a directory the application cannot write". */
export const isReadOnly = (e: CrowdHttpError) =>
  !isAddressRefused(e) &&
  !isUserLimit(e) &&
  READ_ONLY_REASONS.has(e.reason) &&
  (e.reason !== 'INVALID_USER' || READ_ONLY.test(e.text)) &&
  (e.status === 403 || READ_ONLY.test(e.text));

/** Where the admin allows this machine, in Crowd's words. */
export const addressFix = (app: string) =>
  `Crowd refuses this machine's address: add it under Applications → ${app || '<application>'} → Remote addresses, then try again.`;

export interface CrowdErrorContext {
  /** The application name, for the fixes. */
  readonly application: string;
  /** The write changes an existing user or its memberships (a refusal then means a read-only directory). */
  readonly existingUser?: boolean;
}

/** Maps anything a Crowd call threw; `what` names the object in the admin's words ("user anna.berg"). */
export function crowdTargetError(error: unknown, what: string, ctx: CrowdErrorContext): RemoteTargetError {
  if (error instanceof RemoteTargetError) return error;
  if (error instanceof CircuitOpenError) {
    return new RemoteTargetError(
      'unavailable',
      'circuit-open',
      `Crowd failed ${error.failures} calls in a row, so ${what} was not tried. Check that Crowd is up, then run the sync again.`,
    );
  }
  if (error instanceof NetworkFailureError)
    return new RemoteTargetError('unavailable', 'network', `${what}: ${error.failure.message}`);
  if (!(error instanceof CrowdHttpError)) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const said = error.text ? ` Crowd said: "${error.text}"${error.reason ? ` (${error.reason})` : ''}` : '';
  if (error.status === 401) {
    return new RemoteTargetError(
      'rejected',
      'token-rejected',
      `Crowd did not accept the application name and password (401), ${soNotChanged(what)}. Check them under Applications → ${ctx.application || '<application>'} in Crowd and save them in the target.`,
    );
  }
  if (isAddressRefused(error))
    return new RemoteTargetError('rejected', 'forbidden', `${what} was not changed. ${addressFix(ctx.application)}`);
  if (isUserLimit(error)) {
    return new RemoteTargetError(
      'rejected',
      'user-limit',
      `Crowd's licensed-user limit is reached, so ${what} was not created or activated. Deactivate users or extend the Crowd licence; updates and deactivations go on.${said}`,
    );
  }
  if (ctx.existingUser && isReadOnly(error)) {
    return new RemoteTargetError(
      'unsupported',
      'read-only-directory',
      `Cannot change ${what} here: Crowd keeps the account in a directory the application cannot write (a read-only LDAP directory, or one without the Modify user permission). Change it at its source.${said}`,
    );
  }
  switch (error.status) {
    case 403:
      return new RemoteTargetError(
        'rejected',
        'forbidden',
        `Crowd refused ${what} (403): the application lacks the permission in its directories. In Crowd, open Applications → ${ctx.application || '<application>'} → Permissions and allow adding, modifying and removing users and groups.${said}`,
      );
    case 404:
      return new RemoteTargetError('not-found', 'not-found', `${what} does not exist in Crowd.${said}`);
    case 409:
      return new RemoteTargetError('conflict', 'duplicate', `${what}: already there in Crowd.${said}`);
    case 429:
      return new RemoteTargetError(
        'unavailable',
        'rate-limited',
        `Crowd (or a proxy in front of it) kept answering "too many requests" for ${what}, even after waiting as asked. Run the sync again later.`,
      );
    default:
      break;
  }
  if (error.status >= 500)
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `Crowd failed (${error.status}) on ${what}; try again later.${said}`,
    );
  return new RemoteTargetError('rejected', 'invalid', `Crowd refused ${what} (${error.status}).${said}`);
}
