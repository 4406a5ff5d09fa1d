import { TargetError, type TargetErrorCode } from '../directory-target';

/**
 * Why a remote target refused or failed, finer than {@link TargetErrorCode}: what the UI and the plan act on
 * ("cannot change here: read-only directory", "user limit reached", "token not accepted").
 */
export type RemoteFailureReason =
  | 'token-rejected'
  | 'forbidden'
  | 'read-only-directory'
  | 'user-limit'
  | 'duplicate'
  | 'invalid'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'circuit-open'
  | 'cannot-rename-group';

/** A failed remote target operation: the port's code plus the reason. Messages never carry a credential. */
export class RemoteTargetError extends TargetError {
  constructor(
    code: TargetErrorCode,
    readonly reason: RemoteFailureReason,
    message: string,
  ) {
    super(code, message);
    this.name = 'RemoteTargetError';
  }
}

/**
 * The end of a refused call's sentence: `so user anna.berg was not changed`, but for a read (`what` is "reading …")
 * `when reading Jira users; nothing was changed` — a read changes nothing, and "so reading … was not changed" is
 * not a sentence.
 */
export function soNotChanged(what: string): string {
  return /^reading\b/i.test(what) ? `when ${what}; nothing was changed` : `so ${what} was not changed`;
}
