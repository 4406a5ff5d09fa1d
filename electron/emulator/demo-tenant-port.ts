/**
 * The core's demo tenant port filled by this emulator: what the hosts (and tests building a core) pass to
 * `createAppCore`, so the core reaches the emulator only through its own `DemoTenantPort`.
 */
import type { DemoTenantPort } from '../services/ports';
import { startEmulator } from './emulator';
import type { RunningEmulator } from './types';

/** The port, plus the running emulator for tests that drive the tenant beyond what the core may (consent, faults). */
export interface EmulatedDemoTenant extends DemoTenantPort {
  /** The emulator started last, until the core closes it. */
  running(): RunningEmulator | undefined;
}

/** A fresh port per core: each keeps its own running emulator. */
export function emulatedDemoTenant(): EmulatedDemoTenant {
  let current: RunningEmulator | undefined;
  return {
    async start(options) {
      const emulator = await startEmulator(options);
      current = emulator;
      return {
        info: emulator.info,
        control: emulator.control,
        async close() {
          if (current === emulator) current = undefined;
          await emulator.close();
        },
      };
    },
    running: () => current,
  };
}
