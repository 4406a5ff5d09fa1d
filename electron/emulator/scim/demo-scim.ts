/** The demo SCIM target as a demo-targets starter (demo-targets.ts): the Atlassian Cloud flavour, its API key, the CA. */
import type { DemoStartOptions, StartedDemoTarget } from '../demo-targets';
import { startAtlassianScim } from './atlassian-scim-emulator';

/** Starts the demo Atlassian Cloud SCIM API, rate-limited when asked (429 + Retry-After, as Atlassian answers). */
export async function startDemoScim(options: DemoStartOptions = {}): Promise<StartedDemoTarget> {
  const scim = await startAtlassianScim({ ratePerSecond: options.ratePerSecond ?? null });
  return {
    info: { baseUrl: scim.info.baseUrl, secret: scim.info.token, caCertPem: scim.info.caCertPem },
    caCertPath: scim.info.caCertPath,
    emulator: scim,
    close: () => scim.close(),
  };
}
