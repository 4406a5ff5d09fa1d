import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { FakeClock, settle } from '../schedule/fake-clock';
import { connectToEmulator } from '../sync/test-support';
import type { HttpTransport } from '../http/transport';
import type { GraphConnection } from './graph-client';
import {
  DeltaExpiredError,
  GraphAnswerError,
  GraphPager,
  GraphReadError,
  isDeltaExpired,
  type PagerOptions,
} from './graph-pager';
import { startGraphStandIn, withStatus, type GraphStandIn } from './graph-stand-in';

/**
 * Retry timing on a controlled clock: the pager waits on the Clock port, so each wait is measured exactly by moving
 * time, against the demo tenant's injected faults over real HTTPS. Nothing waits in real time.
 */
// vi.waitFor gives up after 1 s of real time by default: a wall-clock bound that a loaded machine (the first
// request's TLS handshake and token under mutation testing) can miss. Wait for the state as long as the test may run.
const untilTestTimeout = { timeout: 60_000, interval: 10 };

describe('GraphPager retry timing', () => {
  let emulator: RunningEmulator;
  let connection: GraphConnection;
  let transport: HttpTransport;
  let clock: FakeClock;

  beforeAll(async () => {
    // Whole seconds, near the real date: HTTP-dates have second resolution, and TLS checks the emulator's
    // certificate (dated from this clock) against real time.
    clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    emulator = await startEmulator({ users: 20, groups: 3, seed: 2, clock });
    ({ connection, transport } = connectToEmulator(emulator));
  });
  afterAll(async () => {
    connection.close();
    await transport.close();
    await emulator.close();
  });
  beforeEach(() => emulator.control.clearFaults());

  const pager = (extra: Partial<PagerOptions> = {}) =>
    new GraphPager({ client: connection.client, clock, random: () => 0, ...extra });

  /** Starts a GET and reports whether it has settled, without awaiting it. */
  function started(p: GraphPager) {
    const state = { settled: false };
    const promise = p.get('/users?$select=id&$top=1').finally(() => (state.settled = true));
    return { state, promise };
  }

  /** Moves the clock to 1 ms before the expected wait ends, checks nothing was sent, then to its end. */
  async function expectWait(p: GraphPager, get: ReturnType<typeof started>, ms: number, requestsBefore: number) {
    await vi.waitFor(() => expect(clock.pending()).toBe(1), untilTestTimeout);
    await clock.advance(ms - 1);
    expect(get.state.settled).toBe(false);
    expect(p.requests).toBe(requestsBefore);
    await clock.advance(1);
  }

  it('honours Retry-After in seconds', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 30 });
    const p = pager();
    const get = started(p);
    await expectWait(p, get, 30_000, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
    expect({ requests: p.requests, retries: p.retries }).toEqual({ requests: 2, retries: 1 });
  });

  it('honours Retry-After as an HTTP-date', async () => {
    emulator.control.setFaults({ atRequest: { 1: '503' }, retryAfterSeconds: 90, retryAfterForm: 'http-date' });
    const p = pager();
    const get = started(p);
    await expectWait(p, get, 90_000, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
  });

  it('pauses every request of the read after a 429, not only the throttled one', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 20 });
    const p = pager();
    const first = started(p);
    await vi.waitFor(() => expect(clock.pending()).toBe(1), untilTestTimeout);
    await clock.advance(5_000);
    // A second request of the same read, 5 s into the pause, waits for the remaining 15 s before it is sent.
    const second = started(p);
    await vi.waitFor(() => expect(clock.pending()).toBe(2), untilTestTimeout);
    await clock.advance(14_999);
    expect(p.requests).toBe(1);
    await clock.advance(1);
    await Promise.all([first.promise, second.promise]);
    expect(p.requests).toBe(3);
  });

  it('backs off exponentially without Retry-After (504s), from the configured first backoff', async () => {
    emulator.control.setFaults({ atRequest: { 1: '504', 2: '504' } });
    const p = pager({ backoffMs: 1_000 });
    const get = started(p);
    // random() = 0: half of 1 s, then half of 2 s.
    await expectWait(p, get, 500, 1);
    await expectWait(p, get, 1_000, 2);
    await expect(get.promise).resolves.toHaveProperty('value');
    expect(p.retries).toBe(2);
  });

  it('stops at once, without waiting, when Retry-After asks for longer than five minutes', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 600 });
    const read = pager().get('/users?$select=id&$top=1');
    await expect(read).rejects.toBeInstanceOf(GraphReadError);
    await expect(read).rejects.toThrow(/asked to wait 10 minutes before trying again; the sync stopped instead/);
    expect(clock.pending()).toBe(0);
  });

  it('gives up after the configured attempts', async () => {
    emulator.control.setFaults({ rate503: 1, retryAfterSeconds: 1 });
    const p = pager({ maxAttempts: 2 });
    const read = p.get('/users?$select=id&$top=1');
    read.catch(() => {});
    await vi.waitFor(() => expect(clock.pending()).toBe(1), untilTestTimeout);
    await clock.advance(1_000);
    await expect(read).rejects.toMatchObject({ code: 'graph-read-failed', message: expect.stringContaining('503') });
    expect(p.requests).toBe(2);
  });

  it('stops waiting when the run is cancelled, leaving no timer behind', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 60 });
    const controller = new AbortController();
    const read = pager({ signal: controller.signal }).get('/users?$select=id&$top=1');
    read.catch(() => {});
    await vi.waitFor(() => expect(clock.pending()).toBe(1), untilTestTimeout);
    controller.abort(new Error('cancelled by the admin'));
    await expect(read).rejects.toThrow('cancelled by the admin');
    expect(clock.pending()).toBe(0);
  });

  it('waits out a Retry-After of exactly five minutes (longer stops the run)', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 300 });
    const p = pager();
    const get = started(p);
    await expectWait(p, get, 300_000, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
  });

  it('names the wait in whole minutes, rounded up', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 301 });
    await expect(pager().get('/users?$select=id&$top=1')).rejects.toThrow(/asked to wait 6 minutes/);
  });

  it('jitters the backoff between half and all of it (random 0.5: three quarters)', async () => {
    emulator.control.setFaults({ atRequest: { 1: '504' } });
    const p = pager({ backoffMs: 1_000, random: () => 0.5 });
    const get = started(p);
    await expectWait(p, get, 750, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
  });

  it('caps the backoff at 30 s before jitter', async () => {
    emulator.control.setFaults({ atRequest: { 1: '504' } });
    const p = pager({ backoffMs: 40_000 });
    const get = started(p);
    await expectWait(p, get, 15_000, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
  });

  it('leaves no abort listener behind once a wait ends', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 5 });
    const controller = new AbortController();
    const p = pager({ signal: controller.signal });
    const get = { state: { settled: false }, promise: p.get('/users?$select=id&$top=1') };
    get.promise.finally(() => (get.state.settled = true)).catch(() => {});
    await expectWait(p, get, 5_000, 1);
    await expect(get.promise).resolves.toHaveProperty('value');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a request of a cancelled read fails at once during a pause, leaving no timer or listener', async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 60 });
    const controller = new AbortController();
    const p = pager({ signal: controller.signal });
    const first = p.get('/users?$select=id&$top=1');
    first.catch(() => {});
    await vi.waitFor(() => expect(clock.pending()).toBe(1), untilTestTimeout);
    controller.abort(new Error('cancelled by the admin'));
    await expect(first).rejects.toThrow('cancelled by the admin');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The pause of the 429 still runs; a second request of the cancelled read does not wait it out.
    const second = p.get('/users?$select=id&$top=1');
    second.catch(() => {});
    await settle();
    expect(clock.pending()).toBe(0);
    await expect(second).rejects.toThrow('cancelled by the admin');
    expect(p.requests).toBe(1);
  });
});

