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
import { randomUUID } from 'node:crypto';
import { cloudById, type Cloud } from '../../../shared/clouds';
import {
  connectionSettingsSchema,
  requiredChecksPassed,
  type ConnectionDraft,
  type ConnectionSettings,
  type ConnectionSummary,
  type ConnectionTestInput,
  type DemoOptions,
  type SetupProgress,
  type ValidationSummary,
} from '../../../shared/contract/connection';
import { cleanPastedValue } from '../../../shared/credential-inputs';
import { AppError } from '../../../shared/errors';
import { maskSecret, type ValidationProgress, type ValidationReport } from '../../../shared/validation';
import type { FixHost } from '../entra/diagnosis';
import { createCredentialValidator, type CredentialValidator } from '../entra/validator';
import { createGraphConnection, type GraphConnection } from '../graph/graph-client';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { silentLogger, systemClock, type Clock, type DemoTenantPort, type Logger, type SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { NetworkSettings } from '../../../shared/network';
import { cloudFromEndpoints, transportNetwork } from '../network/network-settings';
import { DemoTenant, type DemoRuntime } from './demo-tenant';
import { expiryAfterValidation, manualExpiryRecord } from './expiry-record';
import { connectionFromKept, hasOwnValues, keptFrom, keptSummary } from './kept-connection';
import { SecretKeeper } from './secret-keeper';

export { connectionSecretVaultKey, keptSecretVaultKey } from './secret-keeper';

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
  let cloudTransport: { transport: HttpTransport; key: string } | undefined;
  const validators = new Map<HttpTransport, CredentialValidator>();

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

  const transportFor = (useDemo: boolean): HttpTransport => {
    if (useDemo) {
      const runtime = demo.current();
      if (!runtime) throw new AppError('demo-not-running', 'The demo tenant is not running.');
      return runtime.transport;
    }
    const network = deps.network ? transportNetwork(deps.network()) : {};
    const key = JSON.stringify(network);
    if (cloudTransport?.key !== key) {
      // Settings → Network changed: the next request uses the new values; requests under way finish on the old.
      const old = cloudTransport?.transport;
      if (old) {
        validators.get(old)?.close();
        validators.delete(old);
        void old.close().catch(() => undefined);
      }
      const transport = createHttpTransport({ ...network, timeoutMs, env: deps.env ?? {}, userAgent: 'EntraSyncAssistant' });
      cloudTransport = { transport, key };
    }
    return cloudTransport.transport;
  };

  const validatorFor = (transport: HttpTransport): CredentialValidator => {
    let validator = validators.get(transport);
    if (!validator) {
      validator = createCredentialValidator({ transport, clock, logger, host: deps.fixHost ?? 'app' });
      validators.set(transport, validator);
    }
    return validator;
  };

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

  // Stored trimmed: a value pasted with a space shows and signs in as the id itself (the test still says it trimmed).
  const writeValues = (values: { cloud?: ConnectionSettings['cloud']; tenantId?: string; clientId?: string }) =>
    writeConn((c) => ({
      ...c,
      ...(values.cloud === undefined ? {} : { cloud: values.cloud }),
      ...(values.tenantId === undefined ? {} : { tenantId: values.tenantId.trim() }),
      ...(values.clientId === undefined ? {} : { clientId: values.clientId.trim() }),
    }));

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

    async test(input = {}, options = {}) {
      rejectDemoEdits(input);
      const candidate = input.candidate === true;
      const saved = conn();
      const values = {
        cloud: input.cloud ?? saved.cloud,
        tenantId: input.tenantId ?? saved.tenantId,
        clientId: input.clientId ?? saved.clientId,
      };
      // The typed values are kept even when the test fails: bad input never loses what was typed. A candidate
      // keeps them in the window instead, so the connection in use stays as it is until the new values pass.
      if (!candidate) writeValues(values);
      const cloud = await cloudFor({ ...conn(), ...values });
      const given = input.secret !== undefined && input.secret.length > 0 ? input.secret : undefined;
      const secret = given ?? (await keeper.current()) ?? '';
      const runId = randomUUID();
      const key = `${cloud.authorityHost}|${cloud.graphBaseUrl}|${values.tenantId}|${values.clientId}`;
      const retest = input.retest ?? testedKeys.has(key);
      const report = await validatorFor(transportFor(conn().demo)).validate(
        {
          cloud,
          tenant: values.tenantId,
          clientId: values.clientId,
          secret,
          ...(saved.manualExpiresAt ? { manualExpiresAt: saved.manualExpiresAt } : {}),
        },
        { retest, ...(options.onProgress ? { onProgress: (p) => options.onProgress?.({ ...p, runId }) } : {}) },
      );
      testedKeys.add(key);

      const passed = requiredChecksPassed(report);
      if (candidate && !passed) {
        logger.info('candidate connection tested; the connection in use is kept', {
          problems: summariseReport(report, clock.now()).problems.join(' '),
        });
        return report;
      }
      if (candidate) writeValues(values);
      const cleanSecret = cleanPastedValue(secret);
      const hint = maskSecret(cleanSecret);
      let inUse = given === undefined;
      if (passed && given !== undefined) {
        const outcome = await keeper.keep(cleanSecret, conn().weakStorage, conn().demo);
        inUse = true;
        writeConn((c) => ({ ...c, secretHint: hint, secretStored: outcome === 'stored' }));
      }
      const validation = summariseReport(report, clock.now());
      writeConn((c) => ({
        ...c,
        lastValidation: validation,
        // Only the secret in use has its expiry recorded: a rejected new secret says nothing about it.
        ...(inUse && cleanSecret.length > 0
          ? { secretExpiry: expiryAfterValidation(report, c.secretExpiry, hint, clock.now()) }
          : {}),
      }));
      logger.info('connection tested', { ok: report.ok, requiredPassed: passed, problems: validation.problems.join(' ') });
      changed();
      return report;
    },

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

    async startDemo(options = {}) {
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

    async stopDemo() {
      await demo.stop();
      if (conn().demo) await restoreOwn();
      return changed();
    },

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
        transport: transportFor(c.demo),
        logger,
      });
      return Object.assign(graph, { key: `${cloud.graphBaseUrl}|${c.tenantId}|${c.clientId}` });
    },

    demoControl: () => demo.current()?.control,
    ready: () => startup,

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      await startup;
      for (const validator of validators.values()) validator.close();
      validators.clear();
      await demo.stop();
      await cloudTransport?.transport.close();
      cloudTransport = undefined;
      listeners.clear();
    },
  };
  return service;
}

/** The stored summary of a report (with the report itself, which carries no secret). */
export function summariseReport(report: ValidationReport, now: Date): ValidationSummary {
  const counts = { pass: 0, warning: 0, fail: 0, skipped: 0 };
  for (const check of report.checks) {
    if (check.status === 'pass' || check.status === 'warning' || check.status === 'fail' || check.status === 'skipped') {
      counts[check.status] += 1;
    }
  }
  return {
    at: now.toISOString(),
    ok: report.ok,
    requiredPassed: requiredChecksPassed(report),
    counts,
    problems: report.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => `${c.id}:${c.code}`),
    report,
  };
}

function expiryFromDemo(expiresAt: string, hint: string, now: Date) {
  const record = manualExpiryRecord(expiresAt, hint, now);
  // The emulator's Graph reports exactly this date; it is what a validation would read.
  return { ...record, source: 'graph' as const };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
