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