describe('GraphPager against answers of a Graph stand-in', () => {
  let standIn: GraphStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });
  const pagerOn = (s: GraphStandIn, extra: Partial<PagerOptions> = {}) =>
    new GraphPager({ client: s.connection.client, backoffMs: 1, random: () => 0, ...extra });

  it('a 410 is a failure like any other outside delta tracking (get and follow), and a rejected token on a delta link', async () => {
    standIn = await startGraphStandIn(() => withStatus(410, { error: { code: 'Gone', message: 'gone' } }));
    await expect(pagerOn(standIn).get('/users')).rejects.toBeInstanceOf(GraphReadError);
    await expect(pagerOn(standIn).follow('/users', () => {})).rejects.toBeInstanceOf(GraphReadError);
    await expect(pagerOn(standIn).follow('/users/delta', () => {}, true)).rejects.toBeInstanceOf(DeltaExpiredError);
  });

  it.each([500, 502, 503, 504])('retries a %i', async (status) => {
    let n = 0;
    standIn = await startGraphStandIn(() =>
      ++n === 1 ? withStatus(status, { error: { code: 'x', message: 'x' } }) : { value: [1] },
    );
    const p = pagerOn(standIn);
    await expect(p.get('/users')).resolves.toEqual({ value: [1] });
    expect(p.retries).toBe(1);
  });

  it('stops when the first link comes back as a next-page link', async () => {
    standIn = await startGraphStandIn(() => ({ value: [1], '@odata.nextLink': `${standIn!.origin}/v1.0/users` }));
    const read = pagerOn(standIn).follow(`${standIn.origin}/v1.0/users`, () => {});
    await expect(read).rejects.toThrow(/already sent \(after page 1\)/);
    expect(standIn.requests).toHaveLength(1);
  });

  const endless = (perPage: number, pages: number) => (r: { query: URLSearchParams }) => {
    const page = Number(r.query.get('p') ?? '0');
    const value = Array.from({ length: perPage }, (_, i) => i);
    return page < pages ? { value, '@odata.nextLink': `${standIn!.origin}/v1.0/users?p=${page + 1}` } : { value };
  };

  it('grows the page bound by one page per ten objects delivered, not more', async () => {
    // 5 objects a page, slack 2: page 4 is past 2 + 15/10.
    standIn = await startGraphStandIn(endless(5, 20));
    await expect(pagerOn(standIn, { pageSlack: 2 }).follow('/users', () => {})).rejects.toBeInstanceOf(GraphAnswerError);
    expect(standIn.requests).toHaveLength(3);
  });

  it('counts the nested objects a page handler reports toward the bound', async () => {
    // Empty pages, but each carries 10 member links: the bound grows by one page per page.
    standIn = await startGraphStandIn(endless(0, 5));
    await expect(pagerOn(standIn, { pageSlack: 1 }).follow('/users', () => 10)).resolves.toBeUndefined();
    expect(standIn.requests).toHaveLength(6);
  });
});

describe('isDeltaExpired', () => {
  const graph = (status: number, code: string) =>
    ({ kind: 'graph', status, code, message: 'm', retryAfterSeconds: undefined, requestId: undefined }) as const;

  it('is true only for 410 Gone and the codes of an expired or unknown sync state', () => {
    expect(isDeltaExpired(graph(410, 'Gone'))).toBe(true);
    expect(isDeltaExpired(graph(400, 'syncStateNotFound'))).toBe(true);
    expect(isDeltaExpired(graph(400, 'resyncRequired'))).toBe(true);
    expect(isDeltaExpired(graph(403, 'Authorization_RequestDenied'))).toBe(false);
    expect(isDeltaExpired(graph(503, 'resyncRequired'))).toBe(false);
    expect(isDeltaExpired(graph(400, 'BadRequest'))).toBe(false);
    expect(isDeltaExpired({ kind: 'network', failure: { code: 'reset', message: 'reset' } } as never)).toBe(false);
  });
});
