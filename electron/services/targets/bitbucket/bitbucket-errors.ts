/**
 * Bitbucket's failures as the port's {@link TargetErrorCode}s with a reason and a sentence saying what happened and
 * what to do. Status and exception names decide; the texts only tell an HTTP access token (which cannot hold global
 * ADMIN, BSERV-10482) or the licence limit apart from other refusals. Bitbucket answers a missing permission with 401
 * (`AuthorisationException`) as well as with 403: both read as "not an administrator", a wrong password is 401 with
 * an authentication exception.
 */
import { NetworkFailureError } from '../../http/network-error';
import { CircuitOpenError } from '../remote/pacer';
import { RemoteTargetError, soNotChanged } from '../remote/remote-error';
import { BitbucketHttpError } from './bitbucket-client';

const LICENCE = /licen[cs]e/i;
const TOKEN_ADMIN = /tokens? may not have the following permission/i;
const AUTHORISATION = /Authori[sz]ationException|PermissionException/;

/** A refusal for want of a permission (401 AuthorisationException, or 403 that is not the licence limit). */
export const isPermissionRefusal = (e: BitbucketHttpError) =>
  (e.status === 401 && (e.hasException(AUTHORISATION) || TOKEN_ADMIN.test(e.text))) ||
  (e.status === 403 && !LICENCE.test(e.text));
export const isTokenAdminRefusal = (e: BitbucketHttpError) => TOKEN_ADMIN.test(e.text);
export const isLicenceLimit = (e: BitbucketHttpError) => e.status === 403 && LICENCE.test(e.text);

export const tokenAdminSentence =
  "Bitbucket's HTTP access tokens cannot hold the global ADMIN permission that managing users needs (BSERV-10482). Use an administrator's username and password instead.";

/** Maps anything a Bitbucket call threw; `what` names the object in the admin's words ("user anna.berg"). */
export function bitbucketTargetError(error: unknown, what: string): RemoteTargetError {
  if (error instanceof RemoteTargetError) return error;
  if (error instanceof CircuitOpenError) {
    return new RemoteTargetError(
      'unavailable',
      'circuit-open',
      `Bitbucket failed ${error.failures} calls in a row, so ${what} was not tried. Check that Bitbucket is up, then run the sync again.`,
    );
  }
  if (error instanceof NetworkFailureError)
    return new RemoteTargetError('unavailable', 'network', `${what}: ${error.failure.message}`);
  if (!(error instanceof BitbucketHttpError)) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const said = error.text.trim() ? ` Bitbucket said: "${error.text.trim()}"` : '';
  if (isTokenAdminRefusal(error)) {
    return new RemoteTargetError('rejected', 'forbidden', `Bitbucket refused ${what}: ${tokenAdminSentence}`);
  }
  if (isLicenceLimit(error)) {
    return new RemoteTargetError(
      'rejected',
      'user-limit',
      `Bitbucket's licensed-user limit is reached, so ${what} got no licence. Free seats (remove users from the groups that grant a licence) or extend the licence; updates go on.${said}`,
    );
  }
  if (isPermissionRefusal(error)) {
    return new RemoteTargetError(
      'rejected',
      'forbidden',
      `Bitbucket refused ${what} (${error.status}): the signed-in user needs the global Admin or System admin permission.${said}`,
    );
  }
  switch (error.status) {
    case 401:
      return new RemoteTargetError(
        'rejected',
        'token-rejected',
        `Bitbucket did not accept the username and password (401), ${soNotChanged(what)}. The password may have changed or basic authentication may be turned off: save the administrator's current password in the target.`,
      );
    case 404:
      return new RemoteTargetError('not-found', 'not-found', `${what} does not exist in Bitbucket.${said}`);
    case 409:
      return new RemoteTargetError('conflict', 'duplicate', `${what}: Bitbucket refused it as a conflict.${said}`);
    case 429:
      return new RemoteTargetError(
        'unavailable',
        'rate-limited',
        `Bitbucket kept answering "too many requests" for ${what}, even after waiting as it asked. Run the sync again later, or ask the Bitbucket admin to exempt the sync's user from rate limiting.`,
      );
    default:
      break;
  }
  if (error.status >= 500) {
    return new RemoteTargetError(
      'unavailable',
      'server-error',
      `Bitbucket failed (${error.status}) on ${what}; try again later.${said}`,
    );
  }
  if (error.hasException(/NotMutable|ReadOnly/i)) {
    return new RemoteTargetError(
      'unsupported',
      'read-only-directory',
      `Cannot change ${what} here: it belongs to a read-only directory (LDAP or Crowd). Change it at its source.${said}`,
    );
  }
  return new RemoteTargetError('rejected', 'invalid', `Bitbucket refused ${what} (${error.status}).${said}`);
}
