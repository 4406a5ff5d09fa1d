import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createPrng } from '../../../emulator/prng';
import { startScimmyServer, type RunningScimmyServer } from '../../../emulator/scim/scimmy-server';
import type { ScimStore } from '../../../emulator/scim/scimmy-store';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { scimSyncRig, type ScimSyncRig } from './test-support';

/**
 * The whole sync from the demo tenant into a real SCIM 2.0 service (scimmy + scimmy-routers over HTTPS) through the
 * engine: plan, brake, apply and history, the SCIM target, links in SQLite. Each test gets a fresh service and
 * database; the tenant is shared and changed only by the tests that say so (and put back).
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
let rig: ScimSyncRig<RunningScimmyServer>;

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 8, seed: 15 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'scim-sync-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  // 9 per page: every read crosses pages.
  rig = await scimSyncRig(() => startScimmyServer({ maxResults: 9 }), source, dir, policy);
});
afterEach(async () => {
  await rig.close();
});

const policy: SyncPolicy = defaultSyncPolicy();
const store = () => rig.service.store;
const entraUsers = () =>
  entra.control.userIds().map((id) => ({
    id,
    ...(entra.control.getUser(id) as unknown as { userPrincipalName: string; displayName: string; accountEnabled: boolean }),
  }));
const byName = (s: ScimStore, name: string) => [...s.users.values()].find((u) => u.userName.toLowerCase() === name.toLowerCase());

/** The service's content by names: users with every field, groups with their members' userNames. */
function scimSnapshot(s: ScimStore) {
  const users = [...s.users.values()]
    .map((u) => JSON.stringify({ ...u, id: undefined, meta: undefined, userName: u.userName.toLowerCase() }))
    .sort();
  const groups = [...s.groups.values()]
    .map(
      (g) =>
        `${g.displayName}:${(g.members ?? [])
          .map((m) => s.users.get(m.value)?.userName.toLowerCase())
          .sort()
          .join(',')}`,
    )
    .sort();
  return { users, groups };
}
const noDuplicates = () => {
  const names = [...store().users.values()].map((u) => u.userName.toLowerCase());
  expect(new Set(names).size).toBe(names.length);
};

