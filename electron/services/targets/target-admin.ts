/**
 * Sync targets as the admin manages them: the `targets` settings section, each token in the secret vault, the
 * connection test before saving, removal (token and links too; the runs stay in the history), the demo products
 * started beside the demo tenant (`target-demos.ts`) and each target's sync settings (`target-sync-settings.ts`). Also
 * builds the engine target a sync of one target runs with (`engineTarget`), so the sync service never reads tokens itself.
 *
 * ```ts
 * const targets = createTargetAdmin({ settings, vault, clock, logger, events, demoJira, isDemoTenant, lastRunOf, forgetLinks });
 * const report = await targets.test({ baseUrl, token, caCertPem });  // nothing saved
 * const saved = await targets.save({ name: 'Jira', baseUrl, token });  // tests first, saves only when it passes
 * ```
 */
import type {
  TargetList,
  TargetSaveInput,
  TargetSaveResult,
  TargetSummary,
  TargetSyncSettings,
  TargetTestInput,
  TargetTestReport,
} from '../../../shared/contract/targets';
import { AppError } from '../../../shared/errors';
import type { SyncPolicyInput, SyncRunRecord } from '../../../shared/sync';
import type { SyncPolicy } from '../../../shared/sync-policy';
import {
  localTargetId,
  maskToken,
  reservedTargetNames,
  targetConfigSchema,
  targetProductInfo,
  targetProducts,
  targetSecretName,
  type TargetConfig,
  type TargetProduct,
} from '../../../shared/targets';
import type { EventSink } from '../app/events';
import type { Clock, DemoTargetsPort, Logger, SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { SqliteDatabase } from '../sync/database';
import type { EngineTarget } from '../sync/engine-target';
import { availableProducts } from './product-drivers';
import { engineTargetFor, targetTransport, testTarget } from './target-registry';
import { createDemoTargets, demoTargetIds } from './target-demos';
import { createTargetSyncSettings, type TargetSyncInput } from './target-sync-settings';
import { addressKey, checkCa, checkUrl, fingerprint, lastTestOf, type TestValues } from './target-test-values';

export type { TargetSyncInput } from './target-sync-settings';

export interface TargetAdminOptions {
  readonly settings: SettingsStore;
  /** Where tokens are kept: the vault every host can open (`openTargetVault(dataDir)`), so the terminal syncs them too. */
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  /** Absent in hosts without the emulators: no demo product is then offered. */
  readonly demoTargets?: DemoTargetsPort;
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
  /** Starts a demo product (default Jira) and adds it as a target, or points its demo target at it again. */
  startDemo(product?: TargetProduct): Promise<TargetSummary>;
  /** Demo targets pointing at demo products of an earlier session: start them and point them there (app start). */
  restoreDemos(): Promise<void>;
  /** The demo tenant was left: the demo products stop and their targets go with the demo's data. */
  leaveDemo(): Promise<void>;
  /** A target's sync settings (its own, or the global ones it inherits) and its matching and protection rules. */
  getSync(id: string, global: SyncPolicy): TargetSyncSettings;
  saveSync(input: TargetSyncInput, global: SyncPolicy): Promise<TargetSyncSettings>;
  /** The name of a target for messages; undefined when there is no such target. */
  nameOf(id: string): string | undefined;
  engineTarget(id: string, use: { db: SqliteDatabase; globalPolicy: SyncPolicyInput }): Promise<OpenedEngineTarget>;
  close(): Promise<void>;
}

/** A test is good for saving the same values without testing again for this long. */
const passedTestTtlMs = 10 * 60_000;

const lower = (s: string) => s.toLocaleLowerCase('en-US');

export function createTargetAdmin(options: TargetAdminOptions): TargetAdmin {
  const { settings, vault, clock, logger, events } = options;
  const env = options.env ?? process.env;
  /** The last test of each set of values, by fingerprint (no token kept: a hash of URL, token and CA). */
  const recent = new Map<string, TargetTestReport>();

  const configs = (): readonly TargetConfig[] => settings.get().targets;
  const find = (id: string) => configs().find((t) => t.id === id);
  function summary(config: TargetConfig): TargetSummary {
    return {
      id: config.id,
      name: config.name,
      product: config.product,
      url: config.baseUrl,
      tokenHint: config.tokenHint,
      username: config.username ?? null,
      bitbucketDisable: config.product === 'bitbucket' ? (config.bitbucketDisable ?? 'unlicense') : null,
      scimPreset: config.product === 'scim' ? (config.scimPreset ?? 'generic') : null,
      hasCaCert: Boolean(config.caCertPem || config.caCertPath),
      builtIn: false,
      demo: config.demo,
      lastTest: config.lastTest ?? null,
      lastRun: options.lastRunOf(config.id),
      sync: config.sync === 'inherit' ? 'inherit' : 'own',
    };
  }

  function list(): TargetList {
    const local: TargetSummary = {
      id: localTargetId,
      name: 'Embedded directory',
      product: 'local',
      url: null,
      tokenHint: '',
      username: null,
      bitbucketDisable: null,
      scimPreset: null,
      hasCaCert: false,
      builtIn: true,
      demo: false,
      lastTest: null,
      lastRun: options.lastRunOf(localTargetId),
      sync: 'inherit',
    };
    const protection = vault.protection();
    const products = availableProducts();
    const demoProducts =
      options.demoTargets && options.isDemoTenant()
        ? targetProducts.filter((p) => products.includes(p) && options.demoTargets!.products.includes(p))
        : [];
    return {
      targets: [local, ...configs().map(summary)],
      demoJiraOffered: demoProducts.includes('jira'),
      products: targetProducts.filter((p) => products.includes(p)),
      demoProducts,
      vault: { backend: protection.backend, secure: protection.secure },
    };
  }

  const changed = () => events.emit('targets:changed', list());

  function writeTargets(change: (targets: TargetConfig[]) => TargetConfig[]): void {
    settings.update((s) => ({ ...s, targets: change([...s.targets]) }));
  }

  const demos = createDemoTargets({
    demoTargets: options.demoTargets,
    vault,
    clock,
    logger,
    forgetLinks: (id) => options.forgetLinks(id),
    configs,
    writeTargets,
  });
  const sync = createTargetSyncSettings({ find, writeTargets, logger, changed });

  async function tokenOf(id: string): Promise<string> {
    const token = await vault.get(targetSecretName(id));
    if (!token)
      throw new AppError(
        'target-token-missing',
        `The token of target ${find(id)?.name ?? id} is not in the secret vault any more. Edit the target and paste its token again.`,
      );
    return token;
  }

  async function runTest(values: TestValues): Promise<TargetTestReport> {
    const transport = targetTransport({ caCertPem: values.ca }, env, 15_000);
    try {
      const report = await testTarget(
        {
          product: values.product,
          baseUrl: values.baseUrl,
          ...(values.username ? { username: values.username } : {}),
          ...(values.scimPreset ? { scimPreset: values.scimPreset } : {}),
        },
        values.token,
        transport,
        clock,
      );
      logger.info('targets: connection tested', {
        product: values.product,
        url: values.baseUrl,
        ok: report.ok,
        failed: report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      });
      recent.set(fingerprint(values), report);
      return report;
    } finally {
      await transport.close();
    }
  }

  function keepLastTest(id: string, report: TargetTestReport): void {
    const lastTest = lastTestOf(report);
    writeTargets((targets) => targets.map((t) => (t.id === id ? { ...t, lastTest } : t)));
  }

  /** The values a test or save is about: the typed ones, the saved ones for the rest. */
  async function resolve(input: TargetTestInput) {
    const saved = input.id === undefined ? undefined : find(input.id);
    if (input.id !== undefined && !saved)
      throw new AppError('target-not-found', 'That target no longer exists. It may have been removed in another window.');
    const product = saved?.product ?? input.product ?? 'jira';
    const info = targetProductInfo[product];
    if (!availableProducts().includes(product))
      throw new AppError('target-product-unavailable', `This build cannot sync into ${info.label}.`);
    const baseUrl = checkUrl(input.baseUrl ?? saved?.baseUrl ?? '', product);
    const username = info.usernameLabel ? (input.username ?? saved?.username) : undefined;
    if (info.usernameLabel && !username)
      throw new AppError('target-username-missing', `Type the ${lower(info.usernameLabel)} for ${info.label}.`);
    const token = input.token ?? (saved ? await tokenOf(saved.id) : undefined);
    if (!token) throw new AppError('target-token-missing', `Paste the ${lower(info.secretLabel)}: ${info.credentialWhy}`);
    const ca = input.caCertPem === null ? undefined : checkCa(input.caCertPem ?? saved?.caCertPem);
    const scimPreset = product === 'scim' ? (input.scimPreset ?? saved?.scimPreset ?? 'generic') : undefined;
    const sameAsSaved =
      saved !== undefined &&
      baseUrl === saved.baseUrl &&
      input.token === undefined &&
      (input.username === undefined || input.username === saved.username) &&
      (input.scimPreset === undefined || input.scimPreset === (saved.scimPreset ?? 'generic')) &&
      (input.caCertPem === undefined || (ca ?? '') === (saved.caCertPem ?? ''));
    const values: TestValues = {
      product,
      baseUrl,
      token,
      ca,
      ...(username ? { username } : {}),
      ...(scimPreset ? { scimPreset } : {}),
    };
    return { saved, values, sameAsSaved };
  }

  function newId(name: string): string {
    const base =
      lower(name)
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'target';
    const taken = new Set([...configs().map((t) => t.id), ...reservedTargetNames, ...demoTargetIds]);
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  function checkName(name: string, id: string | undefined): void {
    if ((reservedTargetNames as readonly string[]).includes(lower(name)))
      throw new AppError('target-name-reserved', `"${name}" is kept for the terminal's --target option. Choose another name.`);
    if (configs().some((t) => t.id !== id && lower(t.name) === lower(name)))
      throw new AppError('target-name-taken', `Another target is already called "${name}". Choose another name.`);
  }

  /** Two targets at one address (a SCIM one names its directory) would each take over the accounts the other manages. */
  function checkAddress(values: TestValues, id: string | undefined): void {
    const twin = configs().find(
      (t) => t.id !== id && t.product === values.product && addressKey(t.baseUrl) === addressKey(values.baseUrl),
    );
    if (twin)
      throw new AppError(
        'target-url-taken',
        `Target "${twin.name}" already syncs into ${twin.baseUrl}. Edit that target instead: two targets at one address would each take over the accounts the other manages.`,
      );
  }

  async function save(input: TargetSaveInput): Promise<TargetSaveResult> {
    checkName(input.name, input.id);
    const { saved, values } = await resolve(input);
    checkAddress(values, saved?.id);
    const last = recent.get(fingerprint(values));
    const fresh = last && clock.now().getTime() - Date.parse(last.at) < passedTestTtlMs ? last : undefined;
    let report: TargetTestReport | null = null;
    if (!input.saveAnyway && !fresh?.ok) {
      report = await runTest(values);
      if (!report.ok) return { saved: false, report };
    }
    const tested = report ?? fresh;
    const id = saved?.id ?? newId(input.name);
    if (input.token !== undefined) await vault.set(targetSecretName(id), values.token);
    const bitbucketDisable =
      values.product === 'bitbucket' ? (input.bitbucketDisable ?? saved?.bitbucketDisable ?? 'unlicense') : undefined;
    const config = targetConfigSchema.parse({
      ...(saved ?? { product: values.product, addedAt: clock.now().toISOString() }),
      id,
      name: input.name,
      baseUrl: values.baseUrl,
      caCertPem: values.ca,
      username: values.username,
      bitbucketDisable,
      scimPreset: values.scimPreset,
      tokenHint: input.token !== undefined ? maskToken(values.token) : (saved?.tokenHint ?? ''),
      ...(tested ? { lastTest: lastTestOf(tested) } : {}),
    });
    writeTargets((targets) => (saved ? targets.map((t) => (t.id === id ? config : t)) : [...targets, config]));
    logger.info(saved ? 'targets: target updated' : 'targets: target added', {
      id,
      product: values.product,
      url: values.baseUrl,
      tested: report !== null,
      saveAnyway: input.saveAnyway,
    });
    changed();
    return { saved: true, target: summary(config), report };
  }

  async function startDemo(product: TargetProduct = 'jira'): Promise<TargetSummary> {
    const config = await demos.start(product);
    changed();
    return summary(config);
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
      const { saved, values, sameAsSaved } = await resolve(input);
      const report = await runTest(values);
      if (saved && sameAsSaved) {
        keepLastTest(saved.id, report);
        changed();
      }
      return report;
    },
    save,
    remove,
    startDemo,
    async restoreDemos() {
      if (await demos.restore()) changed();
    },
    leaveDemo: () => demos.leave(remove),
    getSync: (id, global) => sync.getSync(id, global),
    saveSync: (input, global) => sync.saveSync(input, global),
    nameOf: (id) => (id === localTargetId ? 'Embedded directory' : find(id)?.name),
    async engineTarget(id, use) {
      const config = find(id);
      if (!config) throw new AppError('target-not-found', 'That target no longer exists. Choose another in Settings → Targets.');
      await demos.ensureRunning(config);
      const current = find(id)!;
      const token = await tokenOf(id);
      const transport = targetTransport(current, env);
      const target = engineTargetFor({ config: current, token, db: use.db, transport, clock, globalPolicy: use.globalPolicy });
      return { target, close: () => transport.close() };
    },
    close: () => demos.close(),
  };
}
