/** The demo Bitbucket as a demo-targets starter (demo-targets.ts): the administrator's username and password, the CA. */
import type { DemoStartOptions, StartedDemoTarget } from '../demo-targets';
import { startBitbucketEmulator } from './bitbucket-emulator';

/** Starts a demo Bitbucket, rate-limited when asked (a token bucket of `ratePerSecond`, 429 + Retry-After). */
export async function startDemoBitbucket(options: DemoStartOptions = {}): Promise<StartedDemoTarget> {
  const rate = options.ratePerSecond;
  const bitbucket = await startBitbucketEmulator(
    rate !== undefined ? { rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } } : {},
  );
  return {
    info: {
      baseUrl: bitbucket.info.baseUrl,
      username: bitbucket.info.adminUsername,
      secret: bitbucket.info.adminPassword,
      caCertPem: bitbucket.info.caCertPem,
    },
    caCertPath: bitbucket.info.caCertPath,
    emulator: bitbucket,
    close: () => bitbucket.close(),
  };
}
