/**
 * The demo tenant as a connection: starting it fills in its credentials and puts the admin's own connection aside;
 * leaving it brings that connection back (or an empty one). While it is in use its values cannot be edited.
 */
import type { Cloud } from '../../../shared/clouds';
import {
  connectionSettingsSchema,
  type ConnectionSettings,
  type ConnectionSummary,
  type DemoOptions,
} from '../../../shared/contract/connection';
import { AppError } from '../../../shared/errors';
import { maskSecret } from '../../../shared/validation';
import type { Clock, Logger } from '../ports';
import type { DemoTenant } from './demo-tenant';
import { manualExpiryRecord } from './expiry-record';
import { connectionFromKept, hasOwnValues, keptFrom } from './kept-connection';
import type { SecretKeeper } from './secret-keeper';

export interface DemoConnectionDeps {
  readonly demo: DemoTenant;
  readonly keeper: SecretKeeper;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly conn: () => ConnectionSettings;
  readonly writeConn: (change: (c: ConnectionSettings) => ConnectionSettings) => ConnectionSettings;
  /** Tells the listeners and returns the new summary. */
  readonly changed: () => ConnectionSummary;
  readonly summary: () => ConnectionSummary;
}

export interface DemoConnection {
  /** Starts the demo tenant unless it runs and returns its cloud; used in demo mode. */
  ensure(): Promise<Cloud>;
  /** Throws `demo-active` when values other than the demo tenant's are given while it is in use. */
  rejectEdits(values: { cloud?: string; tenantId?: string; clientId?: string }): void;
  start(options: DemoOptions): Promise<ConnectionSummary>;
  stop(): Promise<ConnectionSummary>;
  /**
   * "Set it up for me" on the demo tenant: an application it created there becomes the connection (its id and
   * secret; the demo flag stays, so leaving the demo tenant still restores the admin's own); null goes back to the
   * demo tenant's own application. Refused when the demo tenant is not in use.
   */
  adopt(app: { readonly clientId: string; readonly secret: string } | null): Promise<ConnectionSummary>;
}

export function createDemoConnection(deps: DemoConnectionDeps): DemoConnection {
  const { demo, keeper, clock, logger, conn, writeConn, changed, summary } = deps;

  /** Starts the demo tenant and writes its credentials; used by startDemo and after a restart in demo mode. */
  const launchDemo = async (options: DemoOptions): Promise<void> => {
    const fresh = demo.current() === undefined;
    const runtime = await demo.start(options);
    if (!fresh) return;
    const { info } = runtime;
    await keeper.keep(info.clientSecret, conn().weakStorage, true);
    const hint = maskSecret(info.clientSecret);
    const sameTenant = conn().demo && conn().tenantId === info.tenantId && conn().clientId === info.clientId;
    writeConn((c) => ({
      ...c,
      cloud: 'custom',
      tenantId: info.tenantId,
      clientId: info.clientId,
      secretHint: hint,
      secretStored: true,
      demo: true,
      demoOptions: options,
      manualExpiresAt: undefined,
      // A validation of an earlier run of the same demo tenant still describes it; another tenant's does not.
      lastValidation: sameTenant ? c.lastValidation : undefined,
      secretExpiry: expiryFromDemo(info.secretExpiresAt, hint, clock.now()),
    }));
  };

  const ensureDemo = async (): Promise<Cloud> => {
    const c = conn();
    if (!demo.current()) await launchDemo(c.demoOptions ?? {});
    const runtime = demo.current();
    if (!runtime) throw new AppError('demo-not-running', 'The demo tenant could not be started.');
    changed();
    return runtime.cloud;
  };

  const rejectDemoEdits = (values: { cloud?: string; tenantId?: string; clientId?: string }) => {
    const c = conn();
    if (!c.demo) return;
    const edits =
      (values.cloud !== undefined && values.cloud !== c.cloud) ||
      (values.tenantId !== undefined && values.tenantId !== c.tenantId) ||
      (values.clientId !== undefined && values.clientId !== c.clientId);
    if (edits) {
      throw new AppError('demo-active', 'The demo tenant is in use. Leave the demo tenant before entering your own values.');
    }
  };

  /** Leaves the demo tenant's values: the admin's kept connection comes back, or an empty one. */
  const restoreOwn = async (): Promise<void> => {
    const kept = conn().kept;
    if (!kept) {
      await keeper.forget();
      writeConn((c) => connectionSettingsSchema.parse({ weakStorage: c.weakStorage }));
      return;
    }
    const place = await keeper.bringBack();
    writeConn((c) => connectionFromKept(kept, c.weakStorage, place));
    logger.info('own connection back in use', { secret: place });
  };

  return {
    ensure: ensureDemo,
    rejectEdits: rejectDemoEdits,
    async start(options) {
      const c = conn();
      if (c.demo && demo.current()) return summary();
      if (!c.demo) {
        if (hasOwnValues(c)) {
          // The admin's own connection is put aside, not lost: leaving the demo tenant brings it back.
          const place = await keeper.setAside();
          writeConn((s) => ({ ...s, kept: keptFrom(s, place, clock.now()) }));
          logger.info('own connection kept aside while the demo tenant is in use', { secret: place });
        } else {
          await keeper.forget();
          writeConn((s) => ({ ...s, kept: undefined }));
        }
      }
      try {
        await launchDemo(options);
      } catch (error) {
        if (!c.demo) await restoreOwn();
        changed();
        throw error;
      }
      logger.info('demo tenant in use');
      return changed();
    },

    async stop() {
      await demo.stop();
      if (conn().demo) await restoreOwn();
      return changed();
    },

    async adopt(app) {
      const runtime = demo.current();
      if (!conn().demo || !runtime) throw new AppError('not-demo', 'The demo tenant is not in use.');
      const clientId = app?.clientId ?? runtime.info.clientId;
      const secret = app?.secret ?? runtime.info.clientSecret;
      await keeper.keep(secret, conn().weakStorage, true);
      writeConn((c) => ({
        ...c,
        clientId,
        secretHint: maskSecret(secret),
        secretStored: true,
        lastValidation: undefined,
        secretExpiry: undefined,
        manualExpiresAt: undefined,
      }));
      logger.info('demo tenant: connection uses an application created by Set it up for me', { clientId });
      return changed();
    },
  };
}

function expiryFromDemo(expiresAt: string, hint: string, now: Date) {
  const record = manualExpiryRecord(expiresAt, hint, now);
  // The emulator's Graph reports exactly this date; it is what a validation would read.
  return { ...record, source: 'graph' as const };
}
