/**
 * The demo products of the target admin: each one started beside the demo tenant through the {@link DemoTargetsPort}
 * and saved as the target `demo-<product>` (its secret in the vault), pointed at a fresh instance again after an app
 * start, and stopped with its target removed when the demo tenant is left. Emitting `targets:changed` stays with the
 * target admin.
 *
 * ```ts
 * const demos = createDemoTargets({ demoTargets, vault, clock, logger, forgetLinks, configs, writeTargets });
 * const config = await demos.start('confluence');  // the saved demo-confluence target
 * ```
 */
import { AppError } from '../../../shared/errors';
import { maskToken, targetConfigSchema, targetProductInfo, targetProducts, targetSecretName } from '../../../shared/targets';
import type { TargetConfig, TargetProduct } from '../../../shared/targets';
import type { Clock, DemoTargetsPort, Logger, RunningDemoTarget, SecretVault } from '../ports';

export interface DemoTargetsOptions {
  /** Absent in hosts without the emulators: no demo product is then offered. */
  readonly demoTargets?: DemoTargetsPort;
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Forgets what the sync keeps for a target: a demo product started afresh. */
  forgetLinks(targetId: string): void;
  /** The saved targets. */
  configs(): readonly TargetConfig[];
  writeTargets(change: (targets: TargetConfig[]) => TargetConfig[]): void;
}

export interface DemoTargets {
  /** Starts a demo product and points its demo target at it (unless it already runs and has its target). */
  start(product?: TargetProduct): Promise<TargetConfig>;
  /** Starts the demo products whose targets an earlier session left and points them there; true when any was. */
  restore(): Promise<boolean>;
  /** Stops the demo products, then removes every demo target with `remove`. */
  leave(remove: (id: string) => Promise<unknown>): Promise<void>;
  /** A demo target whose product does not run in this session: starts it and points the target there. */
  ensureRunning(config: TargetConfig): Promise<void>;
  /** Stops the demo products. */
  close(): Promise<void>;
}

/** The demo target of a product: `demo-jira`, `demo-confluence`, … */
export const demoTargetIdOf = (product: TargetProduct) => `demo-${product}`;
export const demoTargetIds = new Set(targetProducts.map(demoTargetIdOf));

const lower = (s: string) => s.toLocaleLowerCase('en-US');

export function createDemoTargets(options: DemoTargetsOptions): DemoTargets {
  const { vault, clock, logger, configs, writeTargets } = options;
  const demos = new Map<TargetProduct, RunningDemoTarget>();
  const demoStarting = new Map<TargetProduct, Promise<RunningDemoTarget>>();

  const find = (id: string) => configs().find((t) => t.id === id);

  async function startDemoProduct(product: TargetProduct): Promise<RunningDemoTarget> {
    const label = targetProductInfo[product].shortLabel;
    if (!options.demoTargets?.products.includes(product))
      throw new AppError('demo-target-unavailable', `The demo ${label} is not part of this app.`);
    const running = demos.get(product);
    if (running) return running;
    let starting = demoStarting.get(product);
    if (!starting) {
      starting = options.demoTargets.start(product).then(
        (started) => {
          demos.set(product, started);
          demoStarting.delete(product);
          return started;
        },
        (error: unknown) => {
          demoStarting.delete(product);
          logger.warn('targets: a demo product did not start', {
            product,
            error: error instanceof Error ? error.message : String(error),
          });
          throw new AppError(
            'demo-target-failed',
            `The demo ${label} did not start. Try again; if it keeps failing, restart the app.`,
          );
        },
      );
      demoStarting.set(product, starting);
    }
    return starting;
  }

  /** Points a product's demo target at its running demo: a fresh instance, so what the sync kept of the last one goes. */
  async function pointDemoTarget(product: TargetProduct, running: RunningDemoTarget): Promise<TargetConfig> {
    const id = demoTargetIdOf(product);
    await vault.set(targetSecretName(id), running.info.secret);
    options.forgetLinks(id);
    const existing = find(id);
    const config = targetConfigSchema.parse({
      ...(existing ?? { id, name: uniqueDemoName(product), product, addedAt: clock.now().toISOString() }),
      baseUrl: running.info.baseUrl,
      caCertPem: running.info.caCertPem,
      username: running.info.username,
      ...(product === 'bitbucket' ? { bitbucketDisable: existing?.bitbucketDisable ?? 'unlicense' } : {}),
      ...(product === 'scim' ? { scimPreset: 'atlassian-cloud' } : {}),
      tokenHint: maskToken(running.info.secret),
      demo: true,
      lastTest: undefined,
    });
    writeTargets((targets) => (existing ? targets.map((t) => (t.id === id ? config : t)) : [...targets, config]));
    return config;
  }

  function uniqueDemoName(product: TargetProduct): string {
    const base = `Demo ${targetProductInfo[product].shortLabel}`;
    const names = new Set(configs().map((t) => lower(t.name)));
    if (!names.has(lower(base))) return base;
    for (let n = 2; ; n++) if (!names.has(lower(`${base} ${n}`))) return `${base} ${n}`;
  }

  async function stopDemos(): Promise<void> {
    const running = [...demos.values()];
    demos.clear();
    demoStarting.clear();
    await Promise.all(running.map((r) => r.close()));
  }

  return {
    async start(product = 'jira') {
      const id = demoTargetIdOf(product);
      const already = demos.has(product);
      const running = await startDemoProduct(product);
      return already && find(id) ? find(id)! : await pointDemoTarget(product, running);
    },
    async restore() {
      if (!options.demoTargets) return false;
      let restored = false;
      for (const product of targetProducts) {
        if (!find(demoTargetIdOf(product))?.demo || !options.demoTargets.products.includes(product)) continue;
        await pointDemoTarget(product, await startDemoProduct(product));
        restored = true;
      }
      return restored;
    },
    async leave(remove) {
      const demoIds = configs()
        .filter((t) => t.demo)
        .map((t) => t.id);
      await stopDemos();
      for (const id of demoIds) await remove(id);
    },
    async ensureRunning(config) {
      if (config.demo && !demos.has(config.product))
        await pointDemoTarget(config.product, await startDemoProduct(config.product));
    },
    close: stopDemos,
  };
}
