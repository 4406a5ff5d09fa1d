import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncProgressEvent } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startCrowdEmulator } from '../../../emulator/crowd';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { RemotePacer } from '../remote/pacer';
import { VirtualClock } from '../remote/virtual-clock';
import { crowdSyncRig } from './test-support';
import { crowdRig } from './test-support';

/**
 * The pace against Crowd, which sends no rate-limit headers: a limiter in front of it answers 429 with Retry-After
 * only. The target honours Retry-After and learns the allowed rate from the 429s (remote/rate-learner.ts); when the
 * headers are there after all (a proxy sending Atlassian's), it follows them and meets no 429 at all. Virtual clocks
 * shared with the emulator: the pace is exact and costs no real waiting.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  entra = await startEmulator({ users: 800, groups: 16, seed: 33 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'crowd-pacing-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a full sync into Crowd under a 429-only rate limit (20 requests/s) on a virtual clock', () => {
  it('learns the rate from the 429s: under 1% answered 429, over 90% of the allowed rate used, pace said as Crowd’s', async () => {
    const clock = new VirtualClock();
    const rig = await crowdSyncRig(source, dir, defaultSyncPolicy(), { clock, rateLimit: { limit: 20, fillRate: 20 } }, clock);
    try {
      rig.crowd.control.resetCounters();
      const start = clock.now();
      const events: SyncProgressEvent[] = [];
      const result = await rig.sync({ onProgress: (e) => events.push(e) });
      const seconds = clock.elapsedSince(start) / 1000;
      expect(result.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
      const counters = rig.crowd.control.counters();
      const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
      const allowed = 20 + 20 * seconds;
      expect(requests).toBeGreaterThan(1500);
      expect(counters.throttled429 / requests, `${counters.throttled429} of ${requests} answered 429`).toBeLessThan(0.01);
      expect((requests - counters.throttled429) / allowed, `${requests} requests in ${seconds} s`).toBeGreaterThan(0.9);
      const applying = events.filter((e) => e.phase === 'applying' && e.pace);
      expect(applying.at(-1)!.pace).toEqual({ requestsPerSecond: expect.any(Number) as number, limitedBy: 'Crowd' });
    } finally {
      await rig.close();
    }
  });
});

describe('CrowdTarget pacing', () => {
  async function burst(headers: boolean) {
    const clock = new VirtualClock();
    const crowd = await startCrowdEmulator({ clock, rateLimit: { limit: 10, fillRate: 10, headers } });
    // The pacer's jitter fixed, so the figures replay.
    const rig = crowdRig(crowd, clock, { pacer: new RemotePacer({ clock, maxConcurrency: 4, random: () => 0.5 }) });
    try {
      const start = clock.now();
      for (let i = 0; i < 4; i++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            rig.target.createUser(
              `e-${i}-${n}`,
              { username: `u${i}.${n}`, email: `u${i}.${n}@x.example`, displayName: 'U', givenName: null, surname: null },
              true,
            ),
          ),
        );
      }
      return {
        counters: crowd.control.counters(),
        seconds: clock.elapsedSince(start) / 1000,
        learned: rig.target.learner.allowedPerSecond,
      };
    } finally {
      await rig.close();
      await crowd.close();
    }
  }

  it('without headers: waits as Retry-After says, then keeps to the learned rate; with headers: no 429 at all', async () => {
    const learned = await burst(false);
    expect(learned.counters.statuses['201']).toBe(80);
    // Retry-After (1 s, plus the pacer's jitter) outlasts the refill of the bucket: the rate learned first is a lower
    // bound, raised by quiet stretches and lowered at a 429, so it stays near the allowed 10 per second.
    expect(learned.learned).toBeGreaterThan(8);
    expect(learned.learned).toBeLessThanOrEqual(11);
    expect(learned.counters.throttled429).toBeLessThanOrEqual(12);
    const told = await burst(true);
    expect(told.counters.statuses['201']).toBe(80);
    expect(told.counters.throttled429).toBe(0);
    expect(told.learned).toBeNull();
  });
});
