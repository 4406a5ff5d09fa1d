/**
 * The connection to Entra: the values the admin set up (settings), the secret (vault), "Test connection" with live
 * progress, the demo tenant, and authenticated Graph connections for the sync engine and the scheduler.
 *
 * ```ts
 * const connection = createConnectionService({ settings, vault, clock, logger, env: process.env });
 * connection.saveDraft({ cloud: 'global', tenantId, clientId, setup: { step: 'test' } });
 * const report = await connection.test({ secret }, { onProgress: (p) => emit(p) }); // stored when it works
 * const graph = await connection.openGraph(); // { client, getToken, key, … }; graph.close() when done
 * await connection.startDemo(); // emulated tenant in this process, credentials filled in
 * await connection.close();
 * ```
 *
 * Settings written: `settings.setup` (wizard progress) and `settings.connection` (values, secret hint, demo flag,
 * last validation, and `secretExpiry` — refreshed at every validation, read by the reminder service).
 */
import { cloudById, type Cloud } from '../../../shared/clouds';
import {
  connectionSettingsSchema,
  type ConnectionDraft,
  type ConnectionSettings,
  type ConnectionSummary,
  type ConnectionTestInput,
  type DemoOptions,
  type SetupProgress,
} from '../../../shared/contract/connection';
import { cleanPastedValue } from '../../../shared/credential-inputs';
import { AppError } from '../../../shared/errors';
import { maskSecret, type ValidationProgress, type ValidationReport } from '../../../shared/validation';
import type { FixHost } from '../entra/diagnosis';
import type { HttpTransport } from '../http/transport';
import { createGraphConnection, type GraphConnection } from '../graph/graph-client';
import { silentLogger, systemClock, type Clock, type DemoTenantPort, type Logger, type SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { NetworkSettings } from '../../../shared/network';
import { cloudFromEndpoints } from '../network/network-settings';
import { testConnection } from './connection-test';
import { createConnectionTransports } from './connection-transports';
import { createDemoConnection } from './demo-connection';
import { DemoTenant, type DemoRuntime } from './demo-tenant';
import { manualExpiryRecord } from './expiry-record';
import { keptSummary } from './kept-connection';
import { SecretKeeper } from './secret-keeper';

export { connectionSecretVaultKey, keptSecretVaultKey } from './secret-keeper';
export { summariseReport } from './validation-summary';

/** What the service is built with (ports from the host). */
export interface ConnectionServiceDeps {
  readonly settings: SettingsStore;
  readonly vault: SecretVault;
  /** Starts the demo tenant ("Try with a demo tenant"); the hosts fill it with the emulator. */
  readonly demoTenant: DemoTenantPort;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where HTTPS_PROXY / NO_PROXY are read from for Microsoft's clouds (the demo tenant never uses a proxy). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Per-request timeout. Default 15 s. */
  readonly timeoutMs?: number;
  /**
   * Settings → Network (proxy, extra CA, custom endpoints), read for every request to Microsoft: a change is used by
   * the next test or sync. Absent: the proxy comes from `env`, no extra CA, no custom endpoints.
   */
  readonly network?: () => NetworkSettings;
  /** Who reads the validator's fixes. Default `app` (the desktop app and the browser host). */
  readonly fixHost?: FixHost;
}

/** A Graph connection for the saved values, with the key the sync engine stores delta links under. */
export type OpenedGraph = GraphConnection & { readonly key: string };

export interface TestOptions {
  readonly onProgress?: (progress: ValidationProgress & { readonly runId: string }) => void;
}

export interface ConnectionService {
  /** The connection as everyone may see it (no secret). */
  get(): ConnectionSummary;
  /** The wizard's progress. */
  setup(): SetupProgress;
  /** Saves non-secret values and wizard progress as the admin goes. */
  saveDraft(draft: ConnectionDraft): { connection: ConnectionSummary; setup: SetupProgress };
  /**
   * Runs the validator (values not given come from the saved connection, the secret from the vault). When the
   * required checks pass, the values are saved and the secret kept (see `weakStorage`). Later tests of the same
   * values use a fresh token, so a consent just granted shows. A `candidate` test (editing a connection in use)
   * saves nothing at all unless the required checks pass.
   */
  test(input?: ConnectionTestInput, options?: TestOptions): Promise<ValidationReport>;
  /** Saves values and a secret without testing them; a last validation of other values is dropped. */
  save(input: Omit<ConnectionTestInput, 'retest' | 'candidate'>): Promise<ConnectionSummary>;
  /** The admin's answer when the vault is weak: store the secret anyway (true) or keep it in memory only. */
  setWeakStorage(store: boolean): Promise<ConnectionSummary>;
  /** The expiry date typed by the admin when Graph cannot tell; null clears it. */
  setManualExpiry(expiresAt: string | null): ConnectionSummary;
  /**
   * Starts the demo tenant in this process and fills in its credentials. The admin's own values and secret, if
   * any, are kept aside (`summary.kept`) until the demo tenant is left.
   */
  startDemo(options?: DemoOptions): Promise<ConnectionSummary>;
  /** Stops the demo tenant and clears its credentials; the admin's kept connection, if any, is back in use. */
  stopDemo(): Promise<ConnectionSummary>;
  /** An authenticated Graph connection for the saved values; the caller closes it. */
  openGraph(): Promise<OpenedGraph>;
  /** What the core may do to the running demo tenant (the rotation's new secret), if one runs. */
  demoControl(): DemoRuntime['control'] | undefined;
  /**
   * "Set it up for me" (setup-for-me.ts): the cloud and transport of the connection in use — the demo tenant's in
   * demo mode (started if needed), else the saved cloud's over Settings → Network.
   */
  adminContext(): Promise<{ readonly cloud: Cloud; readonly transport: HttpTransport; readonly demo: boolean }>;
  /** Demo mode: an application "Set it up for me" created in the demo tenant becomes the connection (null: the demo's own). */
  adoptDemoApp(app: { readonly clientId: string; readonly secret: string } | null): Promise<ConnectionSummary>;
  /** Resolves once start-up work (restarting the demo tenant) is done. */
  ready(): Promise<void>;
  onChange(listener: (summary: ConnectionSummary) => void): () => void;
  close(): Promise<void>;
}

/** Creates the service; in demo mode it starts the demo tenant again in the background. */
export function createConnectionService(deps: ConnectionServiceDeps): ConnectionService {
  const { settings } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const keeper = new SecretKeeper(deps.vault);
  const demo = new DemoTenant(deps.demoTenant, logger, timeoutMs, clock);
  const listeners = new Set<(summary: ConnectionSummary) => void>();
  const testedKeys = new Set<string>();
  const transports = createConnectionTransports({
    demo,
    clock,
    logger,
    timeoutMs,
    env: deps.env,
    network: deps.network,
    fixHost: deps.fixHost,
  });

  const conn = (): ConnectionSettings => settings.get().connection;
  const writeConn = (change: (c: ConnectionSettings) => ConnectionSettings) =>
    settings.update((s) => ({ ...s, connection: connectionSettingsSchema.parse(change(s.connection)) })).connection;

  const summary = (): ConnectionSummary => {
    const c = conn();
    const secretStored = c.secretStored && !keeper.vaultLost();
    const secretKnown = secretStored || keeper.inMemory();
    const cloudUsable = c.cloud !== 'custom' || c.demo || deps.network?.().customEndpoints !== undefined;
    return {
      cloud: c.cloud,
      tenantId: c.tenantId,
      clientId: c.clientId,
      secretHint: c.secretHint,
      secretStored,
      secretInMemory: keeper.inMemory(),
      demo: c.demo,
      demoRunning: demo.current() !== undefined,
      weakStorage: c.weakStorage,
      vaultSecure: keeper.secure(),
      vaultBackend: keeper.backend(),
      complete: cloudUsable && c.tenantId.length > 0 && c.clientId.length > 0 && secretKnown,
      ...(c.lastValidation ? { lastValidation: c.lastValidation } : {}),
      ...(c.secretExpiry ? { secretExpiry: c.secretExpiry } : {}),
      ...(c.manualExpiresAt ? { manualExpiresAt: c.manualExpiresAt } : {}),
      ...(c.kept ? { kept: keptSummary(c.kept, keeper.asideInMemory()) } : {}),
    };
  };

  const changed = () => {
    const s = summary();
    for (const listener of listeners) {
      try {
        listener(s);
      } catch (error) {
        logger.warn('connection change listener failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return s;
  };

  const demoConnection = createDemoConnection({ demo, keeper, clock, logger, conn, writeConn, changed, summary });
  const ensureDemo = demoConnection.ensure;
  const rejectDemoEdits = demoConnection.rejectEdits;

  const cloudFor = async (c: ConnectionSettings): Promise<Cloud> => {
    if (c.demo) return ensureDemo();
    if (c.cloud === 'custom') {
      const endpoints = deps.network?.().customEndpoints;
      if (endpoints) return cloudFromEndpoints(endpoints);
      throw new AppError(
        'custom-cloud-unsupported',
        'The custom cloud has no endpoints yet: enter its token host and Graph address in Settings → Network, or choose a Microsoft cloud.',
      );
    }
    return cloudById(c.cloud);
  };

  // Stored trimmed: a value pasted with a space shows and signs in as the id itself (the test still says it trimmed).
  const writeValues = (values: { cloud?: ConnectionSettings['cloud']; tenantId?: string; clientId?: string }) =>
    writeConn((c) => ({
      ...c,
      ...(values.cloud === undefined ? {} : { cloud: values.cloud }),
      ...(values.tenantId === undefined ? {} : { tenantId: values.tenantId.trim() }),
      ...(values.clientId === undefined ? {} : { clientId: values.clientId.trim() }),
    }));

  // A vault found damaged at start was moved aside (FileVault): the settings must stop calling its secret stored.
  // Settings from a newer version cannot be written; the summary says missing all the same.
  if (keeper.vaultLost() && conn().secretStored) {
    try {
      writeConn((c) => ({ ...c, secretStored: false }));
    } catch (error) {
      logger.warn('the lost secret could not be recorded in the settings', { error: errorText(error) });
    }
    logger.warn('the secret vault was damaged: the client secret must be entered again');
  }

  let startup: Promise<void> = Promise.resolve();
  if (conn().demo) {
    startup = ensureDemo().then(
      () => logger.info('demo tenant restarted after app start'),
      (error: unknown) => logger.error('demo tenant could not be restarted', { error: errorText(error) }),
    );
  }

  const service: ConnectionService = {
    get: summary,
    setup: () => settings.get().setup,

    saveDraft(draft) {
      const { setup, ...values } = draft;
      rejectDemoEdits(values);
      if (values.cloud !== undefined || values.tenantId !== undefined || values.clientId !== undefined) writeValues(values);
      if (setup) {
        settings.update((s) => {
          const next: SetupProgress = {
            ...s.setup,
            ...(setup.step === undefined ? {} : { step: setup.step }),
            ...(setup.completed === undefined ? {} : { completed: [...new Set(setup.completed)] }),
            checklist: { ...s.setup.checklist, ...(setup.checklist ?? {}) },
          };
          if (setup.finished === true) next.finishedAt = clock.now().toISOString();
          if (setup.finished === false) delete next.finishedAt;
          return { ...s, setup: next };
        });
      }
      return { connection: changed(), setup: settings.get().setup };
    },

    test: (input = {}, options = {}) =>
      testConnection(
        { keeper, transports, clock, logger, testedKeys, conn, writeConn, writeValues, rejectDemoEdits, cloudFor, changed },
        input,
        options,
      ),

    async save(input) {
      rejectDemoEdits(input);
      const before = conn();
      writeValues(input);
      const after = conn();
      const newSecret = input.secret !== undefined && input.secret.length > 0;
      if (newSecret) {
        const clean = cleanPastedValue(input.secret ?? '');
        const outcome = await keeper.keep(clean, conn().weakStorage, conn().demo);
        writeConn((c) => ({ ...c, secretHint: maskSecret(clean), secretStored: outcome === 'stored', secretExpiry: undefined }));
      }
      const otherValues =
        newSecret || before.cloud !== after.cloud || before.tenantId !== after.tenantId || before.clientId !== after.clientId;
      // A validation of the values replaced no longer describes the connection: the dashboard says "not tested".
      if (otherValues) writeConn((c) => ({ ...c, lastValidation: undefined }));
      return changed();
    },

    async setWeakStorage(store) {
      if (store) {
        const moved = await keeper.persistMemory();
        writeConn((c) => ({ ...c, weakStorage: 'accepted', secretStored: c.secretStored || moved }));
      } else {
        // Demo secrets are throwaway and always stored; a real one leaves the vault.
        const moved = conn().demo ? false : await keeper.unpersist();
        writeConn((c) => ({ ...c, weakStorage: 'declined', secretStored: moved ? false : c.secretStored }));
      }
      logger.info('weak secret storage answered', { store });
      return changed();
    },

    setManualExpiry(expiresAt) {
      writeConn((c) => {
        const record = manualExpiryRecord(expiresAt, c.secretHint, clock.now());
        const keepGraph = c.secretExpiry?.source === 'graph' && c.secretExpiry.secretHint === c.secretHint;
        return {
          ...c,
          manualExpiresAt: expiresAt ?? undefined,
          ...(keepGraph ? {} : { secretExpiry: record }),
        };
      });
      return changed();
    },

    startDemo: (options = {}) => demoConnection.start(options),
    stopDemo: () => demoConnection.stop(),

    async openGraph() {
      await startup;
      const c = conn();
      const cloud = await cloudFor(c);
      const secret = await keeper.current();
      if (!secret || !c.tenantId || !c.clientId) {
        throw new AppError('connection-incomplete', 'The connection to Entra is not set up yet: finish the setup first.');
      }
      const graph = createGraphConnection({
        cloud,
        tenantId: c.tenantId,
        clientId: c.clientId,
        clientSecret: secret,
        transport: transports.transportFor(c.demo),
        logger,
      });
      return Object.assign(graph, { key: `${cloud.graphBaseUrl}|${c.tenantId}|${c.clientId}` });
    },

    demoControl: () => demo.current()?.control,
    async adminContext() {
      await startup;
      const c = conn();
      const cloud = await cloudFor(c);
      return { cloud, transport: transports.transportFor(c.demo), demo: c.demo };
    },
    adoptDemoApp: (app) => demoConnection.adopt(app),
    ready: () => startup,

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      await startup;
      await transports.close();
      await demo.stop();
      listeners.clear();
    },
  };
  return service;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
