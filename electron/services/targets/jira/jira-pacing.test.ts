import { describe, expect, it } from 'vitest';
import { startJiraEmulator } from '../../../emulator/jira';
import { RemotePacer } from '../remote/pacer';
import { type RemoteTargetError } from '../remote/remote-error';
import { VirtualClock } from '../remote/virtual-clock';
import { collect, jiraRig } from './test-support';

const RATE = { limit: 10, fillRate: 20, intervalSeconds: 1 };
const USERS = 120;

/** Creates USERS users at once through a target paced (or not) by the headers; figures in virtual time. */
async function createUnderRateLimit(followRateHeaders: boolean) {
  const clock = new VirtualClock();
  const jira = await startJiraEmulator({ clock, rateLimit: RATE });
  const pacer = new RemotePacer({ clock, maxConcurrency: 4, followRateHeaders, maxRetries: 50, random: () => 0.5 });
  const rig = jiraRig(jira, clock, { pacer });
  try {
    const start = clock.now();
    const results = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        rig.target.createUser(
          `ext-${i}`,
          { username: `paced.${i}`, email: `p${i}@example.com`, displayName: `P ${i}`, givenName: null, surname: null },
          true,
        ),
      ),
    );
    const counters = jira.control.counters();
    const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
    const seconds = clock.elapsedSince(start) / 1000;
    return {
      results,
      created: jira.control.users().filter((u) => u.name.startsWith('paced.')).length,
      requests,
      throttled: counters.throttled429,
      // Requests beyond the full bucket, against what the fill rate allowed in that time.
      usedShare: (requests - counters.throttled429 - RATE.limit) / (seconds * RATE.fillRate),
      stats: pacer.stats(),
    };
  } finally {
    await rig.close();
    await jira.close();
  }
}

describe('JiraTarget pacing under Jira rate limiting', () => {
  it('runs at the rate the headers allow with almost no 429s; ignoring them meets a wall of 429s', async () => {
    const paced = await createUnderRateLimit(true);
    expect(paced.results.every((r) => r === 'applied')).toBe(true);
    expect(paced.created).toBe(USERS);
    expect(paced.throttled).toBeLessThanOrEqual(Math.ceil(paced.requests * 0.01));
    expect(paced.usedShare).toBeGreaterThan(0.85);
    expect(paced.stats.allowedPerSecond).toBe(20);

    const naive = await createUnderRateLimit(false);
    expect(naive.created).toBe(USERS);
    expect(naive.throttled).toBeGreaterThan(naive.requests * 0.2);
  });

  it('waits as long as Retry-After says on a 503, then succeeds', async () => {
    const clock = new VirtualClock();
    const jira = await startJiraEmulator({ clock });
    const rig = jiraRig(jira, clock);
    try {
      jira.control.setFaults({ atRequest: { 1: '503' }, retryAfterSeconds: 2 });
      const start = clock.now();
      const users = await collect(rig.target.readUsers());
      expect(users.length).toBe(jira.control.users().length);
      expect(clock.elapsedSince(start)).toBeGreaterThanOrEqual(2000);
      expect(jira.control.counters().requests['GET /user/list']).toBe(2);
    } finally {
      await rig.close();
      await jira.close();
    }
  });

  it('opens the circuit after failures in a row, calls nothing while open, and closes after the cooldown', async () => {
    const clock = new VirtualClock();
    const jira = await startJiraEmulator({ clock });
    const pacer = new RemotePacer({ clock, breakerThreshold: 3, breakerCooldownMs: 30_000 });
    const rig = jiraRig(jira, clock, { pacer });
    const read = () =>
      collect(rig.target.readUsers()).then(
        () => undefined,
        (e: unknown) => e as RemoteTargetError,
      );
    try {
      jira.control.setFaults({ rate500: 1 });
      for (let i = 0; i < 3; i++) expect(await read()).toMatchObject({ code: 'unavailable', reason: 'server-error' });
      const before = jira.control.counters().requests['GET /user/list'];
      const open = await read();
      expect(open).toMatchObject({ code: 'unavailable', reason: 'circuit-open' });
      expect(open?.message).toMatch(/failed 3 calls in a row/);
      expect(jira.control.counters().requests['GET /user/list']).toBe(before);
      expect(pacer.stats().breakerOpen).toBe(true);

      jira.control.clearFaults();
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 30_000));
      expect(await read()).toBeUndefined();
      expect(pacer.stats().breakerOpen).toBe(false);
    } finally {
      await rig.close();
      await jira.close();
    }
  });
});

describe('JiraTarget with a token Jira does not accept', () => {
  it('says 401 means a bad token and 403 a missing administrator right, without the token in the message', async () => {
    const clock = new VirtualClock();
    const jira = await startJiraEmulator({ clock });
    const bad = jiraRig(jira, clock, { token: 'revoked-or-mistyped-token' });
    const plain = jiraRig(jira, clock, { token: jira.info.userToken });
    try {
      const e401 = await collect(bad.target.readUsers()).then(
        () => undefined,
        (e: unknown) => e as RemoteTargetError,
      );
      expect(e401).toMatchObject({ code: 'rejected', reason: 'token-rejected' });
      expect(e401?.message).toMatch(/expired, revoked or mistyped/);
      expect(e401?.message).not.toContain('revoked-or-mistyped-token');
      const e403 = await plain.target
        .createUser('x', { username: 'x.y', email: 'x@example.com', displayName: null, givenName: null, surname: null }, true)
        .then(
          () => undefined,
          (e: unknown) => e as RemoteTargetError,
        );
      expect(e403).toMatchObject({ code: 'rejected', reason: 'forbidden' });
      expect(e403?.message).not.toContain(jira.info.userToken);
    } finally {
      await bad.close();
      await plain.close();
      await jira.close();
    }
  });
});
