/**
 * The real Crowd target wired to a running demo Crowd for tests: our transport trusting the emulator's CA, memory
 * links, a clock shared with the emulator. Nothing of the HTTP path is replaced.
 */
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { createMemoryLinks } from '../remote/links';
import { createCrowdTarget, type CrowdTarget, type CrowdTargetOptions } from './crowd-target';

export interface CrowdEmulatorLike {
  readonly info: {
    readonly baseUrl: string;
    readonly applicationName: string;
    readonly applicationPassword: string;
    readonly caCertPem: string;
  };
}

export interface CrowdTestRig {
  readonly target: CrowdTarget;
  readonly links: ReturnType<typeof createMemoryLinks>;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

export function crowdRig(
  crowd: CrowdEmulatorLike,
  clock: Clock = systemClock,
  overrides: Partial<Omit<CrowdTargetOptions, 'transport' | 'clock' | 'links'>> = {},
): CrowdTestRig {
  const transport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const links = createMemoryLinks();
  const target = createCrowdTarget({
    id: 'crowd-test',
    baseUrl: crowd.info.baseUrl,
    applicationName: crowd.info.applicationName,
    password: crowd.info.applicationPassword,
    transport,
    clock,
    links,
    ...overrides,
  });
  return { target, links, transport, close: () => transport.close() };
}

/** Every record of a paged read. */
export async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}
