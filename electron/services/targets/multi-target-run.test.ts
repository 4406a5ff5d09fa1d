import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TargetSaveResult } from '../../../shared/contract/targets';
import type { SyncRunRecord } from '../../../shared/sync';
import { localTargetId } from '../../../shared/targets';
import { startJiraEmulator, type RunningJiraEmulator } from '../../emulator/jira';
import { createTestCore } from '../app/test-core';

/**
 * Sync now into the embedded directory, the demo Jira and a Jira saved with a wrong token ("Save anyway"), through
 * the real core against the demo tenant and the Jira emulators over HTTPS: the wrong one fails with a code that has
 * its own advice and a sentence that reads, and each row's duration is its own pass, not the time since the run began.
 */
let wrongJira: RunningJiraEmulator;
beforeAll(async () => {
  wrongJira = await startJiraEmulator();
});
afterAll(async () => {
  await wrongJira.close();
});

describe('a run into several targets, one with a wrong token', () => {
  let t: ReturnType<typeof createTestCore>;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = <T>(channel: string, args?: unknown) => t.call<T>(channel, args);
  const finished = (count: number) => t.finished(count);

  it('fails only the wrong target, with its own code and words, and times each row by its own pass', async () => {
    await call('connection:startDemo', { users: 60, groups: 6 });
    const demo = await call<{ id: string }>('targets:startDemo', { product: 'jira' });
    const wrong = await call<TargetSaveResult>('targets:save', {
      name: 'Jira wrong token',
      baseUrl: `${wrongJira.info.baseUrl}/`,
      token: 'not-a-token',
      caCertPem: wrongJira.info.caCertPem,
      saveAnyway: true,
    });
    if (!wrong.saved) throw new Error('not saved');

    const done = finished(3);
    await call('sync:runNow', { target: 'all' });
    const runs = (await done).map((o) => o.run);
    expect(runs.map((r) => r.targetId)).toEqual([localTargetId, demo.id, wrong.target.id]);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'failed']);

    const failed = runs[2]!;
    expect(failed.error?.code).toBe('target-token-rejected');
    expect(failed.error?.message).toMatch(/^Jira did not accept the personal access token \(401\)/);
    expect(failed.error?.message).not.toMatch(/so reading .* was not changed/);
    expect(failed.error?.message).toMatch(/when reading [^;]+; nothing was changed\./);
    expect(failed.error?.message).not.toContain('not-a-token');

    // Every row starts with the run; its duration runs from the end of the row before it (the first: the read too).
    const history = await call<{ items: SyncRunRecord[] }>('sync:runs', { limit: 10 });
    const rows = runs.map((r) => history.items.find((h) => h.id === r.id)!);
    const at = (iso: string | null) => Date.parse(iso!);
    expect(rows[0]!.durationMs).toBe(at(rows[0]!.finishedAt) - at(rows[0]!.startedAt));
    for (let i = 1; i < rows.length; i++) {
      const own = at(rows[i]!.finishedAt) - at(rows[i - 1]!.finishedAt);
      expect(rows[i]!.durationMs, rows[i]!.targetId).toBeGreaterThanOrEqual(own);
      expect(rows[i]!.durationMs, rows[i]!.targetId).toBeLessThanOrEqual(own + 5);
    }
    // So the rows add up to the run's time, not a multiple of it.
    const span = at(rows[2]!.finishedAt) - at(rows[0]!.startedAt);
    const sum = rows.reduce((s, r) => s + r.durationMs!, 0);
    expect(sum).toBeLessThanOrEqual(span + 10);
    expect(rows[2]!.durationMs).toBeLessThan(rows[0]!.durationMs!);
  }, 120_000);
});
