/**
 * Sync targets as the admin manages them: the `targets` settings section, each token in the secret vault, the
 * connection test before saving, removal (token and links too; the runs stay in the history), and the demo Jira
 * started beside the demo tenant through the {@link DemoJiraPort}. Also builds the engine target a sync of one target
 * runs with (`engineTarget`), so the sync service never reads tokens itself.
 *
 * ```ts
 * const targets = createTargetAdmin({ settings, vault, clock, logger, events, demoJira, isDemoTenant, lastRunOf, forgetLinks });
 * const report = await targets.test({ baseUrl, token, caCertPem });  // nothing saved
 * const saved = await targets.save({ name: 'Jira', baseUrl, token });  // tests first, saves only when it passes
 * ```
 */
import { createHash, X509Certificate } from 'node:crypto';
import type {
  TargetList,
  TargetSaveInput,
  TargetSaveResult,
  TargetSummary,
  TargetTestInput,
  TargetTestReport,
} from '../../../shared/contract/targets';
import { normaliseTargetUrl, targetUrlProblem } from '../../../shared/contract/targets';
import { AppError } from '../../../shared/errors';
import type { SyncPolicyInput, SyncRunRecord } from '../../../shared/sync';
import {
  localTargetId,
  maskToken,
  reservedTargetNames,
  targetConfigSchema,
  targetSecretName,
  type TargetConfig,
} from '../../../shared/targets';
import type { EventSink } from '../app/events';
import type { Clock, DemoJiraPort, Logger, RunningDemoJira, SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { SqliteDatabase } from '../sync/database';
import type { EngineTarget } from '../sync/engine-target';
import { testJiraConnection } from './jira/jira-connection-test';
import { engineTargetFor, targetTransport } from './target-registry';
import { presentJiraReport } from './target-checks';

export interface TargetAdminOptions {
  readonly settings: SettingsStore;
  /** Where tokens are kept: the vault every host can open (`openTargetVault(dataDir)`), so the terminal syncs them too. */
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  /** Absent in hosts without the emulator: the demo Jira is then not offered. */
  readonly demoJira?: DemoJiraPort;
  /** The demo tenant is in use (the demo Jira is offered beside it). */
  isDemoTenant(): boolean;
  /** The last run into a target that was not a dry run. */
  lastRunOf(targetId: string): SyncRunRecord | null;
  /** Forgets what the sync keeps for a target (links, managed groups): removed, or a demo Jira started afresh. */
  forgetLinks(targetId: string): void;
  /** Proxy settings of the process (HTTPS_PROXY, NO_PROXY). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A target ready for one engine run; `close()` after the run. */
export interface OpenedEngineTarget {
  readonly target: EngineTarget;
  close(): Promise<void>;
}

export interface TargetAdmin {
  list(): TargetList;
  test(input: TargetTestInput): Promise<TargetTestReport>;
  save(input: TargetSaveInput): Promise<TargetSaveResult>;
  remove(id: string): Promise<{ removed: boolean }>;
  startDemoJira(): Promise<TargetSummary>;
  /** The demo target points at a demo Jira of an earlier session: start one and point it there (app start). */
  restoreDemoJira(): Promise<void>;
  /** The demo tenant was left: the demo Jira stops and its target goes with the demo's data. */
  leaveDemo(): Promise<void>;
  /** The name of a target for messages; undefined when there is no such target. */
  nameOf(id: string): string | undefined;
  engineTarget(id: string, use: { db: SqliteDatabase; globalPolicy: SyncPolicyInput }): Promise<OpenedEngineTarget>;
  close(): Promise<void>;
}

const demoTargetId = 'demo-jira';
/** A test is good for saving the same values without testing again for this long. */
const passedTestTtlMs = 10 * 60_000;

const lower = (s: string) => s.toLocaleLowerCase('en-US');

export function createTargetAdmin(options: TargetAdminOptions): TargetAdmin {
  const { settings, vault, clock, logger, events } = options;
  const env = options.env ?? process.env;
  /** The last test of each set of values, by fingerprint (no token kept: a hash of URL, token and CA). */
  const recent = new Map<string, TargetTestReport>();
  let demo: RunningDemoJira | undefined;
  let demoStarting: Promise<RunningDemoJira> | undefined;

  const configs = (): readonly TargetConfig[] => settings.get().targets;
  const find = (id: string) => configs().find((t) => t.id === id);
  const fingerprint = (url: string, token: string, ca: string | undefined) =>
    createHash('sha256')
      .update(`${url}\n${token}\n${ca ?? ''}`)
      .digest('hex');

  function summary(config: TargetConfig): TargetSummary {
    return {
      id: config.id,
      name: config.name,
      product: config.product,
      url: config.baseUrl,
      tokenHint: config.tokenHint,
      hasCaCert: Boolean(config.caCertPem || config.caCertPath),
      builtIn: false,
      demo: config.demo,
      lastTest: config.lastTest ?? null,
      lastRun: options.lastRunOf(config.id),
    };
  }

  function list(): TargetList {
    const local: TargetSummary = {
      id: localTargetId,
      name: 'Embedded directory',
      product: 'local',
      url: null,
      tokenHint: '',
      hasCaCert: false,
      builtIn: true,
      demo: false,
      lastTest: null,
      lastRun: options.lastRunOf(localTargetId),
    };
    const protection = vault.protection();
    return {
      targets: [local, ...configs().map(summary)],
      demoJiraOffered: options.demoJira !== undefined && options.isDemoTenant(),
      vault: { backend: protection.backend, secure: protection.secure },
    };
  }

  const changed = () => events.emit('targets:changed', list());

  function writeTargets(change: (targets: TargetConfig[]) => TargetConfig[]): void {
    settings.update((s) => ({ ...s, targets: change([...s.targets]) }));
  }

  function checkUrl(value: string): string {
    const problem = targetUrlProblem(value);
    if (problem) throw new AppError('target-url-invalid', problem);
    return normaliseTargetUrl(value);
  }

  function checkCa(pem: string | undefined): string | undefined {
    if (pem === undefined || pem.trim() === '') return undefined;
    try {
      new X509Certificate(pem);
    } catch {
      throw new AppError(
        'target-ca-invalid',
        'The CA certificate could not be read. Paste the whole PEM text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, or leave the field empty.',
      );
    }
    return pem.trim();
  }

  async function tokenOf(id: string): Promise<string> {
    const token = await vault.get(targetSecretName(id));
    if (!token)
      throw new AppError(
        'target-token-missing',
        `The token of target ${find(id)?.name ?? id} is not in the secret vault any more. Edit the target and paste its token again.`,
      );
    return token;
  }

  async function runTest(baseUrl: string, token: string, ca: string | undefined): Promise<TargetTestReport> {
    const transport = targetTransport({ caCertPem: ca }, env, 15_000);
    try {
      const report = await testJiraConnection({ baseUrl, token, transport, clock });
      logger.info('targets: connection tested', {
        url: baseUrl,
        ok: report.ok,
        failed: report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      });
      const presented = presentJiraReport(report, clock.now().toISOString());
      recent.set(fingerprint(baseUrl, token, ca), presented);
      return presented;
    } finally {
      await transport.close();
    }
  }

  function keepLastTest(id: string, report: TargetTestReport): void {
    const lastTest = lastTestOf(report);
    writeTargets((targets) => targets.map((t) => (t.id === id ? { ...t, lastTest } : t)));
  }

  /** The values a test or save is about: the typed ones, the saved ones for the rest. */
  async function resolve(input: { id?: string; baseUrl?: string; token?: string; caCertPem?: string | null }) {
    const saved = input.id === undefined ? undefined : find(input.id);
    if (input.id !== undefined && !saved)
      throw new AppError('target-not-found', 'That target no longer exists. It may have been removed in another window.');
    const baseUrl = checkUrl(input.baseUrl ?? saved?.baseUrl ?? '');
    const token = input.token ?? (saved ? await tokenOf(saved.id) : undefined);
    if (!token) throw new AppError('target-token-missing', 'Paste the personal access token of a Jira administrator.');
    const ca = input.caCertPem === null ? undefined : checkCa(input.caCertPem ?? saved?.caCertPem);
    const sameAsSaved =
      saved !== undefined &&
      baseUrl === saved.baseUrl &&
      input.token === undefined &&
      (input.caCertPem === undefined || (ca ?? '') === (saved.caCertPem ?? ''));
    return { saved, baseUrl, token, ca, sameAsSaved };
  }

  function newId(name: string): string {
    const base =
      lower(name)
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'jira';
    const taken = new Set([...configs().map((t) => t.id), ...reservedTargetNames, demoTargetId]);
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  function checkName(name: string, id: string | undefined): void {
    if ((reservedTargetNames as readonly string[]).includes(lower(name)))
      throw new AppError('target-name-reserved', `"${name}" is kept for the terminal's --target option. Choose another name.`);
    if (configs().some((t) => t.id !== id && lower(t.name) === lower(name)))
      throw new AppError('target-name-taken', `Another target is already called "${name}". Choose another name.`);
  }

  async function save(input: TargetSaveInput): Promise<TargetSaveResult> {
    checkName(input.name, input.id);
    const { saved, baseUrl, token, ca } = await resolve(input);
    const last = recent.get(fingerprint(baseUrl, token, ca));
    const fresh = last && clock.now().getTime() - Date.parse(last.at) < passedTestTtlMs ? last : undefined;
    let report: TargetTestReport | null = null;
    if (!input.saveAnyway && !fresh?.ok) {
      report = await runTest(baseUrl, token, ca);
      if (!report.ok) return { saved: false, report };
    }
    const tested = report ?? fresh;
    const id = saved?.id ?? newId(input.name);
    if (input.token !== undefined) await vault.set(targetSecretName(id), token);
    const config = targetConfigSchema.parse({
      ...(saved ?? { product: 'jira', addedAt: clock.now().toISOString() }),
      id,
      name: input.name,
      baseUrl,
      caCertPem: ca,
      tokenHint: input.token !== undefined ? maskToken(token) : (saved?.tokenHint ?? ''),
      ...(tested ? { lastTest: lastTestOf(tested) } : {}),
    });
    writeTargets((targets) => (saved ? targets.map((t) => (t.id === id ? config : t)) : [...targets, config]));
    logger.info(saved ? 'targets: target updated' : 'targets: target added', {
      id,
      url: baseUrl,
      tested: report !== null,
      saveAnyway: input.saveAnyway,
    });
    changed();
    return { saved: true, target: summary(config), report };
  }

  function lastTestOf(report: TargetTestReport) {
    return {
      at: report.at,
      ok: report.ok,
      product: report.product,
      version: report.version,
      problems: report.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.id),
    };
  }

  async function startDemo(): Promise<RunningDemoJira> {
    if (!options.demoJira) throw new AppError('demo-jira-unavailable', 'The demo Jira is not part of this app.');
    if (demo) return demo;
    demoStarting ??= options.demoJira.start().then(
      (running) => {
        demo = running;
        return running;
      },
      (error: unknown) => {
        demoStarting = undefined;
        logger.warn('targets: the demo Jira did not start', { error: error instanceof Error ? error.message : String(error) });
        throw new AppError('demo-jira-failed', 'The demo Jira did not start. Try again; if it keeps failing, restart the app.');
      },
    );
    return demoStarting;
  }

  /** Points the demo target at the running demo Jira: a fresh instance, so what the sync kept of the last one goes. */
  async function pointDemoTarget(running: RunningDemoJira): Promise<TargetConfig> {
    await vault.set(targetSecretName(demoTargetId), running.info.adminToken);
    options.forgetLinks(demoTargetId);
    const existing = find(demoTargetId);
    const config = targetConfigSchema.parse({
      ...(existing ?? { id: demoTargetId, name: uniqueDemoName(), product: 'jira', addedAt: clock.now().toISOString() }),
      baseUrl: running.info.baseUrl,
      caCertPem: running.info.caCertPem,
      tokenHint: maskToken(running.info.adminToken),
      demo: true,
      lastTest: undefined,
    });
    writeTargets((targets) => (existing ? targets.map((t) => (t.id === demoTargetId ? config : t)) : [...targets, config]));
    return config;
  }

  function uniqueDemoName(): string {
    const names = new Set(configs().map((t) => lower(t.name)));
    if (!names.has('demo jira')) return 'Demo Jira';
    for (let n = 2; ; n++) if (!names.has(`demo jira ${n}`)) return `Demo Jira ${n}`;
  }

  async function remove(id: string): Promise<{ removed: boolean }> {
    const config = find(id);
    if (!config) return { removed: false };
    writeTargets((targets) => targets.filter((t) => t.id !== id));
    await vault.delete(targetSecretName(id));
    options.forgetLinks(id);
    logger.info('targets: target removed', { id });
    changed();
    return { removed: true };
  }

  return {
    list,
    async test(input) {
      const { saved, baseUrl, token, ca, sameAsSaved } = await resolve(input);
      const report = await runTest(baseUrl, token, ca);
      if (saved && sameAsSaved) {
        keepLastTest(saved.id, report);
        changed();
      }
      return report;
    },
    save,
    remove,
    async startDemoJira() {
      const already = demo !== undefined;
      const running = await startDemo();
      const config = already && find(demoTargetId) ? find(demoTargetId)! : await pointDemoTarget(running);
      changed();
      return summary(config);
    },
    async restoreDemoJira() {
      if (!find(demoTargetId)?.demo || !options.demoJira) return;
      await pointDemoTarget(await startDemo());
      changed();
    },
    async leaveDemo() {
      const running = demo;
      demo = undefined;
      demoStarting = undefined;
      if (find(demoTargetId)?.demo) await remove(demoTargetId);
      await running?.close();
    },
    nameOf: (id) => (id === localTargetId ? 'Embedded directory' : find(id)?.name),
    async engineTarget(id, use) {
      const config = find(id);
      if (!config) throw new AppError('target-not-found', 'That target no longer exists. Choose another in Settings → Targets.');
      if (config.demo && !demo) await pointDemoTarget(await startDemo());
      const current = find(id)!;
      const token = await tokenOf(id);
      const transport = targetTransport(current, env);
      const target = engineTargetFor({ config: current, token, db: use.db, transport, clock, globalPolicy: use.globalPolicy });
      return { target, close: () => transport.close() };
    },
    async close() {
      const running = demo;
      demo = undefined;
      demoStarting = undefined;
      await running?.close();
    },
  };
}
