/**
 * The bearer token never leaves the configured Graph origin: a connection against independent HTTPS servers the
 * test starts (a hostile Graph linking or redirecting elsewhere, a plain-http one), over real HTTPS.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { readDirectoryFull } from './directory-reader';
import { startFakeGraph, type FakeGraph } from './fake-graph-server';
import { createGraphConnection, describeFailure, type GraphConnection } from './graph-client';

let graph: FakeGraph;
let other: FakeGraph;
let transport: HttpTransport;
let connection: GraphConnection;

beforeEach(async () => {
  [graph, other] = await Promise.all([startFakeGraph(), startFakeGraph()]);
  transport = createHttpTransport({ extraCaPem: [graph.caCertPem, other.caCertPem], timeoutMs: 5_000, env: {} });
  connection = createGraphConnection({
    cloud: graph.cloud(),
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    transport,
    retry: { maxRetries: 0 },
  });
});

afterEach(async () => {
  connection.close();
  await transport.close();
  await Promise.all([graph.close(), other.close()]);
});

/** Page 1 of /users with a nextLink to `next`. */
function firstPageLinksTo(next: string): void {
  graph.route((r) =>
    r.url.startsWith('/v1.0/users?') ? { status: 200, json: { value: [{ id: 'u1' }], '@odata.nextLink': next } } : undefined,
  );
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the request should have failed').toBeDefined();
  return { error, failure: describeFailure(error) };
}

describe('the Graph connection keeps its token on the Graph origin', () => {
  it('sends the token to the configured origin on every request', async () => {
    await connection.client.api('/users').top(1).get();
    await connection.client.api(`${graph.origin}/v1.0/groups?$top=1`).get();
    expect(graph.graphRequests().map((r) => r.authorization)).toEqual([
      `Bearer ${graph.accessToken}`,
      `Bearer ${graph.accessToken}`,
    ]);
  });

  it('a nextLink to another port of the same host: refused with a coded error, the other server sees nothing', async () => {
    firstPageLinksTo(`${other.origin}/v1.0/users?$skiptoken=2`);
    const page = (await connection.client.api('/users').top(1).get()) as { '@odata.nextLink': string };
    const { failure, error } = await failureOf(connection.client.api(page['@odata.nextLink']).get());
    expect(failure).toMatchObject({ kind: 'network', failure: { code: 'foreign-origin', host: `127.0.0.1:${other.port}` } });
    expect(failure.kind === 'network' && failure.failure.message).toContain(
      `Graph returned a link to another server: ${other.origin}`,
    );
    expect(String(error)).not.toContain(graph.accessToken);
    expect(other.seen).toEqual([]);
  });

  it('a nextLink to another host name on the same port (localhost for 127.0.0.1) is refused too', async () => {
    const elsewhere = `https://localhost:${graph.port}`;
    firstPageLinksTo(`${elsewhere}/v1.0/users?$skiptoken=2`);
    const page = (await connection.client.api('/users').top(1).get()) as { '@odata.nextLink': string };
    const { failure } = await failureOf(connection.client.api(page['@odata.nextLink']).get());
    expect(failure).toMatchObject({ kind: 'network', failure: { code: 'foreign-origin' } });
    expect(failure.kind === 'network' && failure.failure.message).toContain(`another server: ${elsewhere}`);
    // Only the first page reached the server: the link was never followed.
    expect(graph.graphRequests()).toHaveLength(1);
  });

  it('an http:// nextLink is refused, not glued onto the Graph root', async () => {
    const { failure } = await failureOf(connection.client.api(`http://127.0.0.1:${graph.port}/v1.0/users?$skiptoken=2`).get());
    expect(failure).toMatchObject({ kind: 'network', failure: { code: 'foreign-origin' } });
    expect(graph.graphRequests()).toEqual([]);
  });

  it('a redirect within the origin is followed with the token; a 302 to http:// or another port fails the request', async () => {
    graph.route((r) =>
      r.url.startsWith('/v1.0/moved') ? { status: 302, headers: { location: '/v1.0/users?$top=1' } } : undefined,
    );
    await expect(connection.client.api('/moved').get()).resolves.toMatchObject({ value: [{ id: 'u1' }] });
    expect(graph.graphRequests().map((r) => [r.url, r.authorization])).toEqual([
      ['/v1.0/moved', `Bearer ${graph.accessToken}`],
      ['/v1.0/users?$top=1', `Bearer ${graph.accessToken}`],
    ]);

    const plain = await startPlainHttp();
    try {
      graph.route((r) =>
        r.url.startsWith('/v1.0/to-http') ? { status: 302, headers: { location: `${plain.origin}/v1.0/users` } } : undefined,
      );
      const toHttp = await failureOf(connection.client.api('/to-http').get());
      expect(toHttp.failure).toMatchObject({ kind: 'network', failure: { code: 'foreign-origin' } });
      expect(toHttp.failure.kind === 'network' && toHttp.failure.failure.message).toContain(
        `Graph redirected to another server: ${plain.origin}`,
      );
      expect(plain.seen).toEqual([]);

      graph.route((r) =>
        r.url.startsWith('/v1.0/to-port') ? { status: 307, headers: { location: `${other.origin}/v1.0/users` } } : undefined,
      );
      const toPort = await failureOf(connection.client.api('/to-port').get());
      expect(toPort.failure).toMatchObject({ kind: 'network', failure: { code: 'foreign-origin' } });
      expect(other.seen).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('an http:// Graph root: no request is ever sent, so nothing is answered without a token', async () => {
    const plain = await startPlainHttp();
    try {
      const insecure = createGraphConnection({
        cloud: { ...graph.cloud(), graphBaseUrl: plain.origin },
        tenantId: graph.tenantId,
        clientId: graph.clientId,
        clientSecret: graph.clientSecret,
        transport,
      });
      const { failure } = await failureOf(insecure.client.api('/users').get());
      expect(failure).toMatchObject({ kind: 'network', failure: { code: 'insecure-url' } });
      expect(plain.seen).toEqual([]);
      insecure.close();
    } finally {
      await plain.close();
    }
  });

  it('the directory reader goes through the same guard: a read linking elsewhere fails and imports nothing', async () => {
    const deltaLink = (path: string) => ({
      status: 200,
      json: { value: [], '@odata.deltaLink': `${graph.origin}/v1.0/${path}?$deltatoken=t1` },
    });
    graph.route((r) => (r.url.startsWith('/v1.0/users/delta') ? deltaLink('users/delta') : undefined));
    graph.route((r) => (r.url.startsWith('/v1.0/groups/delta') ? deltaLink('groups/delta') : undefined));
    other.route((r) => (r.url.startsWith('/v1.0/users') ? { status: 200, json: { value: [{ id: 'planted' }] } } : undefined));
    firstPageLinksTo(`${other.origin}/v1.0/users?$skiptoken=2`);
    await expect(readDirectoryFull({ client: connection.client, userFields: ['id', 'displayName'] })).rejects.toThrow(
      `Graph returned a link to another server: ${other.origin}`,
    );
    expect(other.seen).toEqual([]);
  });
});

/** A plain-http server on 127.0.0.1 that records what it receives and answers 200 to anything. */
async function startPlainHttp(): Promise<{ origin: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value: [{ id: 'cleartext' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
