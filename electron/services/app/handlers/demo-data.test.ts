import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectorySummary, SyncOutcome } from '../../../../shared/contract/sync';
import type { Paged, SyncRunRecord } from '../../../../shared/sync';
import { createTestCore } from '../test-core';

/** Leaving the demo tenant through the real core: its directory and history go, the admin's own state shows. */
describe('the demo tenant’s data in the app core', () => {
  let t: ReturnType<typeof createTestCore>;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = <T>(channel: string, args?: unknown) => t.call<T>(channel, args);
  const finished = () =>
    new Promise<SyncOutcome>((resolve) => {
      const off = t.events.subscribe((event, payload) => {
        if (event !== 'sync:finished') return;
        off();
        resolve(payload as SyncOutcome);
      });
    });

  it('syncs the demo into its own store, refuses to leave mid-run, and leaves the admin’s empty state on leaving', async () => {
    await call('connection:startDemo', { users: 30, groups: 4 });
    const done = finished();
    await call('sync:runNow', {});
    // Leaving while the demo's sync runs is refused with what to do.
    await expect(call('connection:stopDemo')).rejects.toMatchObject({ code: 'already-running' });
    expect((await done).run.status).toBe('succeeded');
    expect(await call<DirectorySummary>('directory:summary')).toMatchObject({ users: 30 });
    expect(existsSync(join(t.dataDir, 'demo', 'sync.db'))).toBe(true);

    await call('connection:stopDemo');
    expect(existsSync(join(t.dataDir, 'demo'))).toBe(false);
    expect(await call<DirectorySummary>('directory:summary')).toMatchObject({ users: 0, groups: 0, memberships: 0 });
    expect((await call<Paged<SyncRunRecord>>('sync:runs', {})).total).toBe(0);
    expect(await call('sync:status')).toMatchObject({ state: 'idle', lastRun: null });
    expect(await call('directory:reset')).toEqual({ runs: 0, users: 0, groups: 0 });
  });
});
