import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planItemKey, type SyncRunItemRecord } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { systemClock } from '../../ports';
import type { SyncSource } from '../../sync/engine';
import { createHistoryStore } from '../../sync/history-store';
import { connectToEmulator } from '../../sync/test-support';
import { bitbucketSnapshot, bitbucketSyncRig, type BitbucketSyncRig } from './test-support';

/**
 * Memberships applied in batches through the engine into the demo Bitbucket: many users to a group in one
 * `groups/add-users` call, every item still in the history with its own outcome, a call that dies half-way (with
 * either of Bitbucket's possible outcomes) converging on the next run, and the licence limit still stopping the
 * creations of one batch as they run.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
const rigs: BitbucketSyncRig[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 8, seed: 12 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'bitbucket-batch-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

const fresh = async (options: Parameters<typeof bitbucketSyncRig>[2] = {}) => {
  const rig = await bitbucketSyncRig(source, dir, options);
  rigs.push(rig);
  return rig;
};
/** One apply batch for the whole plan, so that every group's adds can share calls. */
const oneBatch = 5_000;

const historyOf = (rig: BitbucketSyncRig, runId: string): readonly SyncRunItemRecord[] =>
  createHistoryStore(rig.db, systemClock).listItems(runId, { limit: 10_000 }).items;
const memberLabel = (i: { groupName: string; username: string }) => `${i.username.toLowerCase()}@${i.groupName.toLowerCase()}`;

describe('memberships into Bitbucket in batches', () => {
  it('adds many users to a group per call (at most one call per group here), each membership in history', async () => {
    const rig = await fresh();
    const result = await rig.sync({ batchSize: oneBatch });
    expect(result.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
    const adds = result.plan!.items.flatMap((i) => (i.kind === 'add-member' ? [i] : []));
    const groups = new Set(adds.map((i) => i.groupName.toLowerCase()));
    expect(adds.length).toBeGreaterThan(2 * groups.size);
    // No group here has more than 100 new members: one call each (the relicensing calls are add-groups).
    expect(Math.max(...[...groups].map((g) => adds.filter((i) => i.groupName.toLowerCase() === g).length))).toBeLessThan(100);
    const calls = rig.bitbucket.control.counters().requests['POST /admin/groups/add-users'] ?? 0;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(groups.size);
    // Each membership is its own history item with its own outcome, and is in Bitbucket.
    const recorded = historyOf(rig, result.run.id).filter((i) => i.kind === 'add-member');
    expect(recorded.map((i) => i.outcome)).toEqual(adds.map(() => 'applied'));
    expect(recorded.map((i) => i.key)).toEqual(adds.map(planItemKey));
    const members = new Set(
      rig.bitbucket.control.groups().flatMap((g) => g.members.map((m) => memberLabel({ groupName: g.name, username: m }))),
    );
    for (const add of adds) expect(members).toContain(memberLabel(add));
    expect(result.run.applied['add-member']).toBe(adds.length);
    expect((await rig.sync({ batchSize: oneBatch })).plan!.items).toEqual([]);
  });

  for (const mode of ['partial', 'atomic'] as const) {
    it(`a call that dies half-way (Bitbucket keeps ${mode === 'partial' ? 'the users added before' : 'none'}) converges on the next run`, async () => {
      const reference = await fresh();
      await reference.sync({ batchSize: oneBatch });
      const wanted = bitbucketSnapshot(reference.bitbucket);
      const rig = await fresh({ addUsers: mode });
      rig.bitbucket.control.setAddUsers({ crashAfter: 2 });
      const cut = await rig.sync({ batchSize: oneBatch });
      expect(cut.run.status).not.toBe('succeeded');
      const adds = cut.plan!.items.filter((i) => i.kind === 'add-member');
      const recorded = historyOf(rig, cut.run.id).filter((i) => i.kind === 'add-member');
      // Every membership has its own outcome: none is lost, none counted twice.
      expect(recorded).toHaveLength(adds.length);
      const failed = recorded.filter((i) => i.outcome === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBe(cut.run.failedItems);
      // …and its own message: the user and group of that item.
      for (const f of failed) {
        const [username, group] = f.label.split(' ∈ ');
        expect(f.error?.message).toContain(`user ${username} in group ${group}`);
      }
      const kept = rig.bitbucket.control.groups().filter((g) => !/stash-users|sys-admins|contractors/.test(g.name));
      const partlyIn = kept.reduce((n, g) => n + g.members.length, 0);
      if (mode === 'atomic') expect(partlyIn).toBe(recorded.filter((i) => i.outcome === 'applied').length);
      else expect(partlyIn).toBeGreaterThanOrEqual(2);

      rig.bitbucket.control.clearFaults();
      const again = await rig.sync({ batchSize: oneBatch });
      expect(again.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
      expect(again.plan!.counts['add-member']).toBeLessThanOrEqual(adds.length);
      expect(bitbucketSnapshot(rig.bitbucket)).toEqual(wanted);
      expect((await rig.sync({ batchSize: oneBatch })).plan!.items).toEqual([]);
    });
  }

  it('stops the creations of one batch at the licence limit: the others are not asked', async () => {
    const rig = await fresh();
    await rig.sync({ batchSize: oneBatch });
    const added = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
      (n) =>
        entra.control.addUser({
          userPrincipalName: `batch.limit${n}@demo.example`,
          displayName: `Batch Limit ${n}`,
          mail: `batch.limit${n}@demo.example`,
        }).id as string,
    );
    rig.bitbucket.control.setUserLimit(rig.bitbucket.control.users().filter((u) => u.permission).length);
    rig.bitbucket.control.resetCounters();
    try {
      const result = await rig.sync({ batchSize: oneBatch });
      expect(result.plan!.counts['create-user']).toBe(10);
      expect(result.run.applied['create-user']).toBe(0);
      const creations = historyOf(rig, result.run.id).filter((i) => i.kind === 'create-user');
      expect(creations.map((i) => i.outcome)).toEqual(Array(10).fill('failed'));
      for (const c of creations) expect(c.error?.message).toMatch(/licensed-user limit/);
      // At most the creations already in flight (the target's concurrency) were asked.
      expect(rig.bitbucket.control.counters().requests['POST /admin/users'] ?? 0).toBeLessThanOrEqual(4);
      expect(result.run.notes.filter((n) => n.includes('(10 not created)'))).toHaveLength(1);
    } finally {
      for (const id of added) entra.control.deleteUser(id, { hard: true });
    }
  });
});
