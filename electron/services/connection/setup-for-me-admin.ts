/**
 * The admin's side of "Set it up for me": the sign-in of a flow (the system browser, or on the demo tenant the
 * core's own demo browser, or a device code; Microsoft's first-party public client on the demo tenant, the
 * setting elsewhere), and "Rotate the secret for me" on the connection in use: R's rotation service
 * (secret-rotation.ts) over the connection's cloud and transport, the new secret switched in through the
 * connection's own candidate test (so it is stored only when it passes, and the dashboard shows that test), and the
 * old secret named by its keyId when the last validation matched exactly one credential to it.
 */
import { requiredChecksPassed } from '../../../shared/contract/connection';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import type { SetupForMeState } from '../../../shared/contract/setup-for-me';
import type { PublicClientSetting } from '../../../shared/contract/setup-for-me';
import { signInAdmin, type AdminSession } from '../entra/registration/admin-sign-in';
import type { RegistrationStore } from '../entra/registration/registration-service';
import type { SignInMethod } from '../entra/registration/registration-types';
import { rotateSecret, type RotationStep } from '../entra/registration/secret-rotation';
import type { Clock, Logger } from '../ports';
import type { ConnectionService } from './connection-service';
import { demoAdminBrowser } from './demo-admin-browser';
import { publicClientChoice } from './setup-for-me-state';

/** The cloud and transport the admin signed in over. */
export type AdminContext = Awaited<ReturnType<ConnectionService['adminContext']>>;

/** What one flow's sign-in needs. */
export interface FlowSignIn {
  readonly signal: AbortSignal;
  /** The tenant typed in the wizard, if any (else whoever signs in). */
  readonly tenantId: string;
  readonly publicClient: PublicClientSetting;
  readonly openBrowser: (url: string) => Promise<void>;
  readonly onBrowser: () => void;
  readonly onCode: (code: { verificationUri: string; userCode: string; message: string }) => void;
  /** The clock of the sign-in's time limit, and the limit (default 15 minutes). */
  readonly clock: Clock;
  readonly timeoutMs?: number;
}

/** Signs the admin in for a flow; the session is the caller's to close. */
export function signInForFlow(method: 'browser' | 'device-code', ctx: AdminContext, s: FlowSignIn): Promise<AdminSession> {
  const how: SignInMethod =
    method === 'browser'
      ? {
          kind: 'interactive',
          signal: s.signal,
          openBrowser: async (url) => {
            s.onBrowser();
            await (ctx.demo ? demoAdminBrowser(ctx.transport, ctx.cloud.authorityHost)(url) : s.openBrowser(url));
          },
        }
      : { kind: 'device-code', signal: s.signal, onCode: s.onCode };
  return signInAdmin(
    {
      cloud: ctx.cloud,
      transport: ctx.transport,
      // The demo tenant accepts Microsoft's first-party public clients, not an organisation's own.
      publicClient: publicClientChoice(ctx.demo ? { kind: 'first-party' } : s.publicClient),
      ...(s.tenantId && !ctx.demo ? { tenant: s.tenantId } : {}),
      clock: s.clock,
      ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
    },
    how,
  );
}

export interface RotateForMeDeps {
  readonly connection: Pick<ConnectionService, 'get' | 'test'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly validationBudgetMs?: number;
  readonly onProgress: (step: RotationStep, message: string) => void;
}

/** Rotates the connection's secret; throws R's `RotationError` (the old secret still in use) when it stops. */
export async function rotateForMe(
  session: AdminSession,
  months: number,
  ctx: AdminContext,
  deps: RotateForMeDeps,
): Promise<NonNullable<SetupForMeState['rotation']>> {
  const summary = deps.connection.get();
  const candidates = summary.secretExpiry?.secretHint === summary.secretHint ? (summary.secretExpiry?.candidates ?? []) : [];
  const keyId = candidates.length === 1 ? candidates[0]?.keyId : undefined;
  const result = await rotateSecret(
    session,
    {
      cloud: ctx.cloud,
      tenantId: summary.tenantId,
      clientId: summary.clientId,
      // Only its first three characters (the hint) are compared: the secret itself is not needed.
      currentSecret: summary.secretHint.slice(0, 3),
      ...(keyId ? { currentKeyId: keyId } : {}),
      months,
    },
    {
      transport: ctx.transport,
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.validationBudgetMs === undefined ? {} : { validationBudgetMs: deps.validationBudgetMs }),
      store: {
        async switchSecret(next) {
          const report = await deps.connection.test({ secret: next.secret, candidate: true, retest: true });
          if (!requiredChecksPassed(report)) throw new Error('the connection test of the new secret did not pass');
        },
      },
      onProgress: deps.onProgress,
    },
  );
  return { added: result.added, removed: result.removed, ...(result.note ? { note: result.note } : {}) };
}

/** Where a flow's new application is stored: the demo connection adopts it, else it becomes the connection. */
export function flowStore(
  connection: Pick<ConnectionService, 'save' | 'adoptDemoApp'>,
  demo: boolean,
  before: ConnectionSummary,
): RegistrationStore {
  return {
    async save(c) {
      if (demo) await connection.adoptDemoApp({ clientId: c.clientId, secret: c.secret });
      else await connection.save({ cloud: before.cloud, tenantId: c.tenantId, clientId: c.clientId, secret: c.secret });
    },
    async forget() {
      if (demo) await connection.adoptDemoApp(null);
      else await connection.save({ tenantId: before.tenantId, clientId: before.clientId });
    },
  };
}
