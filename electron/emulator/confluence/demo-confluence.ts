/** The demo Confluence as a demo-targets starter (demo-targets.ts): the administrator's personal access token, the CA. */
import type { DemoStartOptions, StartedDemoTarget } from '../demo-targets';
import { startConfluenceEmulator } from './confluence-emulator';

/** Starts a demo Confluence, rate-limited when asked (a token bucket of `ratePerSecond`, X-RateLimit-* headers). */
export async function startDemoConfluence(options: DemoStartOptions = {}): Promise<StartedDemoTarget> {
  const rate = options.ratePerSecond;
  const confluence = await startConfluenceEmulator(
    rate !== undefined ? { rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } } : {},
  );
  return {
    info: { baseUrl: confluence.info.baseUrl, secret: confluence.info.adminToken, caCertPem: confluence.info.caCertPem },
    caCertPath: confluence.info.caCertPath,
    emulator: confluence,
    close: () => confluence.close(),
  };
}
