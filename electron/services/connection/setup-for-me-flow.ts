/**
 * One "Set it up for me" flow's private side (setup-for-me.ts) and how its state changes: the state pushed to the
 * renderer while the flow is the current one, the admin's sign-in dropped (its tokens forgotten), and a failure
 * recorded with what was created so far — the sign-in then kept a while for undo, and the admin told when it ends.
 */
import type { SetupForMeState } from '../../../shared/contract/setup-for-me';
import type { AdminSession } from '../entra/registration/admin-sign-in';
import type { createRegistrationService } from '../entra/registration/registration-service';
import { RegistrationError, type CreatedSoFar, type RegistrationRequest } from '../entra/registration/registration-types';
import type { Clock, Logger } from '../ports';
import { failureOf, hasSomethingToUndo, publicCreated, signInEndedNotice } from './setup-for-me-state';

/** One flow's private side: what never reaches the renderer. */
export interface Flow {
  state: SetupForMeState;
  session?: AdminSession;
  abort: AbortController;
  created?: CreatedSoFar;
  request?: RegistrationRequest;
  service?: ReturnType<typeof createRegistrationService>;
  cancelHold?: () => void;
  /** The tenant the admin signed in to (kept after the sign-in is dropped, for "Continue by hand"). */
  tenantId?: string;
  /** The sign-in or run under way, which cancel waits for (it ends at once, or before the next Graph write). */
  work?: Promise<void>;
}

/** What the flow's state changes are built with (the flow's own deps, and which flow is the current one). */
export interface FlowControlDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Pushes the state to the renderer (`setupForMe:changed`). */
  readonly emit: (state: SetupForMeState | null) => void;
  /** How long a failed flow keeps the sign-in for undo. Default 15 minutes. */
  readonly holdSignInMs?: number;
}

/** The state changes of a flow; only the current flow's state is pushed to the renderer. */
export function flowControls(deps: FlowControlDeps, isCurrent: (f: Flow) => boolean) {
  const { clock, logger } = deps;

  const set = (f: Flow, patch: Partial<SetupForMeState>) => {
    f.state = { ...f.state, ...patch };
    if (isCurrent(f)) deps.emit(f.state);
    return f.state;
  };

  /** Drops the admin's sign-in: its tokens are forgotten. */
  const dropSession = async (f: Flow) => {
    f.cancelHold?.();
    f.cancelHold = undefined;
    const session = f.session;
    f.session = undefined;
    if (session) await session.close().catch(() => undefined);
    if (f.state.canUndo) set(f, { canUndo: false });
  };

  const failed = (f: Flow, error: unknown) => {
    const created = error instanceof RegistrationError ? error.created : f.created;
    f.created = created;
    const failure = failureOf(error);
    const something = hasSomethingToUndo(created);
    const canUndo = f.state.kind === 'create' && something && f.session !== undefined;
    logger.warn('set up for me failed', { kind: f.state.kind, step: failure.step, code: failure.code });
    set(f, {
      // Cancelled with nothing created ends quietly; with something created it is shown as a failure, with undo.
      phase: failure.code === 'cancelled' && !something ? 'cancelled' : 'failed',
      failure: {
        step: failure.step,
        code: failure.code,
        message: failure.message,
        fix: failure.fix,
        ...(failure.detail ? { detail: failure.detail } : {}),
      },
      ...(created ? { created: publicCreated(created) } : {}),
      deviceCode: undefined,
      canUndo,
    });
    if (canUndo) {
      // The sign-in is kept for undo a while, then dropped all the same, and the admin is told.
      const holdMs = deps.holdSignInMs ?? 15 * 60_000;
      f.cancelHold = clock.setTimeout(() => {
        f.cancelHold = undefined;
        void dropSession(f).then(() => set(f, { notice: signInEndedNotice(holdMs, f.state.name, created) }));
      }, holdMs);
    } else {
      void dropSession(f);
    }
  };

  return { set, dropSession, failed };
}
