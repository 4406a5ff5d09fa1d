import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultSyncPolicy, type PlanItem } from '../../../shared/sync';
import { createPrng } from '../../emulator/prng';
import type { DirectoryTarget } from '../targets/directory-target';
import { createLocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine } from './engine';
import { directorySnapshot, startSyncFixture, type SyncFixture } from './test-support';

/**
 * Faults: Graph failing now and then (429, 503, connection resets) must not change the outcome; Graph failing for
 * good must change nothing; an apply interrupted anywhere must converge on the next run.
 */
describe('sync under faults', () => {
  let f: SyncFixture;
  let reference: ReturnType<typeof directorySnapshot>;
  let dbCount = 0;
  const policy = defaultSyncPolicy();

  const freshDb = () => openDatabase(join(f.dir, `faults-${++dbCount}.db`));
  const engineOn = (db: SqliteDatabase, target: DirectoryTarget = createLocalDirectory(db), maxAttempts?: number) =>
    createSyncEngine({ db, target, source: f.source, hostKind: 'test', read: { backoffMs: 20, maxAttempts }, batchSize: 50 });

  beforeAll(async () => {
    f = await startSyncFixture({ users: 1500, groups: 150, seed: 5 });
    const result = await f.engine.run({ trigger: 'manual', policy });
    expect(result.run.status).toBe('succeeded');
    reference = directorySnapshot(f.db);
  });
  afterAll(async () => {
    await f.close();
  });

  it('reaches the same directory as a clean run with 5% of Graph requests failing (429, 503, reset)', async () => {
    const c = f.emulator.control;
    c.resetCounters();
    let requests = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      c.setFaults({ rate429: 0.02, rate503: 0.015, rateReset: 0.015, retryAfterSeconds: 1, seed });
      const db = freshDb();
      const result = await engineOn(db).run({ trigger: 'manual', policy });
      c.clearFaults();
      expect(result.run.status).toBe('succeeded');
      requests += result.run.graphRequests;
      expect(directorySnapshot(db)).toEqual(reference);
      db.close();
    }
    // Every kind of fault really happened (seeded draws: 4× 429, 2× 503, 1 reset over ~130 requests).
    const faults = c.counters().faults;
    expect(Object.keys(faults).sort(), `faults ${JSON.stringify(faults)} over ${requests} requests`).toEqual([
      '429',
      '503',
      'reset',
    ]);
  });

  it('keeps delta reads exact under the same faults', async () => {
    const c = f.emulator.control;
    const db = freshDb();
    const engine = engineOn(db);
    await engine.run({ trigger: 'manual', policy });
    const ids = c.userIds();
    for (let i = 0; i < 40; i++) c.updateUser(ids[i * 7]!, { displayName: `Changed ${i}` });
    const group = c.groups()[3]!;
    c.addMember(group.id, ids[900]!);
    c.setFaults({
      rate429: 0.02,
      rate503: 0.015,
      rateReset: 0.015,
      retryAfterSeconds: 1,
      seed: 9,
      atRequest: { 1: 'reset', 2: '429' },
    });
    const result = await engine.run({ trigger: 'scheduled', policy });
    c.clearFaults();
    expect(result.run).toMatchObject({ status: 'succeeded', mode: 'delta' });
    await f.engine.run({ trigger: 'manual', policy });
    expect(directorySnapshot(db)).toEqual(directorySnapshot(f.db));
    reference = directorySnapshot(f.db);
    db.close();
  });

  it('changes nothing when Graph keeps failing mid-read: no plan on a partial read, no mass disable', async () => {
    const c = f.emulator.control;
    const db = freshDb();
    await engineOn(db).run({ trigger: 'manual', policy });
    const before = directorySnapshot(db);
    // A full read whose later pages fail for good (the first pages succeed).
    const failing = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i + 4, '503' as const]));
    c.setFaults({ atRequest: failing, retryAfterSeconds: 0 });
    const result = await engineOn(db, undefined, 3).run({ trigger: 'manual', policy, full: true });
    c.clearFaults();
    expect(result.run).toMatchObject({ status: 'failed', error: { code: 'graph-read-failed' } });
    expect(result.plan).toBeNull();
    expect(result.run.notes.join(' ')).toMatch(/never plans on a partial read/);
    expect(directorySnapshot(db)).toEqual(before);
    // The failed full read left no half snapshot behind: the next run reads everything and is a no-op.
    const next = await engineOn(db).run({ trigger: 'manual', policy });
    expect(next.run.status).toBe('succeeded');
    expect(next.plan!.items).toEqual([]);
    db.close();
  });

  it('converges after an apply interrupted at random points (12 trials, single operations and batches)', async () => {
    const prng = createPrng(42);
    for (let trial = 0; trial < 12; trial++) {
      const db = freshDb();
      const inner = createLocalDirectory(db);
      const total = reference.users.length + reference.groups.length + reference.members.length;
      const crashAt = 1 + Math.floor(prng.next() * total);
      const target = trial % 2 === 0 ? crashingOps(inner, crashAt) : crashingBatches(inner, crashAt);
      const crashed = await engineOn(db, target).run({ trigger: 'manual', policy });
      expect(crashed.run, `trial ${trial} crashing at item ${crashAt}`).toMatchObject({
        status: 'failed',
        error: { code: 'target-failed' },
      });
      const rerun = await engineOn(db).run({ trigger: 'manual', policy });
      expect(rerun.run.status).toBe('succeeded');
      expect(directorySnapshot(db), `trial ${trial}`).toEqual(reference);
      expect((await engineOn(db).run({ trigger: 'manual', policy })).plan!.items).toEqual([]);
      db.close();
    }
  });
});

/** The local directory without batches, whose process "dies" (throws a plain Error) at the Nth operation. */
function crashingOps(inner: DirectoryTarget, crashAt: number): DirectoryTarget {
  let count = 0;
  const tick = () => {
    if (++count === crashAt) throw new Error(`simulated crash at operation ${crashAt}`);
  };
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      tick();
      return fn(...args);
    };
  return {
    ...inner,
    applyBatch: undefined,
    createUser: wrap(inner.createUser),
    updateUser: wrap(inner.updateUser),
    setUserActive: wrap(inner.setUserActive),
    deleteUser: wrap(inner.deleteUser),
    createGroup: wrap(inner.createGroup),
    updateGroup: wrap(inner.updateGroup),
    deleteGroup: wrap(inner.deleteGroup),
    addMember: wrap(inner.addMember),
    removeMember: wrap(inner.removeMember),
  };
}

/** The local directory whose batch commits the items before the Nth and then "dies". */
function crashingBatches(inner: DirectoryTarget, crashAt: number): DirectoryTarget {
  let count = 0;
  return {
    ...inner,
    async applyBatch(items: readonly PlanItem[]) {
      if (count + items.length >= crashAt) {
        await inner.applyBatch!(items.slice(0, crashAt - count - 1));
        throw new Error(`simulated crash at item ${crashAt}`);
      }
      count += items.length;
      return inner.applyBatch!(items);
    },
  };
}
