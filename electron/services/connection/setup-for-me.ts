/**
 * "Set it up for me" and "Rotate the secret for me" in the app (issue 16): one flow at a time — the admin signs in
 * (system browser with msal's loopback redirect, or a device code), then the registration service creates the
 * application, service principal, consent and secret and the connection service stores them (or the secret is
 * rotated). The admin's sign-in is held in memory only for the flow and for undo, and dropped when the flow ends;
 * the state pushed to the renderer carries ids, hints and words, never a token or the new secret.
 *
 * On the demo tenant ("Try it on the demo tenant") the demo tenant is started if needed and approves the sign-in as
 * its Global Administrator; the application it creates there becomes the demo connection.
 *
 * ```ts
 * const flow = createSetupForMe({ connection, dataDir, clock, logger, emit, openBrowser });
 * await flow.start({ kind: 'create', name, secretMonths: 12, method: 'device-code', demo: false });
 * // state pushed through `emit`: signing-in (device code) → existing? → running (steps) → succeeded | failed
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { WizardStep } from '../../../shared/contract/connection';
import type { PublicClientSetting, SetupForMePlan, SetupForMeState, SignInMethodId } from '../../../shared/contract/setup-for-me';
import { AppError } from '../../../shared/errors';
import type { AdminSession } from '../entra/registration/admin-sign-in';
import { createRegistrationService } from '../entra/registration/registration-service';
import { buildPlan } from '../entra/registration/registration-plan';
import { RegistrationError, type RegistrationRequest } from '../entra/registration/registration-types';
import type { Clock, Logger } from '../ports';
import type { ConnectionService } from './connection-service';
import { flowStore, rotateForMe, signInForFlow, type AdminContext } from './setup-for-me-admin';
import { flowControls, type Flow } from './setup-for-me-flow';
import {
  handOffStep,
  pendingSteps,
  readPublicClient,
  rotationAt,
  rotationStepList,
  stepsBefore,
  withProgress,
  writePublicClient,
} from './setup-for-me-state';

/** What the flow is built with. */
export interface SetupForMeDeps {
  readonly connection: Pick<
    ConnectionService,
    'get' | 'save' | 'test' | 'saveDraft' | 'startDemo' | 'adminContext' | 'adoptDemoApp' | 'demoControl'
  >;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Pushes the state to the renderer (`setupForMe:changed`). */
  readonly emit: (state: SetupForMeState | null) => void;
  /** Opens the sign-in page in the system browser (Electron) or in a new tab of the window (browser host). */
  readonly openBrowser: (url: string) => Promise<void>;
  /** How long a failed flow keeps the sign-in for undo. Default 15 minutes. */
  readonly holdSignInMs?: number;
  /** How long the sign-in waits for the admin. Default 15 minutes (a device code's lifetime). */
  readonly signInTimeoutMs?: number;
  /** Passed on to the registration service (tests shorten them). */
  readonly replicationBudgetMs?: number;
  readonly validationBudgetMs?: number;
}

export type SetupStart =
  | { kind: 'create'; name: string; secretMonths: number; method: SignInMethodId; demo: boolean }
  | { kind: 'rotate'; secretMonths: number; method: SignInMethodId };

export interface SetupForMe {
  plan(request: { name?: string; secretMonths?: number }): Promise<SetupForMePlan>;
  savePublicClient(setting: PublicClientSetting): PublicClientSetting;
  state(): SetupForMeState | null;
  start(request: SetupStart): Promise<SetupForMeState>;
  continueWith(choice: { reuse: boolean; name?: string }): Promise<SetupForMeState>;
  cancel(): Promise<SetupForMeState | null>;
  undo(): Promise<SetupForMeState>;
  handOff(): Promise<{ step: WizardStep }>;
  dismiss(): Promise<null>;
  close(): Promise<void>;
}

