/**
 * The core's demo Jira port filled by this emulator: what the hosts pass to `createAppCore`, so the core reaches the
 * emulator only through its own `DemoJiraPort`.
 */
import type { DemoJiraPort } from '../../services/ports';
import { startJiraEmulator } from './jira-emulator';
import type { RunningJiraEmulator } from './jira-emulator';

/** The port, plus the running emulator for tests that look at what the sync wrote. */
export interface EmulatedDemoJira extends DemoJiraPort {
  running(): RunningJiraEmulator | undefined;
}

/** A fresh port per core: each keeps its own running demo Jira. */
export function emulatedDemoJira(): EmulatedDemoJira {
  let current: RunningJiraEmulator | undefined;
  return {
    async start() {
      const jira = await startJiraEmulator();
      current = jira;
      return {
        info: { baseUrl: jira.info.baseUrl, adminToken: jira.info.adminToken, caCertPem: jira.info.caCertPem },
        async close() {
          if (current === jira) current = undefined;
          await jira.close();
        },
      };
    },
    running: () => current,
  };
}
