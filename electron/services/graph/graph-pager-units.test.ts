import { describe, expect, it } from 'vitest';
import type { ConnectionFailure } from './graph-client';
import { DeltaExpiredError, GraphAnswerError, GraphReadError, isDeltaExpired, pathOf, retryAfterMs } from './graph-pager';

/**
 * The pager's pure rules, case by case: which failures end delta tracking (and so allow a full read instead of
 * failing the run), how long a Retry-After asks to wait in each of its forms, and what the errors say.
 */

const graph = (status: number, code: string, retryAfterSeconds?: number): ConnectionFailure => ({
  kind: 'graph',
  status,
  code,
  message: 'm',
  retryAfterSeconds,
  requestId: undefined,
});
const now = new Date('2026-03-01T10:00:00.000Z');

describe('isDeltaExpired: only "this token is no good" ends tracking', () => {
  it.each([
    [410, 'anything', true],
    [400, 'SYNCSTATENOTFOUND', true],
    [404, 'syncStateNotFound', true],
    [499, 'resyncRequired', true],
    [399, 'resyncRequired', false],
    [500, 'syncStateNotFound', false],
    [403, 'Forbidden', false],
    [429, 'TooManyRequests', false],
  ] as const)('%i %s → %s', (status, code, expected) => {
    expect(isDeltaExpired(graph(status, code))).toBe(expected);
  });

  it('is false for a failure that is not Graph’s answer', () => {
    const token: ConnectionFailure = {
      kind: 'token',
      error: 'invalid_client',
      aadsts: 7000215,
      status: 410,
      description: 'd',
      traceId: undefined,
      correlationId: undefined,
    };
    expect(isDeltaExpired(token)).toBe(false);
    expect(isDeltaExpired({ kind: 'unknown', message: 'syncStateNotFound' })).toBe(false);
  });
});

describe('retryAfterMs', () => {
  const withHeaders = (headers: unknown) => ({ headers });

  it('reads delay-seconds from the raw headers (a Headers object or a plain record), trimmed', () => {
    expect(retryAfterMs(withHeaders(new Headers({ 'retry-after': ' 7 ' })), graph(429, 'x'), now)).toBe(7_000);
    expect(retryAfterMs(withHeaders({ 'retry-after': '0' }), graph(429, 'x'), now)).toBe(0);
    expect(retryAfterMs(withHeaders({ 'retry-after': ' 7 ' }), graph(429, 'x'), now)).toBe(7_000);
  });

  it('reads an HTTP-date as the time left until then, never negative', () => {
    const inNinety = withHeaders({ 'retry-after': 'Sun, 01 Mar 2026 10:01:30 GMT' });
    expect(retryAfterMs(inNinety, graph(503, 'x'), now)).toBe(90_000);
    const past = withHeaders({ 'retry-after': 'Sun, 01 Mar 2026 09:00:00 GMT' });
    expect(retryAfterMs(past, graph(503, 'x'), now)).toBe(0);
  });

  it('reads only delay-seconds and an IMF-fixdate: a lenient date parse would turn junk into "no wait"', () => {
    // Date.parse reads each of these as some date (in 7 → 2001), i.e. a wait of 0 instead of the default backoff.
    for (const junk of [
      'in 7',
      'Mar 1 2026',
      '2026-03-01T10:01:30Z',
      '7.5',
      '-3',
      'Sun, 01 Mar 2026 10:01:30',
      'Sun, 31 Feb 2026 10:01:30 GMT',
      'Sun, 01 Mar 2026 25:01:30 GMT',
      'Sun, 01 Mar 2026 10:61:30 GMT',
      'Sun, 01 Mar 2026 10:01:61 GMT',
      'Sun, 01 Mar 2026 10:01:30 UTC',
      'Xyz, 01 Mar 2026 10:01:30 GMT',
      'Sun, 01 Mai 2026 10:01:30 GMT',
      'Sun, 01 Mar 2026 10:01:30 GMTZ',
      'On Sun, 01 Mar 2026 10:01:30 GMT',
    ]) {
      expect(retryAfterMs(withHeaders({ 'retry-after': junk }), graph(429, 'x', 3), now), junk).toBe(3_000);
      expect(retryAfterMs(withHeaders({ 'retry-after': junk }), graph(503, 'x'), now), junk).toBeUndefined();
    }
    expect(retryAfterMs(withHeaders({ 'retry-after': 'Sun, 01 Mar 2026 10:00:07 GMT' }), graph(429, 'x', 3), now)).toBe(7_000);
  });

  it('reads delay-seconds of any length', () => {
    expect(retryAfterMs(withHeaders({ 'retry-after': '120' }), graph(429, 'x', 3), now)).toBe(120_000);
  });

  it('reads an HTTP-date in every month and on every weekday', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    months.forEach((month, i) => {
      const header = `${days[i % 7]!}, 15 ${month} 2027 12:00:00 GMT`;
      const wait = Date.UTC(2027, i, 15, 12) - now.getTime();
      expect(retryAfterMs(withHeaders({ 'retry-after': header }), graph(503, 'x'), now), header).toBe(wait);
    });
  });

  it('falls back to what the Graph client parsed when the raw header is missing or unreadable', () => {
    expect(retryAfterMs(withHeaders({ 'retry-after': 'soon' }), graph(429, 'x', 3), now)).toBe(3_000);
    expect(retryAfterMs(withHeaders({ 'retry-after': 12 }), graph(429, 'x', 3), now)).toBe(3_000);
    expect(retryAfterMs(withHeaders(new Headers()), graph(429, 'x', 4), now)).toBe(4_000);
    expect(retryAfterMs(withHeaders('retry-after: 9'), graph(429, 'x', 5), now)).toBe(5_000);
    expect(retryAfterMs(null, graph(429, 'x', 6), now)).toBe(6_000);
    expect(retryAfterMs(withHeaders(null), graph(429, 'x', 6), now)).toBe(6_000);
    // Only an object of headers is read: a function with a like-named property is not one.
    expect(retryAfterMs(withHeaders(Object.assign(() => {}, { 'retry-after': '9' })), graph(429, 'x', 6), now)).toBe(6_000);
    expect(retryAfterMs(new Error('no headers'), graph(429, 'x', 0), now)).toBe(0);
  });

  it('is undefined when nothing asks for a wait', () => {
    expect(retryAfterMs(withHeaders({}), graph(429, 'x'), now)).toBeUndefined();
    expect(retryAfterMs(withHeaders({ 'retry-after': '' }), graph(429, 'x'), now)).toBeUndefined();
    expect(
      retryAfterMs(withHeaders({}), { kind: 'network', failure: { code: 'reset', message: 'r' } } as ConnectionFailure, now),
    ).toBeUndefined();
  });
});

