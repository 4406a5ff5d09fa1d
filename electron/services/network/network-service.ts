/**
 * Settings → Network: read, save (all checked first; nothing half-written) and test the proxy, the extra trusted CA
 * certificate and the custom cloud endpoints. The connection service reads the saved values for every new transport,
 * so the next connection test or sync uses them without a restart.
 *
 * ```ts
 * const network = createNetworkService({ settings, clock, logger, env: process.env });
 * await network.save(input);  // { saved: true, view } or { saved: false, problems }
 * await network.test(input);  // reaches the token host of the connection's cloud as the next test would
 * ```
 */
import { X509Certificate } from 'node:crypto';
import { cloudById, type Cloud } from '../../../shared/clouds';
import type { NetworkSaveResult, NetworkTestAnswer } from '../../../shared/contract/network';
import {
  splitBypass,
  type NetworkInput,
  type NetworkSettings,
  type NetworkTestResult,
  type NetworkView,
} from '../../../shared/network';
import { createHttpTransport } from '../http/transport';
import { classifyNetworkError } from '../http/network-error';
import type { Clock, Logger } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { checkNetworkInput, cloudFromEndpoints, factsOf, transportNetwork, type TransportNetwork } from './network-settings';

export interface NetworkServiceDeps {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The environment the `system` choice reads (HTTPS_PROXY, NO_PROXY). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long the test waits for an answer. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface NetworkService {
  view(): NetworkView;
  save(input: NetworkInput): Promise<NetworkSaveResult>;
  test(input: NetworkInput): Promise<NetworkTestAnswer>;
}

/** The environment's proxy, reduced to scheme, host and port (never a user name or password). */
function systemProxy(env: NetworkServiceDeps['env']): string | undefined {
  const raw = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'set, but not a valid address';
  }
}

export function createNetworkService(deps: NetworkServiceDeps): NetworkService {
  const { settings, clock, logger, env } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;

  const endpointsInUse = () => {
    const c = settings.get().connection;
    return c.cloud === 'custom' && !c.demo;
  };

  /** The cloud whose token host the test reaches: the connection's (the demo tenant's admin would use global). */
  const cloudToTest = (network: NetworkSettings): Cloud => {
    const c = settings.get().connection;
    if (c.demo) return cloudById('global');
    if (c.cloud === 'custom') return network.customEndpoints ? cloudFromEndpoints(network.customEndpoints) : cloudById('global');
    return cloudById(c.cloud);
  };

  const view = (): NetworkView => {
    const n = settings.get().network;
    let certificate;
    if (n.caCertPem) {
      try {
        certificate = factsOf(new X509Certificate(n.caCertPem), clock.now());
      } catch {
        certificate = undefined;
      }
    }
    return {
      proxy: { mode: n.proxy.mode, url: n.proxy.url, bypass: n.proxy.bypass },
      ...(certificate ? { certificate } : {}),
      ...(n.caCertPem ? { caCertPem: n.caCertPem } : {}),
      ...(n.customEndpoints ? { customEndpoints: n.customEndpoints } : {}),
      endpointsInUse: endpointsInUse(),
      testHost: new URL(cloudToTest(n).authorityHost).host,
      demo: settings.get().connection.demo,
      system: {
        ...(systemProxy(env) ? { proxy: systemProxy(env) } : {}),
        bypass: splitBypass(env.NO_PROXY || env.no_proxy || ''),
      },
    };
  };

  return {
    view,

    async save(input) {
      const checked = checkNetworkInput(input, clock.now());
      if (!checked.ok) return { saved: false, problems: checked.problems };
      settings.update((s) => ({ ...s, network: checked.settings }));
      const n = checked.settings;
      // The proxy host is a fact for support; the bypass list and certificate are named, never dumped.
      logger.info('network settings saved', {
        proxy: n.proxy.mode,
        ...(n.proxy.mode === 'manual' ? { proxyHost: new URL(n.proxy.url).host } : {}),
        bypassEntries: n.proxy.bypass.length,
        extraCa: checked.certificate ? checked.certificate.subject : 'none',
        customEndpoints: n.customEndpoints ? 'set' : 'none',
      });
      return { saved: true, view: view() };
    },

    async test(input) {
      const checked = checkNetworkInput(input, clock.now());
      if (!checked.ok) return { tested: false, problems: checked.problems };
      const result = await reachTokenHost(transportNetwork(checked.settings), cloudToTest(checked.settings), env, timeoutMs);
      logger.info('network test', { outcome: result.outcome, host: result.host, viaProxy: result.via ?? 'direct' });
      return { tested: true, result };
    },
  };
}

/**
 * One GET of the token host's OpenID configuration through a transport built as the next connection test would
 * build it. Any HTTP answer means the host was reached; a failure is told in words by what stopped it.
 */
export async function reachTokenHost(
  network: TransportNetwork,
  cloud: Cloud,
  env: NetworkServiceDeps['env'],
  timeoutMs: number,
): Promise<NetworkTestResult> {
  const transport = createHttpTransport({ ...network, env, timeoutMs, userAgent: 'EntraSyncAssistant' });
  const url = `${cloud.authorityHost}/common/v2.0/.well-known/openid-configuration`;
  const host = new URL(cloud.authorityHost).host;
  const via = transport.proxyFor(url);
  const route = via ? `through the proxy ${via}` : 'directly, without a proxy';
  const base = { host, ...(via ? { via } : {}) };
  try {
    const response = await transport.fetch(url);
    await response.arrayBuffer().catch(() => undefined);
    return {
      ...base,
      outcome: 'reachable',
      headline: `${host} was reached ${route}.`,
      detail: `It answered (HTTP ${response.status}). The next connection test and sync go the same way.`,
    };
  } catch (error) {
    const failure = classifyNetworkError(error, { url, ...(via ? { proxyUrl: via } : {}) });
    switch (failure.code) {
      case 'proxy':
        return {
          ...base,
          outcome: 'proxy-failed',
          headline:
            failure.causeCode === 'ECONNREFUSED'
              ? `The proxy ${via ?? ''} refused the connection: nothing answers at that address and port.`.replace('  ', ' ')
              : `The proxy ${via ?? ''} could not take the request to ${host}.`.replace('  ', ' '),
          detail: 'Check the proxy address and port with your network team, or choose another proxy setting, then test again.',
        };
      case 'tls-untrusted':
        return {
          ...base,
          outcome: 'tls-untrusted',
          headline: `${host} was reached ${route}, but its certificate is not trusted by this computer.`,
          detail:
            'A TLS-inspecting proxy replaces Microsoft’s certificate with its own: add that proxy’s CA certificate here and test again.',
        };
      case 'dns':
        return {
          ...base,
          outcome: 'dns',
          headline: `The name ${host} could not be found (DNS) ${route}.`,
          detail: 'This network may only reach the internet through a proxy: choose it here, then test again.',
        };
      case 'timeout':
        return {
          ...base,
          outcome: 'timeout',
          headline: `${host} did not answer within ${Math.round(timeoutMs / 1000)} seconds ${route}.`,
          detail: 'A firewall may be dropping the traffic, or a proxy is needed: check with your network team.',
        };
      case 'refused':
        return {
          ...base,
          outcome: 'refused',
          headline: `${host} refused the connection ${route}.`,
          detail: 'A firewall rejects it, or the address is wrong.',
        };
      default:
        return { ...base, outcome: 'failed', headline: failure.message, detail: `Tried ${route}.` };
    }
  } finally {
    await transport.close();
  }
}
