import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customCloud } from '../../../shared/clouds';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { generateLocalCertificates, type LocalCertificates } from '../../emulator/certificates';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { createConnectionService } from '../connection/connection-service';
import { NetworkFailureError } from '../http/network-error';
import { createHttpTransport, type HttpTransport, type ProxyChoice } from '../http/transport';
import { silentLogger, systemClock, type SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { reachTokenHost } from './network-service';
import { transportNetwork } from './network-settings';

/**
 * The one transport with explicit network settings, against a local HTTPS server with a certificate generated at run
 * time and a local HTTP CONNECT proxy that records every tunnel it is asked for.
 */
const sockets = new Set<Socket>();
const closers: (() => Promise<void>)[] = [];
let certs: LocalCertificates;
let httpsPort: number;
let proxyPort: number;
let refusedPort: number;
const tunnels: string[] = [];

async function listen(server: HttpServer | ReturnType<typeof createHttpsServer>): Promise<number> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

function startProxy(): HttpServer {
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket) => {
    tunnels.push(String(req.url));
    const [host, port] = String(req.url).split(':');
    const upstream = netConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return proxy;
}

const transports: HttpTransport[] = [];
function transport(proxy: ProxyChoice, extra: { ca?: boolean; env?: Record<string, string> } = {}): HttpTransport {
  const t = createHttpTransport({
    proxy,
    ...(extra.ca === false ? {} : { extraCaPem: certs.caCertPem }),
    env: extra.env ?? {},
    timeoutMs: 5_000,
  });
  transports.push(t);
  return t;
}

beforeAll(async () => {
  certs = await generateLocalCertificates();
  httpsPort = await listen(
    createHttpsServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (_req, res) => res.end('{"ok":true}')),
  );
  proxyPort = await listen(startProxy());
  const closed = createNetServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  refusedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
});

beforeEach(() => {
  tunnels.length = 0;
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  for (const s of sockets) s.destroy();
  await Promise.all(closers.map((c) => c()));
});

describe('the transport with Settings → Network', () => {
  const target = () => `https://127.0.0.1:${httpsPort}/x`;
  const proxyUrl = () => `http://127.0.0.1:${proxyPort}`;

  it('manual: every request goes through the proxy, which sees the CONNECT to the host', async () => {
    const t = transport({ mode: 'manual', url: proxyUrl() });
    expect(await (await t.fetch(target())).json()).toEqual({ ok: true });
    expect(tunnels).toEqual([`127.0.0.1:${httpsPort}`]);
    expect(t.proxyFor(target())).toBe(proxyUrl());
  });

  it('none: no proxy at all, even when the environment names one', async () => {
    const t = transport({ mode: 'none' }, { env: { HTTPS_PROXY: proxyUrl() } });
    expect((await t.fetch(target())).status).toBe(200);
    expect(tunnels).toEqual([]);
    expect(t.proxyFor(target())).toBeUndefined();
  });

  it('system: the environment’s HTTPS_PROXY and NO_PROXY', async () => {
    const t = transport({ mode: 'system' }, { env: { HTTPS_PROXY: proxyUrl() } });
    expect((await t.fetch(target())).status).toBe(200);
    expect(tunnels).toHaveLength(1);
    const bypassed = transport({ mode: 'system' }, { env: { HTTPS_PROXY: proxyUrl(), NO_PROXY: '127.0.0.1' } });
    expect((await bypassed.fetch(target())).status).toBe(200);
    expect(tunnels).toHaveLength(1);
  });

  it('manual with a bypass list: listed hosts go directly, and the environment’s NO_PROXY is not used', async () => {
    const t = transport({ mode: 'manual', url: proxyUrl(), bypass: ['localhost', '127.0.0.1'] }, { env: { NO_PROXY: '' } });
    expect((await t.fetch(target())).status).toBe(200);
    expect(tunnels).toEqual([]);
    expect(t.proxyFor(target())).toBeUndefined();
    const other = transport({ mode: 'manual', url: proxyUrl(), bypass: ['.example.com'] }, { env: { NO_PROXY: '127.0.0.1' } });
    expect((await other.fetch(target())).status).toBe(200);
    expect(tunnels).toHaveLength(1);
  });

  it('trusts the server with the extra CA from the settings, and not without it', async () => {
    const network = transportNetwork({ ...defaultSettings().network, caCertPem: certs.caCertPem });
    const trusted = createHttpTransport({ ...network, env: {} });
    transports.push(trusted);
    expect((await trusted.fetch(target())).status).toBe(200);
    const error = await transport({ mode: 'none' }, { ca: false })
      .fetch(target())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkFailureError);
    expect((error as NetworkFailureError).failure.code).toBe('tls-untrusted');
  });
});

