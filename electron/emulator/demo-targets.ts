/**
 * The demo products the hosts can start beside the demo tenant, one starter each: what fills the core's
 * {@link DemoTargetsPort}. A product's emulator adds its line here.
 */
import type { TargetProduct } from '../../shared/targets';
import type { DemoTargetsPort, RunningDemoTarget } from '../services/ports';
import { startJiraEmulator } from './jira';

/** A started demo product, and the emulator itself for tests that look at what a sync wrote. */
export interface StartedDemoTarget extends RunningDemoTarget {
  readonly emulator: unknown;
}

export const demoTargetStarters: Partial<Record<TargetProduct, () => Promise<StartedDemoTarget>>> = {
  async jira() {
    const jira = await startJiraEmulator();
    return {
      info: { baseUrl: jira.info.baseUrl, secret: jira.info.adminToken, caCertPem: jira.info.caCertPem },
      emulator: jira,
      close: () => jira.close(),
    };
  },
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
