/**
 * The validator against an independent HTTPS server the test starts, acting as a flaky or hostile Graph: transient
 * faults ridden out within the run's budget (on a jumping clock, so no test waits for real), persistent ones named
 * with their number of tries, and addresses that are not https refused before any check can pass.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../../shared/validation';
import { jumpingClock, startFakeGraph, type FakeGraph, type Reply } from '../graph/fake-graph-server';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { outcome } from './validator-harness';
import { createCredentialValidator, type ValidationInput } from './validator';

let graph: FakeGraph;
let transport: HttpTransport;

beforeEach(async () => {
  graph = await startFakeGraph();
  transport = createHttpTransport({ extraCaPem: graph.caCertPem, timeoutMs: 5_000, env: {} });
});

afterEach(async () => {
  await transport.close();
  await graph.close();
});

async function validate(over: Partial<ValidationInput> = {}, budgetMs = 8_000) {
  const clock = jumpingClock();
  const validator = createCredentialValidator({ transport, host: 'app', clock, retry: { budgetMs, firstDelayMs: 500 } });
  try {
    const report = await validator.validate({
      cloud: graph.cloud(),
      tenant: graph.tenantId,
      clientId: graph.clientId,
      secret: graph.clientSecret,
      ...over,
    });
    return { report, waits: clock.waits };
  } finally {
    validator.close();
  }
}

const check = (report: ValidationReport, id: string) => report.checks.find((c) => c.id === id);

describe('validator: transient Graph faults', () => {
  it('429 without Retry-After, 503 with Retry-After: 1, 504 and a reset are ridden out; the tries are shown', async () => {
    const faults: Reply[] = [{ status: 429 }, { status: 503, headers: { 'retry-after': '1' } }, { status: 504 }, { reset: true }];
    graph.queue('/v1.0/users?$select=id&$top=1', faults);
    const { report, waits } = await validate();
    expect(outcome(report, 'permission')).toEqual({ status: 'pass', code: 'ok' });
    expect(report.ok).toBe(true);
    // Backoff from 0.5 s doubling, except where the server named its wait (Retry-After: 1 → 1 s).
    expect(waits).toEqual([500, 1000, 2000, 4000]);
    expect(check(report, 'permission')?.details).toContain(
      'Tried 5 times after 429, 503, 504, reset, waiting 7.5 s in all (transient faults are retried for up to 8 s).',
    );
    // Every Graph request, retries included, carried the token: a pass is never an unauthenticated answer.
    const requests = graph.graphRequests();
    expect(requests.length).toBeGreaterThanOrEqual(8);
    expect(requests.every((r) => r.authorization === `Bearer ${graph.accessToken}`)).toBe(true);
  });

  it('a persistent 429 is reported as throttled with the number of tries, within the budget', async () => {
    graph.queue(
      '/v1.0/users?$select=id&$top=1',
      Array.from({ length: 50 }, () => ({ status: 429 })),
    );
    const { report, waits } = await validate();
    expect(outcome(report, 'permission')).toEqual({ status: 'fail', code: 'throttled' });
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(8_000);
    expect(check(report, 'permission')?.details.join('\n')).toMatch(
      /Tried 5 times after 429, 429, 429, 429, 429, waiting 7\.5 s/,
    );
    expect(outcome(report, 'users')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
  });

  it('a persistent 503 with Retry-After: 1 is reported as unavailable after the budget, with the tries', async () => {
    graph.queue(
      '/v1.0/groups',
      Array.from({ length: 50 }, () => ({ status: 503, headers: { 'retry-after': '1' } })),
    );
    const { report, waits } = await validate({}, 3_000);
    expect(outcome(report, 'permission')).toEqual({ status: 'pass', code: 'ok' });
    expect(outcome(report, 'groups')).toEqual({ status: 'fail', code: 'service-unavailable' });
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(check(report, 'groups')?.details.join('\n')).toContain('Tried 4 times after 503, 503, 503, 503');
  });

  it('a non-transient error (403) is not retried', async () => {
    graph.queue('/v1.0/applications', [{ status: 403, json: { error: { code: 'Authorization_RequestDenied', message: 'no' } } }]);
    const { report, waits } = await validate();
    expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiry-unknown' });
    expect(waits).toEqual([]);
  });
});

describe('validator: addresses that are not https', () => {
  it.each([
    ['an http:// Graph root', (g: FakeGraph) => ({ ...g.cloud(), graphBaseUrl: `http://127.0.0.1:${g.port}` }), 'Graph'],
    ['an http:// token host', (g: FakeGraph) => ({ ...g.cloud(), authorityHost: `http://127.0.0.1:${g.port}` }), 'token host'],
  ])('%s is refused in the first check; nothing is sent and nothing passes', async (_name, cloudOf, named) => {
    const { report } = await validate({ cloud: cloudOf(graph) });
    expect(outcome(report, 'inputs')).toEqual({ status: 'fail', code: 'endpoint-insecure' });
    expect(check(report, 'inputs')?.message).toContain(named);
    expect(check(report, 'inputs')?.message).toContain('must start with https://');
    expect(report.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.requests).toBe(0);
    expect(graph.seen).toEqual([]);
  });

  it('a Graph that redirects the permission probe to http fails that check (network-foreign-origin), token kept', async () => {
    graph.queue('/v1.0/users?$select=id&$top=1', [
      { status: 302, headers: { location: `http://127.0.0.1:${graph.port}/v1.0/users` } },
    ]);
    const { report } = await validate();
    expect(outcome(report, 'permission')).toEqual({ status: 'fail', code: 'network-foreign-origin' });
    expect(check(report, 'permission')?.message).toContain('Graph redirected to another server: http://127.0.0.1:');
    expect(JSON.stringify(report)).not.toContain(graph.accessToken);
  });
});

describe('validator: transient faults at the token endpoint', () => {
  const tokenPath = () => `/${graph.tenantId}/oauth2/v2.0/token`;

  it('a 503 with Retry-After: 1 then a 429 are sent again before msal sees them; the run passes', async () => {
    graph.queue(tokenPath(), [{ status: 503, headers: { 'retry-after': '1' } }, { status: 429 }]);
    const { report, waits } = await validate();
    expect(report.ok).toBe(true);
    expect(waits).toEqual([1000, 1000]);
    expect(check(report, 'secret')?.details.join('\n')).toContain('Tried 3 times after 503, 429');
  });

  it('a persistent 503 is reported as unavailable, with the tries', async () => {
    graph.queue(
      tokenPath(),
      Array.from({ length: 50 }, () => ({ status: 503, json: { error: 'temporarily_unavailable' } })),
    );
    const { report } = await validate({}, 2_000);
    expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'service-unavailable' });
    expect(check(report, 'tenant')?.details.join('\n')).toContain('Tried 3 times after 503, 503, 503');
  });
});
