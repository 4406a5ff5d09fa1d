import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncOutcome, TenantGroupList } from '../../../../shared/contract/sync';
import { createTestCore } from '../test-core';

/**
 * The sync's channels through the real core and dispatcher (payload validation included), on the demo tenant the
 * connection service starts: what the renderer sees over IPC or HTTP.
 */
describe('sync handlers on the demo tenant', () => {
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

  it('refuses to sync before a connection exists, with a code', async () => {
    await expect(call('sync:runNow', {})).rejects.toMatchObject({ code: 'connection-incomplete' });
    await expect(call('sync:tenantGroups', {})).rejects.toMatchObject({ code: 'connection-incomplete' });
    expect(await call('sync:status')).toMatchObject({ state: 'idle', lastRun: null });
  });

  it('answers a start with the run id, then reports through events; lists tenant groups; validates payloads', async () => {
    await call('connection:startDemo', { users: 50, groups: 8 });

    const groups = await call<TenantGroupList>('sync:tenantGroups', { search: '' });
    expect(groups.total).toBe(8);
    expect(groups.items.every((g) => g.memberCount === null)).toBe(true);
    const one = groups.items[0]!;
    const picked = await call<TenantGroupList>('sync:tenantGroups', { search: one.displayName!.slice(0, 3), include: [one.id] });
    expect(picked.included.map((g) => g.id)).toEqual([one.id]);

    const done = finished();
    const { runId } = await call<{ runId: string }>('sync:runNow', {});
    const outcome = await done;
    expect(outcome.run).toMatchObject({ id: runId, status: 'succeeded', trigger: 'manual' });
    expect(await call('sync:status')).toMatchObject({ state: 'idle', lastRun: { id: runId } });
    // After a sync the picker knows member counts.
    const counted = await call<TenantGroupList>('sync:tenantGroups', { search: '' });
    expect(counted.items.some((g) => g.memberCount !== null && g.memberCount > 0)).toBe(true);

    const users = await call<{ total: number }>('directory:users', { search: '', limit: 5 });
    expect(users.total).toBe(outcome.run.applied['create-user']);
    const exported = await call<{ fileName: string; rows: number }>('sync:exportRun', { runId, format: 'csv' });
    expect(exported.rows).toBeGreaterThan(0);

    await expect(call('sync:runItems', { runId, limit: 5000 })).rejects.toMatchObject({ code: 'invalid-payload' });
    await expect(call('sync:run', { runId: 'unknown' })).rejects.toMatchObject({ code: 'run-not-found' });
  });

  it('saves the policy with defaults and refuses required groups without a group', async () => {
    await expect(call('sync:savePolicy', { policy: { users: { scope: 'requiredGroups' } } })).rejects.toMatchObject({
      code: 'required-groups-empty',
    });
    const saved = await call<{ cleanup: { leavers: string }; safety: { maxCount: number | null } }>('sync:savePolicy', {
      policy: { cleanup: { leavers: 'keep' }, safety: { maxShare: null, maxCount: 5 } },
    });
    expect(saved.cleanup.leavers).toBe('keep');
    expect(saved.safety.maxCount).toBe(5);
    expect(await call('sync:getPolicy')).toEqual(saved);
  });
});
