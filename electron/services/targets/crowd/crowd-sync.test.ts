import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createPrng } from '../../../emulator/prng';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { crowdSnapshot, crowdSyncRig, type CrowdSyncRig } from './test-support';

/**
 * The whole sync from the demo tenant into the demo Crowd through the engine: plan, brake, apply and history, the
 * CrowdTarget over HTTPS, links in SQLite. Each test gets a fresh Crowd and database; the tenant is shared and changed
 * only by the tests that say so.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
let rig: CrowdSyncRig;

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 8, seed: 12 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'crowd-sync-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  rig = await crowdSyncRig(source, dir, policy);
});
afterEach(async () => {
  await rig.close();
});

const policy: SyncPolicy = defaultSyncPolicy();
const crowd = () => rig.crowd;
const idOf = (summary: Readonly<Record<string, unknown>>) => summary.id as string;
const entraUsers = () =>
  entra.control.userIds().map((id) => ({
    id,
    ...(entra.control.getUser(id) as unknown as { userPrincipalName: string; displayName: string; accountEnabled: boolean }),
  }));
const noDuplicates = () => {
  const names = crowd()
    .control.users()
    .map((u) => u.name.toLowerCase());
  expect(new Set(names).size).toBe(names.length);
};

describe('sync from the demo tenant into the demo Crowd', () => {
  it('creates users with every field, groups and direct memberships; a second sync plans nothing; notes say Crowd’s rules', async () => {
    const seeded = crowdSnapshot(crowd()).users;
    const first = await rig.sync();
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0, targetId: 'crowd-1' });
    expect(first.plan!.counts['create-user']).toBeGreaterThan(20);
    expect(crowdSnapshot(crowd()).users.filter((u) => seeded.includes(u))).toEqual(seeded);
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    expect(crowd().control.user(someone.userPrincipalName)).toMatchObject({
      displayName: someone.displayName,
      directory: 'Crowd Internal Directory',
      active: true,
    });
    expect(first.run.applied['add-member']).toBe(first.plan!.counts['add-member']);
    expect(first.run.applied['add-member']).toBeGreaterThan(5);
    expect(first.run.notes).toContainEqual(expect.stringContaining('first writable directory of the application'));
    expect(first.run.notes).toContainEqual(expect.stringContaining('Nested groups in Crowd are left as they are'));
    const second = await rig.sync();
    expect(second.run.status).toBe('succeeded');
    // Given name, surname and description round-trip: nothing is "updated" on every run.
    expect(second.plan!.items).toEqual([]);
    noDuplicates();
  });

  it('keeps every other field when one changes in Entra, and deactivates a leaver with active:false', async () => {
    await rig.sync();
    const [changed, leaver] = entraUsers().filter((u) => u.accountEnabled);
    const before = crowd().control.user(changed!.userPrincipalName)!;
    entra.control.updateUser(changed!.id, { displayName: 'Changed In Entra' });
    entra.control.deleteUser(leaver!.id);
    const result = await rig.sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.plan!.counts).toMatchObject({ 'update-user': 1, 'disable-user': 1, 'delete-user': 0 });
    expect(crowd().control.user(changed!.userPrincipalName)).toEqual({ ...before, displayName: 'Changed In Entra' });
    const gone = crowd().control.user(leaver!.userPrincipalName)!;
    expect(gone.active).toBe(false);
    expect(gone.email).not.toBe('');
    expect((await rig.sync()).plan!.items).toEqual([]);
  });

  it('follows a rename in Entra through the link: the same account renamed, its groups kept, nothing created', async () => {
    await rig.sync();
    const renamed = entraUsers().find((u) => u.accountEnabled)!;
    const oldName = renamed.userPrincipalName.toLowerCase();
    const before = crowd().control.user(oldName)!;
    expect(before.groups.length).toBeGreaterThan(0);
    const count = crowd().control.users().length;
    entra.control.updateUser(renamed.id, { userPrincipalName: `renamed.${renamed.userPrincipalName}` });
    const result = await rig.sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.plan!.counts).toMatchObject({ 'update-user': 1, 'create-user': 0, 'disable-user': 0 });
    expect(crowd().control.user(oldName)).toBeUndefined();
    expect(crowd().control.user(`renamed.${oldName}`)).toEqual({ ...before, name: `renamed.${oldName}` });
    expect(crowd().control.users().length).toBe(count);
    const again = await rig.sync();
    expect(again.plan!.items).toEqual([]);
    // The link followed the new name: the account is not "matched" again as if the sync had never seen it.
    expect(again.plan!.warnings.filter((w) => w.externalId === renamed.id)).toEqual([]);
  });

  it('matches an existing account by username in any case, shown in the dry run before anything changes', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    crowd().control.addUser({ name: someone.userPrincipalName.toUpperCase(), email: 'old@example.com', displayName: 'Old Name' });
    const dry = await rig.sync({ dryRun: true });
    expect(dry.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: someone.id }));
    expect(dry.plan!.items.filter((i) => i.kind === 'create-user' && i.externalId === someone.id)).toEqual([]);
    expect(crowd().control.user(someone.userPrincipalName)).toMatchObject({ displayName: 'Old Name' });
    expect((await rig.sync()).run.status).toBe('succeeded');
    expect(crowd().control.user(someone.userPrincipalName)).toMatchObject({ displayName: someone.displayName });
    noDuplicates();
    expect((await rig.sync()).plan!.items).toEqual([]);
  });

  it('matches by e-mail only when the target allows it', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    const mail = (entra.control.getUser(someone.id) as unknown as { mail: string | null }).mail ?? someone.userPrincipalName;
    crowd().control.addUser({ name: 'someone.else', email: mail.toUpperCase(), displayName: 'X' });
    const without = await rig.sync({ dryRun: true });
    expect(without.plan!.items).toContainEqual(expect.objectContaining({ kind: 'create-user', externalId: someone.id }));
    const withMail = await rig.sync({ dryRun: true, config: { matchByEmail: true } });
    expect(withMail.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: someone.id }));
    await rig.sync({ config: { matchByEmail: true } });
    // The matched account takes the Entra user's name (a rename) and display name; no second account.
    expect(crowd().control.user('someone.else')).toBeUndefined();
    expect(crowd().control.user(someone.userPrincipalName)!.displayName).toBe(someone.displayName);
    noDuplicates();
  });

  it('never touches crowd-administrators, its members or the admin’s protected groups, and says "protected"', async () => {
    const admin = idOf(
      entra.control.addUser({ userPrincipalName: 'ADMIN', displayName: 'Entra Admin', mail: 'admin@x.example' }),
    );
    const adminsGroup = idOf(entra.control.addGroup({ displayName: 'crowd-administrators', members: [admin] }));
    const extra = idOf(entra.control.addGroup({ displayName: 'Site Owners', members: [admin] }));
    try {
      const before = crowdSnapshot(crowd());
      const result = await rig.sync({ config: { protectedGroups: ['Site Owners'] } });
      expect(result.run.status).toBe('succeeded');
      const warned = result.plan!.warnings.filter((w) => w.code === 'protected').map((w) => w.externalId);
      expect(warned).toEqual(expect.arrayContaining([admin, adminsGroup, extra]));
      const touched = result.plan!.items.filter(
        (i) =>
          ('username' in i && i.username.toLowerCase() === 'admin') ||
          ('groupName' in i && /crowd-administrators|site owners/i.test(i.groupName)),
      );
      expect(touched).toEqual([]);
      const after = crowdSnapshot(crowd());
      expect(after.users.filter((u) => u.startsWith('admin|'))).toEqual(before.users.filter((u) => u.startsWith('admin|')));
      expect(after.groups.filter((g) => g.startsWith('crowd-administrators'))).toEqual(
        before.groups.filter((g) => g.startsWith('crowd-administrators')),
      );
      expect(
        crowd()
          .control.groups()
          .some((g) => g.name === 'Site Owners'),
      ).toBe(false);
    } finally {
      entra.control.deleteUser(admin, { hard: true });
      entra.control.deleteGroup(adminsGroup, { hard: true });
      entra.control.deleteGroup(extra, { hard: true });
    }
  });

  it('reports a read-only-directory user once per run and tries each of its changes at most once', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    crowd().control.addUser({ name: someone.userPrincipalName, email: 'ldap@example.com', displayName: 'LDAP', readOnly: true });
    const result = await rig.sync();
    expect(result.run.status).toBe('partial');
    const notes = result.run.notes.filter((n) => n.includes('read-only directory'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(someone.userPrincipalName.toLowerCase());
    expect(crowd().control.user(someone.userPrincipalName)).toMatchObject({ displayName: 'LDAP' });
  });

  it('stops creating at the licence limit with one clear note while updates and deactivations go on', async () => {
    await rig.sync();
    const [changed, leaver] = entraUsers().filter((u) => u.accountEnabled);
    entra.control.updateUser(changed!.id, { displayName: 'Changed At Limit' });
    entra.control.deleteUser(leaver!.id);
    const added = [1, 2, 3, 4, 5, 6].map((n) =>
      entra.control.addUser({
        userPrincipalName: `limit.user${n}@demo.example`,
        displayName: `Limit ${n}`,
        mail: `limit${n}@demo.example`,
      }),
    );
    crowd().control.setUserLimit(
      crowd()
        .control.users()
        .filter((u) => u.active).length,
    );
    crowd().control.resetCounters();
    try {
      const result = await rig.sync();
      expect(result.plan!.counts['create-user']).toBe(6);
      expect(result.run.applied['create-user']).toBe(0);
      expect(result.run.applied['update-user']).toBe(1);
      expect(result.run.applied['disable-user']).toBe(1);
      expect(result.run.notes.filter((n) => n.includes('licensed-user limit'))).toHaveLength(1);
      // Once refused, creation is not asked again: at most the calls already in flight (4 at once) reached Crowd.
      expect(crowd().control.counters().requests['POST /user'] ?? 0).toBeLessThanOrEqual(4);
    } finally {
      for (const u of added) entra.control.deleteUser(idOf(u), { hard: true });
    }
  });

  it('holds a run whose deactivations pass the brake of the target’s own settings: nobody is deactivated', async () => {
    await rig.sync();
    const leavers = entraUsers()
      .filter((u) => u.accountEnabled)
      .slice(0, 3);
    for (const u of leavers) entra.control.deleteUser(u.id);
    const strict = { ...policy, safety: { ...policy.safety, maxShare: 0.01, maxCount: 1 } };
    const lenient = { ...policy, safety: { ...policy.safety, maxShare: null, maxCount: null } };
    const result = await rig.sync({ policy: lenient, config: { sync: strict } });
    expect(result.run).toMatchObject({ status: 'blocked', targetId: 'crowd-1' });
    expect(result.guard?.allowed).toBe(false);
    for (const u of leavers) expect(crowd().control.user(u.userPrincipalName)?.active).toBe(true);
  });
});

describe('an apply interrupted at random points converges on the next run', () => {
  it('6 trials: cancelled after a random number of writes, re-run, nothing duplicated, then nothing to do', async () => {
    const total = (await rig.sync()).plan!.items.length;
    const reference = crowdSnapshot(crowd());
    const prng = createPrng(42);
    for (let trial = 0; trial < 6; trial++) {
      await rig.close();
      rig = await crowdSyncRig(source, dir, policy);
      const stopAfter = 1 + Math.floor(prng.next() * (total - 4));
      const cut = await rig.sync({ abortAfterWrites: stopAfter });
      expect(cut.run.status, `trial ${trial}, stop after ${stopAfter}`).toBe('cancelled');
      const again = await rig.sync();
      expect(again.run.status, `trial ${trial}`).toBe('succeeded');
      expect(crowdSnapshot(crowd()), `trial ${trial}`).toEqual(reference);
      noDuplicates();
      expect((await rig.sync()).plan!.items, `trial ${trial}`).toEqual([]);
    }
  });
});
