/**
 * A SCIM service's failures as the port's {@link TargetErrorCode}s with a reason and a sentence saying what happened
 * and what to do. The status and RFC 7644's `scimType` decide (`uniqueness` is a duplicate, `mutability` a refused
 * change); the service's `detail` is quoted, never interpreted.
 */
import { NetworkFailureError } from '../../http/network-error';
import { CircuitOpenError } from '../remote/pacer';
import { RemoteTargetError, soNotChanged } from '../remote/remote-error';
import { ScimHttpError } from './scim-client';

/** Maps anything a SCIM call threw; `what` names the object in the admin's words ("user anna.berg"). */
export function scimTargetError(error: unknown, what: string, service = 'The SCIM service'): RemoteTargetError {
  if (error instanceof RemoteTargetError) return error;
  if (error instanceof CircuitOpenError) {
    return new RemoteTargetError(
      'unavailable',
      'circuit-open',
      `${service} failed ${error.failures} calls in a row, so ${what} was not tried. Check that it is up, then run the sync again.`,
    );
  }
  if (error instanceof NetworkFailureError) {
    return new RemoteTargetError('unavailable', 'network', `${what}: ${error.failure.message}`);
  }
  if (!(error instanceof ScimHttpError)) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const said = error.detail.trim() ? ` It said: "${error.detail.trim()}"` : '';
  switch (error.status) {
    case 401:
      return new RemoteTargetError(
        'rejected',
        'token-rejected',
        `${service} did not accept the bearer token (401), ${soNotChanged(what)}. The token may be expired, revoked or mistyped: create a new one (Atlassian Cloud: Atlassian Administration → Security → Identity providers → your directory → Regenerate API key) and save it in the target.`,
      );
    case 403:
      return new RemoteTargetError(
        'rejected',
        'forbidden',
        `${service} refused ${what} (403): the token may not change users and groups.${said}`,
      );
    case 404:
      return new RemoteTargetError(
        'not-found',
        'not-found',
        `${what} does not exist in ${service.replace(/^The /, 'the ')}.${said}`,
      );
    case 409:
      return new RemoteTargetError('conflict', 'duplicate', `${what}: another account already holds this name or e-mail.${said}`);
    case 429:
      return new RemoteTargetError(
        'unavailable',
        'rate-limited',
        `${service} kept answering "too many requests" for ${what}, even after waiting as it asked. Run the sync again later.`,
      );
    default:
      break;
  }
  if (error.status >= 500) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${service} failed (${error.status}) on ${what}; try again later.${said}`,
    );
  }
  if (error.scimType === 'uniqueness') {
    return new RemoteTargetError('conflict', 'duplicate', `${what}: another account already holds this name or e-mail.${said}`);
  }
  return new RemoteTargetError(
    'rejected',
    'invalid',
    `${service} refused ${what} (${error.status}${error.scimType ? `, ${error.scimType}` : ''}).${said}`,
  );
}
