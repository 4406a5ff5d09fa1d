/**
 * Confluence's failures as the port's {@link TargetErrorCode}s with a reason and a sentence saying what happened
 * and what to do. Status decides first (402 is the licence, 409 an existing name); the message text only tells a
 * read-only directory apart from other refusals, since Confluence's REST API does not say which directory a user is in.
 */
import { NetworkFailureError } from '../../http/network-error';
import { CircuitOpenError } from '../remote/pacer';
import { RemoteTargetError, soNotChanged } from '../remote/remote-error';
import { ConfluenceHttpError } from './confluence-client';

const READ_ONLY = /read[- ]?only|cannot be (modified|changed|edited)|not (editable|writable)/i;

/** The licence message, with how many creations it stopped (the plan's notes count them). */
export const licenceMessage = (notCreated: number) =>
  `Confluence has no licence seat left: ${notCreated} ${notCreated === 1 ? 'user was' : 'users were'} not created; buy seats or free some, then sync again.`;

/** Maps anything a Confluence call threw; `what` names the object in the admin's words ("user anna.berg"). */
export function confluenceTargetError(error: unknown, what: string): RemoteTargetError {
  if (error instanceof RemoteTargetError) return error;
  if (error instanceof CircuitOpenError) {
    return new RemoteTargetError(
      'unavailable',
      'circuit-open',
      `Confluence failed ${error.failures} calls in a row, so ${what} was not tried. Check that Confluence is up, then run the sync again.`,
    );
  }
  if (error instanceof NetworkFailureError)
    return new RemoteTargetError('unavailable', 'network', `${what}: ${error.failure.message}`);
  if (!(error instanceof ConfluenceHttpError)) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const said = error.text ? ` Confluence said: "${error.text}"` : '';
  if (READ_ONLY.test(error.text) && (error.status === 400 || error.status === 403)) {
    return new RemoteTargetError(
      'unsupported',
      'read-only-directory',
      `Cannot change ${what} here: it belongs to a read-only directory (LDAP or Crowd). Change it at its source.${said}`,
    );
  }
  switch (error.status) {
    case 401:
      return new RemoteTargetError(
        'rejected',
        'token-rejected',
        `Confluence did not accept the personal access token (401), ${soNotChanged(what)}. The token may be expired, revoked or mistyped: create a new one in Confluence (Profile → Settings → Personal Access Tokens) and save it in the target.`,
      );
    case 402:
      return new RemoteTargetError(
        'rejected',
        'user-limit',
        `Confluence has no licence seat left, so ${what} was not created (or enabled); buy seats or free some, then sync again.${said}`,
      );
    case 403:
      return new RemoteTargetError(
        'rejected',
        'forbidden',
        `Confluence refused ${what} (403): the token's user needs Confluence administrator rights (confluence-administrators).${said}`,
      );
    case 404:
      return new RemoteTargetError('not-found', 'not-found', `${what} does not exist in Confluence.${said}`);
    case 409:
      return new RemoteTargetError('conflict', 'duplicate', `${what}: the name is already taken in Confluence.${said}`);
    case 429:
      return new RemoteTargetError(
        'unavailable',
        'rate-limited',
        `Confluence kept answering "too many requests" for ${what}, even after waiting as it asked. Run the sync again later, or ask the Confluence admin to exempt the token's user from rate limiting.`,
      );
    default:
      break;
  }
  if (error.status >= 500) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `Confluence failed (${error.status}) on ${what}; try again later.${said}`,
    );
  }
  return new RemoteTargetError('rejected', 'invalid', `Confluence refused ${what} (${error.status}).${said}`);
}