describe('the Test of Settings → Network', () => {
  const cloud = () =>
    customCloud({ authorityHost: `https://127.0.0.1:${httpsPort}`, graphBaseUrl: `https://127.0.0.1:${httpsPort}` });

  it('reaches the token host through the proxy and says so', async () => {
    const proxy: ProxyChoice = { mode: 'manual', url: `http://127.0.0.1:${proxyPort}` };
    const result = await reachTokenHost({ proxy, extraCaPem: certs.caCertPem }, cloud(), {}, 5_000);
    expect(result).toMatchObject({ outcome: 'reachable', via: `http://127.0.0.1:${proxyPort}` });
    expect(result.headline).toBe(`127.0.0.1:${httpsPort} was reached through the proxy http://127.0.0.1:${proxyPort}.`);
    expect(tunnels).toHaveLength(1);
  });

  it('says the proxy refused when nothing listens at its address', async () => {
    const proxy: ProxyChoice = { mode: 'manual', url: `http://127.0.0.1:${refusedPort}` };
    const result = await reachTokenHost({ proxy, extraCaPem: certs.caCertPem }, cloud(), {}, 5_000);
    expect(result.outcome).toBe('proxy-failed');
    expect(result.headline).toContain(`The proxy http://127.0.0.1:${refusedPort} refused the connection`);
    expect(result.headline + result.detail).not.toMatch(/ECONNREFUSED|undefined/);
  });

  it('says the certificate is untrusted without the CA', async () => {
    const result = await reachTokenHost({ proxy: { mode: 'none' } }, cloud(), {}, 5_000);
    expect(result.outcome).toBe('tls-untrusted');
    expect(result.headline).toContain('directly, without a proxy');
  });
});

describe('the connection service with Settings → Network', () => {
  let emulator: RunningEmulator;
  let current: Settings;
  const settings: SettingsStore = {
    get: () => current,
    update: (change) => (current = change(current)),
    notice: undefined,
  };
  const secrets = new Map<string, string>();
  const vault: SecretVault = {
    get: async (k: string) => secrets.get(k),
    set: async (k: string, v: string) => void secrets.set(k, v),
    delete: async (k: string) => void secrets.delete(k),
    protection: () => ({ secure: true, backend: 'memory' }),
  };

  beforeAll(async () => {
    emulator = await startEmulator({ users: 10 });
    closers.push(() => emulator.close());
  });

  it('uses a change for the next test, without a restart, and its fixes speak of Settings → Network', async () => {
    const { info } = emulator;
    const base = defaultSettings();
    current = {
      ...base,
      connection: { ...base.connection, cloud: 'custom', tenantId: info.tenantId, clientId: info.clientId },
      network: {
        proxy: { mode: 'manual', url: `http://127.0.0.1:${proxyPort}`, bypass: [] },
        caCertPem: info.caCertPem,
        customEndpoints: { authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, graphResource: '' },
      },
    };
    const service = createConnectionService({
      settings,
      vault,
      demoTenant: { start: () => Promise.reject(new Error('no demo here')) },
      logger: silentLogger,
      clock: systemClock,
      env: {},
      network: () => settings.get().network,
    });
    closers.push(() => service.close());
    const viaProxy = await service.test({ secret: info.clientSecret });
    expect(viaProxy.checks.find((c) => c.id === 'secret')?.status).toBe('pass');
    expect(tunnels.length).toBeGreaterThan(0);

    tunnels.length = 0;
    settings.update((s) => ({ ...s, network: { ...s.network, proxy: { mode: 'none', url: '', bypass: [] } } }));
    const direct = await service.test({ secret: info.clientSecret });
    expect(direct.checks.find((c) => c.id === 'secret')?.status).toBe('pass');
    expect(tunnels).toEqual([]);

    settings.update((s) => ({ ...s, network: { ...s.network, caCertPem: undefined } }));
    const untrusted = await service.test({ secret: info.clientSecret });
    const tenant = untrusted.checks.find((c) => c.id === 'tenant');
    expect(tenant?.code).toBe('network-tls-untrusted');
    expect(tenant?.fix).toContain('Settings → Network');
    expect(tenant?.fix).not.toContain('NODE_EXTRA_CA_CERTS');
  });
});
