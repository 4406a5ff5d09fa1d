import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncRunRecord } from '../../../shared/sync';
import type { TargetList } from '../../../shared/contract/targets';
import { localTargetId, targetProductInfo } from '../../../shared/targets';
import { createTestCore } from '../app/test-core';

/**
 * One sync into every target the demo offers (the embedded directory, Jira, Confluence, Bitbucket, … each the real
 * target over HTTPS against its emulator): Entra is read once for the whole run, each target gets its own plan,
 * result and history row, and a second run plans nothing anywhere.
 */
describe('one run into every demo product', () => {
  let t: ReturnType<typeof createTestCore>;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = <T>(channel: string, args?: unknown) => t.call<T>(channel, args);
  const finished = (count: number) => t.finished(count);

  it('reads Entra once and records a plan and a result per target; the second run plans nothing', async () => {
    await call('connection:startDemo', { users: 40, groups: 5 });
    const { demoProducts } = await call<TargetList>('targets:list');
    expect(demoProducts).toContain('jira');
    for (const product of demoProducts) await call('targets:startDemo', { product });
    const list = await call<TargetList>('targets:list');
    const ids = list.targets.map((x) => x.id);
    expect(ids).toHaveLength(1 + demoProducts.length);

    const tenant = t.demoTenant.running()!;
    tenant.control.resetCounters();
    const first = finished(ids.length);
    await call('sync:runNow', { target: 'all' });
    const runs = await first;
    expect(new Set(runs.map((o) => o.run.targetId))).toEqual(new Set(ids));
    for (const { run } of runs) {
      const label = run.targetId === localTargetId ? 'embedded' : run.targetId;
      expect({ label, status: run.status, failed: run.failedItems }).toEqual({ label, status: 'succeeded', failed: 0 });
      expect(run.planned['create-user'], label).toBeGreaterThan(0);
    }
    // Entra was read once for all of them: one listing of users (its pages), not one per target.
    const requests = tenant.control.counters().requests;
    const userReads = Object.entries(requests)
      .filter(([route]) => /^GET \/users(\/delta)?$/.test(route))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(userReads).toBeGreaterThan(0);
    expect(userReads).toBeLessThanOrEqual(2);

    const history = await call<{ items: SyncRunRecord[] }>('sync:runs', { limit: 50 });
    for (const id of ids)
      expect(
        history.items.some((r) => r.targetId === id),
        id,
      ).toBe(true);
    // That one read's Graph requests are counted once, on the first target's row; every row says who counts them.
    const rows = history.items.filter((r) => runs.some((o) => o.run.id === r.id));
    expect(rows).toHaveLength(ids.length);
    const counting = rows.find((r) => r.targetId === ids[0])!;
    for (const r of rows)
      expect(r.sharedRead, r.targetId).toEqual({ targets: ids.length, countedOnRunId: counting.id, countedOnTargetId: ids[0] });
    const counted = rows.reduce((sum, r) => sum + r.graphRequests, 0);
    // The connection counts its token requests too: everything the demo tenant answered since the reset.
    const answered = Object.values(requests).reduce((sum, n) => sum + n, 0);
    expect(counting.graphRequests).toBeGreaterThan(0);
    expect(counted).toBe(counting.graphRequests);
    expect(counted).toBeLessThanOrEqual(answered);

    // Nothing changed in Entra: every target's second plan is empty.
    const second = finished(ids.length);
    await call('sync:runNow', { target: 'all' });
    for (const { run } of await second) {
      const changes = Object.values(run.planned).reduce((a, b) => a + b, 0);
      const product = list.targets.find((x) => x.id === run.targetId)?.product ?? 'local';
      expect({ target: product === 'local' ? 'embedded' : targetProductInfo[product].label, changes }).toMatchObject({
        changes: 0,
      });
    }
  }, 240_000);
});
