import { type GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../services/ports';
import { classifyNetworkError } from '../services/http/network-error';
import type { HttpTransport } from '../services/http/transport';
import { startEmulator } from './emulator';
import { emulatorGraphClient, emulatorMsal, emulatorTransport, msalAuthProvider } from './test-support';
import type { RunningEmulator } from './types';

type Obj = Record<string, unknown>;

let offsetMs = 0;
const clock: Clock = {
  now: () => new Date(Date.now() + offsetMs),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

let emu: RunningEmulator;
let transport: HttpTransport;
let client: Client;
let token: string;

beforeAll(async () => {
  emu = await startEmulator({ users: 40, groups: 6, seed: 11, clock, tokenLifetimeSeconds: 86_400 });
  transport = emulatorTransport(emu.info);
  const msal = emulatorMsal(emu.info, transport);
  token = (await msal.acquireTokenByClientCredential({ scopes: [emu.info.scope] }))?.accessToken ?? '';
  client = emulatorGraphClient(emu.info, transport, msalAuthProvider(msal, emu.info.scope));
});
beforeEach(() => {
  // Each test starts 20 s (controlled clock) after the previous one: a fresh throttling window.
  offsetMs += 20_000;
});
afterEach(() => {
  emu.control.clearFaults();
  emu.control.setThrottleLimit(null);
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});

const get = (path: string) =>
  transport.fetch(`${emu.info.graphBaseUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('throttling by resource units', () => {
  it('sends resource-unit headers and refuses over the limit with 429, Retry-After and x-ms-* headers', async () => {
    emu.control.setThrottleLimit(10);
    emu.control.resetCounters();
    // GET /users costs 2 units, minus 1 for $select: 1 unit each.
    for (let i = 0; i < 10; i++) {
      const ok = await get('/users?$select=id');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ms-resource-unit')).toBe('1');
      if (i === 9) expect(Number(ok.headers.get('x-ms-throttle-limit-percentage'))).toBeGreaterThan(0.8);
    }
    const refused = await get('/users?$select=id');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ms-throttle-scope')).toContain(emu.info.tenantId);
    expect(((await refused.json()) as { error: Obj }).error.code).toBe('TooManyRequests');
    const counters = emu.control.counters();
    expect(counters.throttled429).toBe(1);
    expect(counters.resourceUnits).toBe(10);
    // Ten seconds later (controlled clock) the window has room again.
    offsetMs += 10_500;
    expect((await get('/users?$select=id')).status).toBe(200);
  });

  it('uses the documented limits: 3,500 units for a tenant under 50 users', async () => {
    emu.control.resetCounters();
    // Without $select GET /users costs 2: 1,750 requests fit, the next is refused. Checked with one cheap probe:
    // the limit percentage header appears only above 80 % of 3,500.
    const res = await get('/users?$top=1');
    expect(res.headers.get('x-ms-resource-unit')).toBe('1');
    expect(res.headers.get('x-ms-throttle-limit-percentage')).toBeNull();
  });

  it('is honoured by the Graph client: a 429 with Retry-After is retried and succeeds', async () => {
    emu.control.resetCounters();
    emu.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 1 });
    const page = (await client.api('/users').select('id').top(5).get()) as Obj;
    expect(page.value).toHaveLength(5);
    const counters = emu.control.counters();
    expect(counters.faults['429']).toBe(1);
    expect(counters.requests['GET /users']).toBe(1);
  });
});

describe('fault injection', () => {
  it('injects 503, which the Graph client retries, and 504', async () => {
    emu.control.setFaults({ atRequest: { 1: '503', 3: '504' }, retryAfterSeconds: 0 });
    emu.control.resetCounters();
    const page = (await client.api('/groups').select('id').get()) as Obj;
    expect((page.value as unknown[]).length).toBeGreaterThan(0);
    const gateway = await get('/groups');
    expect(gateway.status).toBe(504);
    expect(((await gateway.json()) as { error: Obj }).error.code).toBe('gatewayTimeout');
    expect(emu.control.counters().faults).toEqual({ '503': 1, '504': 1 });
  });

  it('resets connections, surfacing as a classified reset', async () => {
    emu.control.setFaults({ rateReset: 1 });
    const error = await get('/users?$top=1').catch((e: unknown) => e);
    expect(classifyNetworkError(error).code).toBe('reset');
  });

  it('draws random faults at the given rate, reproducibly', async () => {
    const statuses = async () => {
      emu.control.setFaults({ rate429: 0.3, rate503: 0.2, seed: 5, retryAfterSeconds: 0 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await get('/users?$top=1&$select=id')).status);
      return out;
    };
    const first = await statuses();
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(5);
    expect(await statuses()).toEqual(first);
  });

  it('limits faults to the given paths, counting atRequest among those only', async () => {
    emu.control.setFaults({ atRequest: { 2: '503' }, paths: ['/users/delta'] });
    expect((await get('/users/delta?$select=id')).status).toBe(200);
    expect((await get('/groups?$select=id')).status).toBe(200);
    expect((await get('/users?$select=id')).status).toBe(200);
    expect((await get('/users/delta?$select=id')).status).toBe(503);
  });

  it('writes Retry-After as an HTTP-date from its clock when asked', async () => {
    emu.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 120, retryAfterForm: 'http-date' });
    const refused = await get('/users?$select=id');
    expect(refused.status).toBe(429);
    const header = refused.headers.get('retry-after')!;
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    // An HTTP-date has whole seconds: 120 s from the answer's time, cut to the second.
    const ahead = Date.parse(header) - clock.now().getTime();
    expect(ahead).toBeGreaterThan(118_000);
    expect(ahead).toBeLessThanOrEqual(120_000);
  });

  it('delays answers by the configured latency', async () => {
    emu.control.setLatency(30);
    try {
      expect((await get('/users?$top=1')).status).toBe(200);
    } finally {
      emu.control.setLatency(0);
    }
  });
});

describe('$batch', () => {
  it('runs up to 20 requests, each answered and authorised on its own, respecting dependsOn', async () => {
    const id = emu.control.userIds({ limit: 1 })[0];
    const result = (await client.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `/users/${id}?$select=id,displayName` },
        { id: '2', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000000' },
        { id: '3', method: 'GET', url: '/groups?$select=id', dependsOn: ['1'] },
        { id: '4', method: 'GET', url: '/groups?$select=id', dependsOn: ['2'] },
      ],
    })) as { responses: { id: string; status: number; body: Obj }[] };
    const byId = new Map(result.responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(200);
    expect(byId.get('1')?.body.id).toBe(id);
    expect(byId.get('2')?.status).toBe(404);
    expect((byId.get('2')?.body.error as Obj).code).toBe('Request_ResourceNotFound');
    expect(byId.get('3')?.status).toBe(200);
    expect(byId.get('4')?.status).toBe(424);
  });

  it('throttles inner requests on their own', async () => {
    emu.control.setThrottleLimit(2);
    const result = (await client.api('/$batch').post({
      requests: [1, 2, 3].map((n) => ({ id: String(n), method: 'GET', url: '/users?$select=id&$top=1' })),
    })) as { responses: { id: string; status: number; headers: Record<string, string> }[] };
    expect(result.responses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(Number(result.responses[2]?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' }));
    const error = (await client
      .api('/$batch')
      .post({ requests })
      .catch((e: unknown) => e)) as GraphError;
    expect(error.statusCode).toBe(400);
  });
});

describe('control API over HTTP', () => {
  const call = (method: string, args: unknown[], auth = `Bearer ${emu.info.controlToken}`) =>
    transport.fetch(`${emu.info.controlUrl}/${method}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });

  it('needs the per-run token', async () => {
    expect((await call('counters', [], 'Bearer wrong')).status).toBe(401);
    expect((await call('counters', [], '')).status).toBe(401);
  });

  it('changes the directory and reads counters', async () => {
    const res = await call('addUser', [{ displayName: 'Ana Łęcka', userPrincipalName: 'ana@demo-tenant.onmicrosoft.com' }]);
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: Obj };
    const fetched = (await client.api(`/users/${result.id}`).select('displayName').get()) as Obj;
    expect(fetched.displayName).toBe('Ana Łęcka');
    const counters = (await (await call('counters', [])).json()) as { result: { requests: Record<string, number> } };
    expect(counters.result.requests['GET /users/{id}']).toBeGreaterThan(0);
    expect((await call('deleteUser', ['no-such-id'])).status).toBe(404);
    expect((await call('noSuchMethod', [])).status).toBe(404);
  });
});
