/**
 * The demo products the hosts can start beside the demo tenant, one starter each: what fills the core's
 * {@link DemoTargetsPort}. A product's emulator adds its line here.
 */
import type { TargetProduct } from '../../shared/targets';
import type { DemoTargetsPort, RunningDemoTarget } from '../services/ports';
import { startDemoBitbucket } from './bitbucket';
import { startDemoConfluence } from './confluence';
import { startDemoCrowd } from './crowd';
import { startJiraEmulator } from './jira';
import { startDemoScim } from './scim';

/** A started demo product, and the emulator itself for tests that look at what a sync wrote. */
export interface StartedDemoTarget extends RunningDemoTarget {
  /** The CA certificate as a file, for the terminal's `emulator` line (`caCertPath`). */
  readonly caCertPath: string;
  readonly emulator: unknown;
}

/** What a demo product can be started with (the terminal's `emulator --jira-rate N` and the like). */
export interface DemoStartOptions {
  /** Rate-limit the product to N requests per second (its own headers and 429s). */
  readonly ratePerSecond?: number;
}

export type DemoTargetStarter = (options?: DemoStartOptions) => Promise<StartedDemoTarget>;

export const demoTargetStarters: Partial<Record<TargetProduct, DemoTargetStarter>> = {
  async jira(options = {}) {
    const rate = options.ratePerSecond;
    const jira = await startJiraEmulator(
      rate !== undefined ? { rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } } : {},
    );
    return {
      info: { baseUrl: jira.info.baseUrl, secret: jira.info.adminToken, caCertPem: jira.info.caCertPem },
      caCertPath: jira.info.caCertPath,
      emulator: jira,
      close: () => jira.close(),
    };
  },
  crowd: startDemoCrowd,
  bitbucket: startDemoBitbucket,
  scim: startDemoScim,
  confluence: startDemoConfluence,
  // starters: one line per product, e.g. `confluence: startDemoConfluence,`
};

/** The port, plus the running emulators for tests. */
export interface EmulatedDemoTargets extends DemoTargetsPort {
  running(product: TargetProduct): unknown;
}

/** A fresh port per core: each keeps its own running demo products. */
export function emulatedDemoTargets(): EmulatedDemoTargets {
  const current = new Map<TargetProduct, StartedDemoTarget>();
  return {
    products: (Object.keys(demoTargetStarters) as TargetProduct[]).filter((p) => demoTargetStarters[p]),
    async start(product) {
      const starter = demoTargetStarters[product];
      if (!starter) throw new Error(`No demo ${product} in this build.`);
      const started = await starter();
      current.set(product, started);
      return {
        info: started.info,
        async close() {
          if (current.get(product) === started) current.delete(product);
          await started.close();
        },
      };
    },
    running: (product) => current.get(product)?.emulator,
  };
}
