/** The demo Crowd as a demo-targets starter (demo-targets.ts): the application's name and password, the CA. */
import type { DemoStartOptions, StartedDemoTarget } from '../demo-targets';
import { startCrowdEmulator } from './crowd-emulator';

/** Starts a demo Crowd, rate-limited when asked (429 + Retry-After, as a limiter in front of Crowd would). */
export async function startDemoCrowd(options: DemoStartOptions = {}): Promise<StartedDemoTarget> {
  const rate = options.ratePerSecond;
  const crowd = await startCrowdEmulator(
    rate !== undefined ? { rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } } : {},
  );
  return {
    info: {
      baseUrl: crowd.info.baseUrl,
      username: crowd.info.applicationName,
      secret: crowd.info.applicationPassword,
      caCertPem: crowd.info.caCertPem,
    },
    caCertPath: crowd.info.caCertPath,
    emulator: crowd,
    close: () => crowd.close(),
  };
}
