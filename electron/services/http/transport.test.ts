import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, connect as netConnect, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalCertificates, type LocalCertificates } from '../../emulator/certificates';
import { classifyNetworkError, NetworkFailureError } from './network-error';
import { createHttpTransport, MsalNetworkError, type HttpTransport } from './transport';

type AnyServer = HttpsServer | HttpServer | NetServer;
const servers: AnyServer[] = [];
const sockets = new Set<Socket>();
const transports: HttpTransport[] = [];

async function listen<T extends AnyServer>(server: T): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function transport(options: Parameters<typeof createHttpTransport>[0] = {}): HttpTransport {
  const t = createHttpTransport(options);
  transports.push(t);
  return t;
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetworkFailureError);
  return (error as NetworkFailureError).failure;
}

async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let certs: LocalCertificates;
let trustedPort: number;

beforeAll(async () => {
  certs = await generateLocalCertificates();
  trustedPort = await listen(
    createHttpsServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => res.end(JSON.stringify({ got: body, ua: req.headers['user-agent'] ?? null })));
        return;
      }
      res.end(JSON.stringify({ ok: true, ua: req.headers['user-agent'] ?? null }));
    }),
  );
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('createHttpTransport', () => {
  it('trusts a server signed by the extra CA and sends the user agent', async () => {
    const t = transport({ extraCaPem: certs.caCertPem, userAgent: 'entra-sync-test/1' });
    const res = await t.fetch(`https://127.0.0.1:${trustedPort}/x`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ua: 'entra-sync-test/1' });
  });

  it('reports an untrusted certificate as tls-untrusted without the extra CA', async () => {
    const failure = await failureOf(transport().fetch(`https://127.0.0.1:${trustedPort}/x`));
    expect(failure.code).toBe('tls-untrusted');
    expect(failure.causeCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(failure.message).toContain(`127.0.0.1:${trustedPort}`);
  });

  it('reports a self-signed leaf as tls-untrusted', async () => {
    const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], { algorithm: 'sha256' });
    const port = await listen(createHttpsServer({ key: leaf.private, cert: leaf.cert }, (_q, r) => r.end()));
    const failure = await failureOf(transport({ extraCaPem: certs.caCertPem }).fetch(`https://127.0.0.1:${port}/`));
    expect(failure).toMatchObject({ code: 'tls-untrusted', causeCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const failure = await failureOf(transport().fetch(`https://127.0.0.1:${port}/`));
    expect(failure).toMatchObject({ code: 'refused', causeCode: 'ECONNREFUSED', host: `127.0.0.1:${port}` });
  });

  it('aborts a server that never answers with a clear timeout', async () => {
    const port = await listen(createNetServer(() => undefined));
    const failure = await failureOf(transport({ timeoutMs: 300 }).fetch(`http://127.0.0.1:${port}/`));
    expect(failure.code).toBe('timeout');
    expect(failure.message).toMatch(/did not answer in time/);
  });

  it('reports a connection reset as reset', async () => {
    const port = await listen(createNetServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const failure = await failureOf(transport().fetch(`http://127.0.0.1:${port}/`));
    expect(failure.code).toBe('reset');
  });

  it('reports an unreachable proxy as proxy, and NO_PROXY bypasses it', async () => {
    const proxyPort = await closedPort();
    const env = { HTTPS_PROXY: `http://user:pw@127.0.0.1:${proxyPort}`, NO_PROXY: 'localhost' };
    const t = transport({ extraCaPem: certs.caCertPem, env });
    const failure = await failureOf(t.fetch(`https://127.0.0.1:${trustedPort}/x`));
    expect(failure.code).toBe('proxy');
    expect(failure.message).not.toContain('pw');
    expect(t.proxyUrl).toBe(`http://127.0.0.1:${proxyPort}`);
    const bypass = transport({ extraCaPem: certs.caCertPem, env: { ...env, NO_PROXY: '127.0.0.1' } });
    expect((await bypass.fetch(`https://127.0.0.1:${trustedPort}/x`)).status).toBe(200);
  });

  it('tunnels through a working CONNECT proxy', async () => {
    let tunnels = 0;
    const proxy = createHttpServer();
    proxy.on('connect', (req, client: Socket) => {
      tunnels++;
      const [host, port] = String(req.url).split(':');
      const upstream = netConnect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      sockets.add(upstream);
    });
    const proxyPort = await listen(proxy);
    const t = transport({ extraCaPem: certs.caCertPem, proxyUrl: `http://127.0.0.1:${proxyPort}` });
    const res = await t.fetch(`https://127.0.0.1:${trustedPort}/x`);
    expect(await res.json()).toMatchObject({ ok: true });
    expect(tunnels).toBe(1);
  });

  it('gives msal-node a network client returning headers, body and status, and keeps the failure', async () => {
    const t = transport({ extraCaPem: certs.caCertPem });
    const post = await t.msalNetworkClient.sendPostRequestAsync<{ got: string }>(`https://127.0.0.1:${trustedPort}/t`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(post.status).toBe(200);
    expect(post.body.got).toBe('a=1');
    expect(post.headers['content-type']).toBe('application/json');
    const port = await closedPort();
    const error = await t.msalNetworkClient.sendGetRequestAsync(`https://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsalNetworkError);
    expect((error as MsalNetworkError).errorCode).toBe('network_error');
    expect((error as MsalNetworkError).failure.code).toBe('refused');
  });
});

describe('classifyNetworkError', () => {
  const wrap = (code: string, extra: Record<string, unknown> = {}) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code}`), { code, ...extra }) });

  it('maps DNS codes through the cause chain and names the host', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const f = classifyNetworkError(wrap(code, { hostname: 'login.example' }), { url: 'https://login.example/x' });
      expect(f).toMatchObject({ code: 'dns', causeCode: code, host: 'login.example' });
      expect(f.message).toContain('login.example');
    }
  });

  it('maps offline, timeout and unknown', () => {
    expect(classifyNetworkError(wrap('ENETUNREACH')).code).toBe('offline');
    expect(classifyNetworkError(wrap('UND_ERR_CONNECT_TIMEOUT')).code).toBe('timeout');
    expect(classifyNetworkError(new DOMException('x', 'AbortError')).code).toBe('timeout');
    expect(classifyNetworkError(new Error('strange')).code).toBe('unknown');
  });

  it('finds the cause under a Graph client error body', () => {
    const graphLike = Object.assign(new Error('fetch failed'), { body: wrap('ECONNRESET') });
    expect(classifyNetworkError(graphLike).code).toBe('reset');
  });
});