/** Creates the flow holder. */
export function createSetupForMe(deps: SetupForMeDeps): SetupForMe {
  const { connection, clock, logger } = deps;
  let flow: Flow | undefined;
  const { set, dropSession, failed } = flowControls(deps, (f) => flow === f);

  const current = (): Flow => {
    if (!flow) throw new AppError('no-flow', 'Nothing is being set up: start "Create it for me" again.');
    return flow;
  };

  /** The registration, from the existing-application check on. */
  const register = async (f: Flow, request: RegistrationRequest) => {
    const session = f.session as AdminSession;
    const service = f.service as ReturnType<typeof createRegistrationService>;
    f.request = request;
    set(f, { phase: 'running', name: request.name, steps: pendingSteps(service.plan(request).steps) });
    try {
      const result = await service.run(session, request, {
        signal: f.abort.signal,
        onProgress: (p) => {
          if (p.step === 'store-validate' && p.status === 'running')
            f.created = { ...(f.created ?? { reused: false }), stored: true };
          set(f, { steps: withProgress(f.state.steps, p, clock.now()) });
        },
      });
      // The live test passed; one more through the connection records it, so the dashboard and wizard show it.
      await connection.test({ retest: true }).catch(() => undefined);
      await dropSession(f);
      set(f, {
        phase: 'succeeded',
        result: {
          tenantId: result.tenantId,
          clientId: result.clientId,
          reused: result.reused,
          secretHint: result.secretHint,
          secretExpiresAt: result.secretExpiresAt,
        },
        created: {
          appId: result.clientId,
          appObjectId: result.appObjectId,
          consentGranted: true,
          secretKeyId: result.secretKeyId,
          reused: result.reused,
        },
      });
      logger.info('set up for me: connection created', { clientId: result.clientId, reused: result.reused });
    } catch (error) {
      failed(f, error);
    }
  };

  const runCreate = async (f: Flow, request: RegistrationRequest) => {
    const session = f.session as AdminSession;
    const service = f.service as ReturnType<typeof createRegistrationService>;
    try {
      const existing = await service.findExisting(session, request.name);
      const found = existing[0];
      if (found) {
        set(f, {
          phase: 'existing',
          existing: { appId: found.appId, displayName: found.displayName, createdDateTime: found.createdDateTime },
        });
        f.request = request;
        return;
      }
    } catch (error) {
      failed(f, error);
      return;
    }
    await register(f, request);
  };

  const runRotate = async (f: Flow, months: number, ctx: AdminContext) => {
    set(f, { phase: 'running' });
    try {
      const rotation = await rotateForMe(f.session as AdminSession, months, ctx, {
        connection,
        clock,
        logger,
        ...(deps.validationBudgetMs === undefined ? {} : { validationBudgetMs: deps.validationBudgetMs }),
        onProgress: (step, message) => set(f, { steps: rotationAt(f.state.steps, step, message, clock.now()) }),
      });
      await dropSession(f);
      set(f, {
        phase: 'succeeded',
        steps: f.state.steps.map((s) => ({ id: s.id, title: s.title, detail: s.detail, status: 'done', message: '' })),
        rotation,
      });
    } catch (error) {
      failed(f, error);
    }
  };

  const signIn = (f: Flow, method: SignInMethodId, ctx: AdminContext) =>
    signInForFlow(method, ctx, {
      signal: f.abort.signal,
      tenantId: connection.get().tenantId,
      publicClient: readPublicClient(deps.dataDir),
      openBrowser: deps.openBrowser,
      onBrowser: () => set(f, { browserOpened: true }),
      onCode: (code) => set(f, { deviceCode: code }),
      clock,
      ...(deps.signInTimeoutMs === undefined ? {} : { timeoutMs: deps.signInTimeoutMs }),
    });

  return {
    async plan(request) {
      let plan;
      try {
        plan = buildPlan(request, clock.now());
      } catch (error) {
        if (error instanceof RegistrationError) throw new AppError('invalid-request', error.failure.message);
        throw error;
      }
      return { ...plan, publicClient: readPublicClient(deps.dataDir), demo: connection.get().demo };
    },

    savePublicClient: (setting) => writePublicClient(deps.dataDir, setting),

    state: () => flow?.state ?? null,

    async start(request) {
      if (flow && ['signing-in', 'existing', 'running', 'undoing'].includes(flow.state.phase)) {
        throw new AppError('already-running', 'A sign-in for "Set it up for me" is under way: finish or cancel it first.');
      }
      if (flow) await dropSession(flow);
      const demo = request.kind === 'create' ? request.demo || connection.get().demo : connection.get().demo;
      if (request.kind === 'rotate' && (!connection.get().clientId || !connection.get().tenantId)) {
        throw new AppError('not-configured', 'Set up the connection first: there is no secret to rotate yet.');
      }
      const f: Flow = {
        abort: new AbortController(),
        state: {
          id: randomUUID(),
          kind: request.kind,
          phase: 'signing-in',
          demo,
          method: request.method,
          ...(request.kind === 'create' ? { name: request.name } : {}),
          steps: pendingSteps(request.kind === 'create' ? buildPlan(request, clock.now()).steps : rotationStepList),
          canUndo: false,
        },
      };
      flow = f;
      deps.emit(f.state);
      f.work = (async () => {
        try {
          if (demo && !connection.get().demo) await connection.startDemo({});
          const ctx = await connection.adminContext();
          // The demo tenant approves the admin sign-in at once, as its Global Administrator.
          if (ctx.demo) connection.demoControl()?.setAdminSignIn?.({ autoApprove: true });
          f.session = await signIn(f, request.method, ctx);
          if (flow !== f || f.abort.signal.aborted) return void (await dropSession(f));
          f.tenantId = f.session.tenantId;
          set(f, { signedInAs: f.session.username, deviceCode: undefined });
          if (request.kind === 'rotate') return void (await runRotate(f, request.secretMonths, ctx));
          const before = connection.get();
          f.service = createRegistrationService({
            cloud: ctx.cloud,
            transport: ctx.transport,
            store: flowStore(connection, ctx.demo, before),
            clock,
            logger,
            ...(deps.replicationBudgetMs === undefined ? {} : { replicationBudgetMs: deps.replicationBudgetMs }),
            ...(deps.validationBudgetMs === undefined ? {} : { validationBudgetMs: deps.validationBudgetMs }),
          });
          await runCreate(f, { name: request.name, secretMonths: request.secretMonths, ifExists: 'stop' });
        } catch (error) {
          if (f.abort.signal.aborted && flow === f && !(error instanceof RegistrationError)) set(f, { phase: 'cancelled' });
          else failed(f, error);
        }
      })();
      return f.state;
    },

    async continueWith(choice) {
      const f = current();
      if (f.state.phase !== 'existing' || !f.request) throw new AppError('not-waiting', 'Nothing is waiting for that choice.');
      const request: RegistrationRequest = choice.reuse
        ? { ...f.request, ifExists: 'reuse' }
        : { ...f.request, name: choice.name ?? f.request.name, ifExists: 'stop' };
      set(f, { existing: undefined });
      f.work = choice.reuse ? register(f, request) : runCreate(f, request);
      return f.state;
    },

    async cancel() {
      if (!flow) return null;
      const f = flow;
      const phase = f.state.phase;
      if (phase !== 'signing-in' && phase !== 'existing' && phase !== 'running') return f.state;
      // A rotation is not stopped halfway: the old secret stays in use until the new one passed, and it is short.
      if (phase === 'running' && f.state.kind === 'rotate') return f.state;
      f.abort.abort();
      if (phase === 'existing') {
        await dropSession(f);
        set(f, { phase: 'cancelled', existing: undefined });
        return f.state;
      }
      // The sign-in ends at once (its loopback port closed); the steps stop before their next Graph write and
      // say what exists, with undo when something does.
      await f.work?.catch(() => undefined);
      if (f.state.phase === 'signing-in') {
        await dropSession(f);
        set(f, { phase: 'cancelled', deviceCode: undefined });
      }
      return f.state;
    },

    async undo() {
      const f = current();
      if (!f.state.canUndo || !f.session || !f.created || !f.service) {
        throw new AppError(
          'cannot-undo',
          'There is nothing to undo, or the sign-in has ended: remove the application in the portal.',
        );
      }
      set(f, { phase: 'undoing', canUndo: false });
      try {
        await f.service.undo(f.session, f.created);
        set(f, { phase: 'undone', created: { reused: f.created.reused } });
      } catch (error) {
        set(f, {
          phase: 'failed',
          failure: {
            step: 'undo',
            code: 'undo-failed',
            message: `Undo did not finish: ${error instanceof Error ? error.message : String(error)}`,
            fix: 'Remove the application in the portal (App registrations → the application → Delete).',
          },
        });
      } finally {
        await dropSession(f);
      }
      return f.state;
    },

    async handOff() {
      const f = current();
      await dropSession(f);
      const created = f.created ?? { reused: false };
      const step = handOffStep(f.state.failure?.step, created);
      const summary = connection.get();
      if (!summary.demo && created.appId) {
        // The values created so far, filled in for the portal path (the tenant is the admin's).
        const tenantId = f.tenantId ?? summary.tenantId;
        connection.saveDraft({ ...(tenantId ? { tenantId } : {}), clientId: created.appId });
      }
      connection.saveDraft({ setup: { step, completed: stepsBefore(step) } });
      flow = undefined;
      deps.emit(null);
      return { step };
    },

    async dismiss() {
      if (flow) {
        flow.abort.abort();
        await dropSession(flow);
      }
      flow = undefined;
      deps.emit(null);
      return null;
    },

    async close() {
      if (flow) {
        flow.abort.abort();
        await dropSession(flow);
      }
    },
  };
}
