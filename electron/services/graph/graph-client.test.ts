import { PageIterator } from '@microsoft/microsoft-graph-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloudById, knownClouds } from '../../../shared/clouds';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { diagnoseTokenFailure } from '../entra/diagnosis';
import { emulatorCloud } from '../entra/validator-harness';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { createGraphConnection, describeFailure, type GraphConnectionOptions } from './graph-client';

describe('createGraphConnection without a network', () => {
  // Microsoft's hosts are unreachable here, so a recording transport shows what msal would send: with static
  // authority metadata the token POST is the only request, for every cloud (no instance discovery).
  it.each(knownClouds.map((c) => [c.id, c] as const))(
    '%s: one request, the token POST, with the cloud scope',
    async (_id, cloud) => {
      const sent: string[] = [];
      const recording = {
        fetch: async () => {
          throw new Error('no Graph call expected');
        },
        msalNetworkClient: {
          sendGetRequestAsync: async (url: string) => {
            sent.push(`GET ${url}`);
            throw new Error('no GET expected');
          },
          sendPostRequestAsync: async (url: string, options?: { body?: string }) => {
            sent.push(`POST ${url.split('?')[0]} ${new URLSearchParams(options?.body ?? '').get('scope')}`);
            return { status: 400, headers: {}, body: { error: 'invalid_client', error_codes: [7000215] } } as never;
          },
        },
        proxyUrl: undefined,
        close: async () => {},
      } as unknown as HttpTransport;
      const graph = createGraphConnection({
        cloud,
        tenantId: 'contoso.onmicrosoft.com',
        clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        clientSecret: 'abc8Q~' + 'x'.repeat(34),
        transport: recording,
      });
      await expect(graph.getToken()).rejects.toThrow();
      expect(sent).toEqual([
        `POST ${cloud.authorityHost}/contoso.onmicrosoft.com/oauth2/v2.0/token ${cloud.graphResource}/.default`,
      ]);
      expect(graph.requestCount()).toBe(1);
    },
  );

  it('DoD asks for the DoD Graph scope on the US Gov token host', () => {
    expect(cloudById('usgov-dod')).toMatchObject({
      authorityHost: 'https://login.microsoftonline.us',
      graphResource: 'https://dod-graph.microsoft.us',
    });
  });
});

describe('createGraphConnection against the demo tenant', () => {
  let emu: RunningEmulator;
  let transport: HttpTransport;
  const opened: { close(): void }[] = [];
  const connect = (over: Partial<GraphConnectionOptions> = {}) => {
    const graph = createGraphConnection({
      cloud: emulatorCloud(emu.info),
      tenantId: emu.info.tenantId,
      clientId: emu.info.clientId,
      clientSecret: emu.info.clientSecret,
      transport,
      ...over,
    });
    opened.push(graph);
    return graph;
  };

  beforeAll(async () => {
    emu = await startEmulator({ users: 25, groups: 4, seed: 9 });
    transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
  });
  afterEach(() => {
    for (const g of opened.splice(0)) g.close();
    emu.control.clearFaults();
  });
  afterAll(async () => {
    await transport.close();
    await emu.close();
  });

  it('gets a token with its roles, caches it, and skips the cache on forceRefresh', async () => {
    const graph = connect();
    const issued = emu.control.counters().tokensIssued;
    const first = await graph.getToken();
    expect(first.roles).toEqual(['Directory.Read.All']);
    expect(first.expiresOn).toBeInstanceOf(Date);
    await graph.getToken();
    expect(emu.control.counters().tokensIssued).toBe(issued + 1);
    const fresh = await graph.getToken({ forceRefresh: true });
    expect(emu.control.counters().tokensIssued).toBe(issued + 2);
    expect(fresh.accessToken).not.toBe(first.accessToken);
    expect(graph.requestCount()).toBe(2);
  });

  it('reads every page of users through the transport with the same token', async () => {
    const graph = connect();
    const ids: string[] = [];
    const first = await graph.client.api('/users').select('id,displayName').top(10).get();
    const iterator = new PageIterator(graph.client, first, (user: { id: string }) => {
      ids.push(user.id);
      return true;
    });
    await iterator.iterate();
    expect(new Set(ids).size).toBe(25);
    // 1 token + 3 pages.
    expect(graph.requestCount()).toBe(4);
  });

  it('a token failure inside a Graph call keeps its AADSTS number', async () => {
    const graph = connect({ clientSecret: 'abc8Q~' + 'y'.repeat(34) });
    const error = await graph.client
      .api('/users')
      .get()
      .catch((e: unknown) => e);
    expect(describeFailure(error)).toMatchObject({ kind: 'token', aadsts: 7000215, status: 401 });
    expect(String((error as Error).message)).not.toContain('y'.repeat(34));
  });

  it('a network failure inside a Graph call keeps its classification', async () => {
    const graph = connect();
    await graph.getToken();
    emu.control.setFaults({ rateReset: 1, scope: 'graph' });
    const error = await graph.client
      .api('/users')
      .get()
      .catch((e: unknown) => e);
    const failure = describeFailure(error);
    expect(failure.kind).toBe('network');
    expect(failure.kind === 'network' && failure.failure.code).toBe('reset');
  });

  it('a Graph error keeps status, code and Retry-After', async () => {
    const graph = connect({ retry: { maxRetries: 1, maxDelaySeconds: 1 } });
    emu.control.setFaults({ rate429: 1, scope: 'graph', retryAfterSeconds: 9 });
    const error = await graph.client
      .api('/users')
      .get()
      .catch((e: unknown) => e);
    expect(describeFailure(error)).toMatchObject({ kind: 'graph', status: 429, code: 'TooManyRequests', retryAfterSeconds: 9 });
  });

  it('a tenant identifier Entra cannot parse (900023) and an empty secret are diagnosed', async () => {
    const ctx = { cloud: emulatorCloud(emu.info), tenant: 'not_a_tenant', clientId: emu.info.clientId, host: 'app' as const };
    const bad = await connect({ tenantId: 'not_a_tenant' })
      .getToken()
      .catch((e: unknown) => e);
    expect(diagnoseTokenFailure(describeFailure(bad), ctx)).toMatchObject({ check: 'tenant', code: 'tenant-invalid' });
    const empty = await connect({ clientSecret: '' })
      .getToken()
      .catch((e: unknown) => e);
    expect(diagnoseTokenFailure(describeFailure(empty), ctx)).toMatchObject({ check: 'secret', code: 'secret-not-sent' });
  });
});