describe('pathOf', () => {
  it('keeps the path of a link, without origin or query (skiptokens are opaque)', () => {
    expect(pathOf('https://graph.microsoft.com/v1.0/users?$skiptoken=abc')).toBe('/v1.0/users');
    expect(pathOf('http://127.0.0.1:4443/v1.0/groups/delta?$deltatoken=x')).toBe('/v1.0/groups/delta');
    expect(pathOf('/users/delta?$select=id')).toBe('/users/delta');
    expect(pathOf('/users/https://elsewhere/x')).toBe('/users/https://elsewhere/x');
  });
});

describe('the pager’s errors', () => {
  it('say what failed and where, with the failure in words', () => {
    const graphFailure = new GraphReadError(graph(503, 'serviceUnavailable'), '/users');
    expect(graphFailure).toMatchObject({ code: 'graph-read-failed', name: 'GraphReadError' });
    expect(graphFailure.message).toBe('Reading /users from Microsoft Graph failed: 503 serviceUnavailable: m');
    const network = new GraphReadError(
      { kind: 'network', failure: { code: 'reset', message: 'The connection was reset.' } } as ConnectionFailure,
      '/groups',
      '. Later.',
    );
    expect(network.message).toBe('Reading /groups from Microsoft Graph failed: The connection was reset.. Later.');
    const withAadsts = new GraphReadError(
      {
        kind: 'token',
        error: 'invalid_client',
        aadsts: 7000215,
        status: 401,
        description: 'Bad secret.',
        traceId: undefined,
        correlationId: undefined,
      },
      '/users',
    );
    expect(withAadsts.message).toContain('failed: AADSTS7000215: Bad secret.');
    const withoutAadsts = new GraphReadError(
      {
        kind: 'token',
        error: 'x',
        aadsts: undefined,
        status: 401,
        description: 'No token.',
        traceId: undefined,
        correlationId: undefined,
      },
      '/users',
    );
    expect(withoutAadsts.message).toContain('failed: No token.');
    expect(new GraphReadError({ kind: 'unknown', message: 'odd' }, '/users').message).toContain('failed: odd');
  });

  it('a rejected delta token asks for a full read; a bad answer says nothing was changed', () => {
    expect(new DeltaExpiredError('/users/delta', '410 Gone')).toMatchObject({
      code: 'delta-expired',
      name: 'DeltaExpiredError',
      message: 'The delta token for /users/delta was rejected (410 Gone); a full read is needed.',
    });
    expect(new GraphAnswerError('A loop.')).toMatchObject({
      code: 'graph-answer-invalid',
      name: 'GraphAnswerError',
      message: 'A loop. Nothing was changed.',
    });
  });
});
