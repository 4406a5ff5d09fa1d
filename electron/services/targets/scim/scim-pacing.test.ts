import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncProgressEvent } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startAtlassianScim } from '../../../emulator/scim';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { VirtualClock } from '../remote/virtual-clock';
import { scimSyncRig } from './test-support';

/**
 * The pace against Atlassian Cloud, whose rate limits are unpublished: a 429 with Retry-After and no rate headers.
 * The target honours Retry-After and learns the allowed rate from the 429s; on a virtual clock shared with the
 * emulator the figures are exact and cost no real waiting.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  entra = await startEmulator({ users: 900, groups: 10, seed: 44 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'scim-pacing-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a full sync into Atlassian Cloud under its rate limit (20 requests/s, no rate headers) on a virtual clock', () => {
  it('waits as Retry-After says and keeps to the learned rate: under 2% answered 429, over 75% of the allowed rate used in a one-minute run, pace said as Atlassian Cloud', async () => {
    const clock = new VirtualClock();
    const rig = await scimSyncRig(
      () => startAtlassianScim({ clock, ratePerSecond: 20 }),
      source,
      dir,
      defaultSyncPolicy(),
      clock,
      { scimPreset: 'atlassian-cloud' },
    );
    try {
      rig.service.resetCounters();
      const start = clock.now();
      const events: SyncProgressEvent[] = [];
      const result = await rig.sync({ onProgress: (e) => events.push(e), batchSize: 200 });
      const seconds = clock.elapsedSince(start) / 1000;
      expect(result.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
      const counters = rig.service.counters();
      const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
      const allowed = 20 + 20 * seconds;
      expect(requests).toBeGreaterThan(900);
      expect(counters.throttled429 / requests, `${counters.throttled429} of ${requests} answered 429`).toBeLessThan(0.02);
      expect((requests - counters.throttled429) / allowed, `${requests} requests in ${seconds} s`).toBeGreaterThan(0.75);
      const applying = events.filter((e) => e.phase === 'applying' && e.pace);
      expect(applying.at(-1)!.pace).toEqual({ requestsPerSecond: expect.any(Number) as number, limitedBy: 'Atlassian Cloud' });
      expect((await rig.sync()).plan!.items).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
