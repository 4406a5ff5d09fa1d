/**
 * The real Jira target wired to a running demo Jira for tests: our transport trusting the emulator's CA, memory
 * links, a virtual clock shared with the emulator. Nothing of the HTTP path is replaced.
 */
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import type { TargetUserRecord } from '../directory-target';
import { createMemoryLinks } from '../remote/links';
import { type VirtualClock } from '../remote/virtual-clock';
import { createJiraTarget, type JiraTarget, type JiraTargetOptions } from './jira-target';

export interface JiraEmulatorLike {
  readonly info: { readonly baseUrl: string; readonly adminToken: string; readonly caCertPem: string };
}

export interface JiraTestRig {
  readonly target: JiraTarget;
  readonly links: ReturnType<typeof createMemoryLinks>;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

export function jiraRig(
  jira: JiraEmulatorLike,
  clock: VirtualClock,
  overrides: Partial<Omit<JiraTargetOptions, 'transport' | 'clock' | 'links'>> = {},
): JiraTestRig {
  const transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const links = createMemoryLinks();
  const target = createJiraTarget({
    id: 'jira-test',
    baseUrl: jira.info.baseUrl,
    token: jira.info.adminToken,
    transport,
    clock,
    links,
    ...overrides,
  });
  return { target, links, transport, close: () => transport.close() };
}

export { collect } from '../remote/test-support';

export const byName = (users: readonly TargetUserRecord[], name: string) =>
  users.find((u) => u.username.toLowerCase() === name.toLowerCase());
