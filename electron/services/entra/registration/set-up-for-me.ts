/**
 * What a host's handlers drive for "Create it for me": one run at a time from sign-in to stored connection, with
 * answers safe for the renderer (no token, no secret: the secret goes to the store only). The admin's session stays
 * open after a failure so that `undo` can remove what was created, and is closed — its token dropped — after a
 * success, after undo, on `close`, or when left idle for `idleMs` of the clock.
 *
 * ```ts
 * const setUp = createSetUpForMe({ cloud, transport, store, publicClient, openBrowser: (url) => shell.openExternal(url) });
 * const outcome = await setUp.start({ method: 'device-code', name }, { onDeviceCode, onProgress });
 * if (!outcome.ok && outcome.canUndo) await setUp.undo();
 * ```
 */
import type { Cloud } from '../../../../shared/clouds';
import type { HttpTransport } from '../../http/transport';
import { systemClock, type Clock, type Logger } from '../../ports';
import type { ValidationInput } from '../validator';
import type { ValidationReport } from '../../../../shared/validation';
import { signInAdmin, type AdminSession } from './admin-sign-in';
import { createRegistrationService, type RegistrationStore } from './registration-service';
import {
  RegistrationError,
  type CreatedSoFar,
  type PublicClientChoice,
  type RegistrationFailure,
  type RegistrationPlan,
  type RegistrationProgress,
  type RegistrationRequest,
  type RegistrationResult,
} from './registration-types';

export interface SetUpForMeOptions {
  readonly cloud: Cloud;
  readonly transport: HttpTransport;
  readonly store: RegistrationStore;
  readonly publicClient: PublicClientChoice;
  /** Opens the system browser (Electron: shell.openExternal; browser host: the renderer opens the URL). */
  readonly openBrowser?: (url: string) => Promise<void>;
  readonly tenant?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly validate?: (input: ValidationInput) => Promise<ValidationReport>;
  /** How long a failed run's session is kept for undo. Default 10 minutes. */
  readonly idleMs?: number;
}

/** Events of a run. */
export interface SetUpEvents {
  readonly onDeviceCode?: (code: {
    readonly verificationUri: string;
    readonly userCode: string;
    readonly message: string;
  }) => void;
  readonly onProgress?: (progress: RegistrationProgress) => void;
}

/** A run's outcome, for the renderer: never a token or the secret. */
export type SetUpOutcome =
  | { readonly ok: true; readonly result: Omit<RegistrationResult, 'secret'> }
  | { readonly ok: false; readonly failure: RegistrationFailure; readonly created: CreatedSoFar; readonly canUndo: boolean };

export interface SetUpForMe {
  plan(request?: RegistrationRequest): RegistrationPlan;
  start(
    request: RegistrationRequest & { readonly method: 'browser' | 'device-code' },
    events?: SetUpEvents,
  ): Promise<SetUpOutcome>;
  /** Removes what the last failed run created; false when there is nothing to undo (or the session expired). */
  undo(): Promise<boolean>;
  /**
   * Cancels the sign-in in progress, or the steps before their next Graph write (the outcome then names what was
   * created, with `canUndo`).
   */
  cancel(): void;
  /** Drops the admin's session. */
  close(): Promise<void>;
}

/** Creates the orchestrator. */
export function createSetUpForMe(options: SetUpForMeOptions): SetUpForMe {
  const clock = options.clock ?? systemClock;
  const service = createRegistrationService({
    cloud: options.cloud,
    transport: options.transport,
    store: options.store,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.validate ? { validate: options.validate } : {}),
  });
  let running = false;
  let abort: AbortController | undefined;
  let kept: { session: AdminSession; created: CreatedSoFar; stopTimer: () => void } | undefined;

  const drop = async () => {
    const k = kept;
    kept = undefined;
    if (k) {
      k.stopTimer();
      await k.session.close();
    }
  };

  return {
    plan: (request) => service.plan(request),

    async start(request, events = {}) {
      if (running) throw new Error('A set-up is already running: wait for it or cancel it.');
      running = true;
      await drop();
      abort = new AbortController();
      const signal = abort.signal;
      let session: AdminSession | undefined;
      try {
        service.plan(request);
        const base = {
          cloud: options.cloud,
          transport: options.transport,
          publicClient: options.publicClient,
          ...(options.tenant ? { tenant: options.tenant } : {}),
        };
        if (request.method === 'browser') {
          const openBrowser = options.openBrowser;
          if (!openBrowser) throw new Error('This host cannot open a browser: use the device code.');
          session = await signInAdmin(base, { kind: 'interactive', openBrowser, signal });
        } else {
          session = await signInAdmin(base, { kind: 'device-code', signal, onCode: (c) => events.onDeviceCode?.(c) });
        }
        const { secret: _secret, ...result } = await service.run(session, request, {
          signal,
          ...(events.onProgress ? { onProgress: events.onProgress } : {}),
        });
        await session.close();
        return { ok: true, result };
      } catch (error) {
        if (!(error instanceof RegistrationError)) {
          await session?.close();
          throw error;
        }
        const canUndo = session !== undefined && (error.created.appObjectId !== undefined || error.created.stored === true);
        if (canUndo && session) {
          const s = session;
          kept = {
            session: s,
            created: error.created,
            stopTimer: clock.setTimeout(() => void drop(), options.idleMs ?? 600_000),
          };
        } else {
          await session?.close();
        }
        return { ok: false, failure: error.failure, created: error.created, canUndo };
      } finally {
        running = false;
        abort = undefined;
      }
    },

    async undo() {
      const k = kept;
      if (!k) return false;
      try {
        await service.undo(k.session, k.created);
        return true;
      } finally {
        await drop();
      }
    },

    cancel: () => abort?.abort(),
    close: drop,
  };
}
