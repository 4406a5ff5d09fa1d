import { AppError } from '../../../shared/errors';
import type { SyncErrorCode, SyncErrorShape } from '../../../shared/sync';
import { TargetError } from '../targets/directory-target';
import { RemoteTargetError, type RemoteFailureReason } from '../targets/remote/remote-error';

/**
 * The code and message a run ends with when `error` stopped it. A target's own failure keeps its message (it says
 * which call failed and why) under a run code the screens have advice for: a refused token is not "something failed
 * inside the app". Anything that is not one of our errors is `internal-error`, its text only in the log.
 */
export function runErrorOf(error: unknown): SyncErrorShape {
  if (error instanceof RemoteTargetError)
    return { code: remoteRunCodes[error.reason] ?? 'target-failed', message: error.message };
  if (error instanceof TargetError) return { code: 'target-failed', message: error.message };
  if (error instanceof AppError) return { code: error.code as SyncErrorCode, message: error.message };
  return { code: 'internal-error', message: 'The sync failed unexpectedly; the details are in the log.' };
}

const remoteRunCodes: Partial<Record<RemoteFailureReason, SyncErrorCode>> = {
  'token-rejected': 'target-token-rejected',
  forbidden: 'target-forbidden',
  network: 'target-unavailable',
  'server-error': 'target-unavailable',
  'circuit-open': 'target-unavailable',
  'rate-limited': 'target-unavailable',
};
