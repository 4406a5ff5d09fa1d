import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import { startConfluenceEmulator } from '../../../emulator/confluence';
import { createPrng } from '../../../emulator/prng';
import { createHttpTransport } from '../../http/transport';
import { connectToEmulator } from '../../sync/test-support';
import { RemotePacer } from '../remote/pacer';
import { VirtualClock } from '../remote/virtual-clock';
import { createConfluenceTarget } from './confluence-target';
import { confluenceSnapshot, confluenceSyncRig, type ConfluenceSyncRig } from './test-support';

const RATE = { limit: 10, fillRate: 20, intervalSeconds: 1 };
const USERS = 120;

/** Creates USERS users at once through a target paced (or not) by Confluence's headers; figures in virtual time. */
async function createUnderRateLimit(followRateHeaders: boolean) {
  const clock = new VirtualClock();
  const confluence = await startConfluenceEmulator({ clock, rateLimit: RATE });
  const transport = createHttpTransport({ extraCaPem: confluence.info.caCertPem, env: {} });
  const pacer = new RemotePacer({ clock, maxConcurrency: 4, followRateHeaders, maxRetries: 50, random: () => 0.5 });
  const target = createConfluenceTarget({
    id: 'c',
    baseUrl: confluence.info.baseUrl,
    token: confluence.info.adminToken,
    transport,
    clock,
    pacer,
  });
  try {
    const start = clock.now();
    const results = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        target.createUser(
          `ext-${i}`,
          { username: `paced.${i}`, email: `p${i}@example.com`, displayName: `P ${i}`, givenName: null, surname: null },
          true,
        ),
      ),
    );
    const counters = confluence.control.counters();
    const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
    const seconds = clock.elapsedSince(start) / 1000;
    return {
      results,
      created: confluence.control.users().filter((u) => u.username.startsWith('paced.')).length,
      requests,
      throttled: counters.throttled429,
      usedShare: (requests - counters.throttled429 - RATE.limit) / (seconds * RATE.fillRate),
      stats: pacer.stats(),
    };
  } finally {
    await transport.close();
    await confluence.close();
  }
}

describe('ConfluenceTarget pacing under Confluence rate limiting', () => {
  it('runs at the rate the X-RateLimit headers allow with almost no 429s; ignoring them meets a wall of 429s', async () => {
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
});

describe('an apply into Confluence interrupted at random points converges on the next run', () => {
  it('5 trials: cancelled after a random number of writes, re-run, nothing duplicated, then nothing to do', async () => {
    const entra = await startEmulator({ users: 30, groups: 8, seed: 12 });
    const c = connectToEmulator(entra);
    const dir = mkdtempSync(join(tmpdir(), 'confluence-cut-'));
    const rigs: ConfluenceSyncRig[] = [];
    try {
      const reference = await confluenceSyncRig(c.source, dir);
      rigs.push(reference);
      const total = (await reference.sync()).plan!.items.length;
      const wanted = confluenceSnapshot(reference.confluence);
      // User keys are random per emulator: compare by names only (the snapshot holds no keys).
      const prng = createPrng(11);
      for (let trial = 0; trial < 5; trial++) {
        const rig = await confluenceSyncRig(c.source, dir);
        rigs.push(rig);
        const stopAfter = 1 + Math.floor(prng.next() * (total - 4));
        const cut = await rig.sync({ abortAfterWrites: stopAfter });
        expect(cut.run.status, `trial ${trial}, stop after ${stopAfter}`).toBe('cancelled');
        const again = await rig.sync();
        expect(again.run.status, `trial ${trial}`).toBe('succeeded');
        expect(confluenceSnapshot(rig.confluence), `trial ${trial}`).toEqual(wanted);
        expect((await rig.sync()).plan!.items, `trial ${trial}`).toEqual([]);
      }
    } finally {
      for (const r of rigs) await r.close();
      c.connection.close();
      await c.transport.close();
      await entra.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