describe('sync from the demo tenant into the scimmy SCIM service', () => {
  it('creates users with externalId, groups and memberships in PATCH chunks; a second sync plans nothing', async () => {
    const first = await rig.sync({ batchSize: 500 });
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0, targetId: 'scim-1' });
    expect(first.plan!.counts['create-user']).toBeGreaterThan(20);
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    expect(byName(store(), someone.userPrincipalName)).toMatchObject({
      externalId: someone.id,
      displayName: someone.displayName,
      active: true,
    });
    const adds = first.run.applied['add-member'];
    expect(adds).toBe(first.plan!.counts['add-member']);
    expect(adds).toBeGreaterThan(10);
    // Several members per request, never a PUT of a group.
    expect(rig.service.requests['PATCH /Groups/{id}']).toBeLessThanOrEqual(first.plan!.counts['create-group'] * 2);
    expect(rig.service.requests['PUT /Groups/{id}']).toBeUndefined();
    const second = await rig.sync();
    expect(second.run.status).toBe('succeeded');
    expect(second.plan!.items).toEqual([]);
    noDuplicates();
  });

  it('updates by PATCH keeping every other field, deactivates a leaver with active:false and reactivates them', async () => {
    await rig.sync();
    const [changed, leaver] = entraUsers().filter((u) => u.accountEnabled);
    const before = byName(store(), changed!.userPrincipalName)!;
    entra.control.updateUser(changed!.id, { displayName: 'Changed In Entra' });
    entra.control.updateUser(leaver!.id, { accountEnabled: false });
    try {
      const result = await rig.sync();
      expect(result.run.status).toBe('succeeded');
      expect(result.plan!.counts).toMatchObject({ 'update-user': 1, 'disable-user': 1, 'delete-user': 0 });
      expect(byName(store(), changed!.userPrincipalName)).toEqual({ ...before, displayName: 'Changed In Entra' });
      expect(byName(store(), leaver!.userPrincipalName)).toMatchObject({ active: false, externalId: leaver!.id });
      expect((await rig.sync()).plan!.items).toEqual([]);
    } finally {
      entra.control.updateUser(changed!.id, { displayName: changed!.displayName });
      entra.control.updateUser(leaver!.id, { accountEnabled: true });
    }
    const back = await rig.sync();
    expect(back.plan!.counts).toMatchObject({ 'enable-user': 1, 'create-user': 0 });
    expect(byName(store(), leaver!.userPrincipalName)!.active).toBe(true);
  });

  it('deletes a leaver only when the admin chooses deletion', async () => {
    const id = entra.control.addUser({
      userPrincipalName: 'leaver.scim@demo.example',
      displayName: 'Leaver',
      mail: 'leaver.scim@demo.example',
    }).id as string;
    const leaver = { id, userPrincipalName: 'leaver.scim@demo.example' };
    await rig.sync();
    expect(byName(store(), leaver.userPrincipalName)).toBeDefined();
    entra.control.deleteUser(leaver.id);
    {
      const deleting = { ...policy, cleanup: { ...policy.cleanup, leavers: 'delete' as const } };
      const result = await rig.sync({ config: { sync: deleting } });
      expect(result.plan!.counts).toMatchObject({ 'delete-user': 1, 'disable-user': 0 });
      expect(byName(store(), leaver.userPrincipalName)).toBeUndefined();
      expect((await rig.sync({ config: { sync: deleting } })).plan!.items).toEqual([]);
    }
  });

  it('matches an unlinked account by externalId (even renamed) and another by userName in any case, shown in the dry run', async () => {
    const [byId, byUser] = entraUsers().filter((u) => u.accountEnabled);
    store().writeUser(undefined, { userName: 'renamed.elsewhere', externalId: byId!.id, displayName: 'Old', active: true });
    store().writeUser(undefined, { userName: byUser!.userPrincipalName.toUpperCase(), displayName: 'Old Too', active: true });
    const dry = await rig.sync({ dryRun: true });
    const matched = dry.plan!.warnings.filter((w) => w.code === 'matched');
    expect(matched).toContainEqual(
      expect.objectContaining({ externalId: byId!.id, message: expect.stringContaining('externalId') as string }),
    );
    expect(matched).toContainEqual(
      expect.objectContaining({ externalId: byUser!.id, message: expect.stringContaining('username') as string }),
    );
    expect(dry.plan!.items.filter((i) => i.kind === 'create-user' && [byId!.id, byUser!.id].includes(i.externalId))).toEqual([]);
    expect(byName(store(), 'renamed.elsewhere')!.displayName).toBe('Old');
    expect((await rig.sync()).run.status).toBe('succeeded');
    expect(byName(store(), byId!.userPrincipalName)).toMatchObject({ externalId: byId!.id, displayName: byId!.displayName });
    expect(byName(store(), byUser!.userPrincipalName)).toMatchObject({
      externalId: byUser!.id,
      displayName: byUser!.displayName,
    });
    noDuplicates();
    expect((await rig.sync()).plan!.items).toEqual([]);
  });

  it('never touches a protected group and says "protected"', async () => {
    const { id: group, displayName: name } = entra.control.groups()[0]!;
    const result = await rig.sync({ config: { protectedGroups: [name] } });
    expect(result.run.status).toBe('succeeded');
    expect(result.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'protected', externalId: group }));
    expect([...store().groups.values()].some((g) => g.displayName === name)).toBe(false);
  });

  it('holds a run whose deactivations pass the brake: nobody is deactivated', async () => {
    await rig.sync();
    const leavers = entraUsers()
      .filter((u) => u.accountEnabled)
      .slice(0, 3);
    for (const u of leavers) entra.control.updateUser(u.id, { accountEnabled: false });
    try {
      const strict = { ...policy, safety: { ...policy.safety, maxShare: 0.01, maxCount: 1 } };
      const result = await rig.sync({ policy: strict });
      expect(result.run).toMatchObject({ status: 'blocked', targetId: 'scim-1' });
      expect(result.guard?.allowed).toBe(false);
      for (const u of leavers) expect(byName(store(), u.userPrincipalName)?.active).toBe(true);
      expect(rig.service.requests['PATCH /Users/{id}'] ?? 0).toBe(0);
    } finally {
      for (const u of leavers) entra.control.updateUser(u.id, { accountEnabled: true });
    }
  });
});

describe('an apply interrupted at random points converges on the next run', () => {
  it('5 trials: cancelled after a random number of writes, re-run, nothing duplicated, then nothing to do', async () => {
    const total = (await rig.sync()).plan!.items.length;
    const reference = scimSnapshot(store());
    const prng = createPrng(7);
    for (let trial = 0; trial < 5; trial++) {
      await rig.close();
      rig = await scimSyncRig(() => startScimmyServer({ maxResults: 9 }), source, dir, policy);
      const stopAfter = 1 + Math.floor(prng.next() * (total - 4));
      const cut = await rig.sync({ abortAfterWrites: stopAfter });
      expect(cut.run.status, `trial ${trial}, stop after ${stopAfter}`).toBe('cancelled');
      const again = await rig.sync();
      expect(again.run.status, `trial ${trial}`).toBe('succeeded');
      const now = scimSnapshot(store());
      expect(now.groups, `trial ${trial}`).toEqual(reference.groups);
      expect(now.users, `trial ${trial}`).toEqual(reference.users);
      noDuplicates();
      expect((await rig.sync()).plan!.items, `trial ${trial}`).toEqual([]);
    }
  });
});
