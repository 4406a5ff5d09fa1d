import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { bitbucketSyncRig, defaultPolicy, noBrake, type BitbucketSyncRig } from './test-support';

/**
 * "Disable" in Bitbucket, which cannot deactivate a user, through the engine: by default the user leaves the groups
 * that grant the licence (found from the global permissions) and gets exactly those back on re-enable; with the
 * target's `delete` choice the user is deleted instead. Both are destructive items the safety brake counts, and the
 * plan says the product rule in words before anything changes.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
const rigs: BitbucketSyncRig[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 24, groups: 6, seed: 33 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'bitbucket-disable-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

const fresh = async () => {
  const rig = await bitbucketSyncRig(source, dir);
  rigs.push(rig);
  return rig;
};
const upn = (id: string) => (entra.control.getUser(id)!.userPrincipalName as string).toLowerCase();
const enabledIds = () => entra.control.userIds().filter((id) => entra.control.getUser(id)!.accountEnabled === true);
const setEnabled = (id: string, accountEnabled: boolean) => entra.control.updateUser(id, { accountEnabled });
const lenient = { ...defaultPolicy, safety: noBrake };

describe('Bitbucket "disable" = leave the licensing groups (default)', () => {
  it('takes the licence away by leaving stash-users and contractors, says so in the plan, and gives exactly those back', async () => {
    const rig = await fresh();
    await rig.sync();
    const [id] = enabledIds();
    const name = upn(id!);
    rig.bitbucket.control.addMember('contractors', name);
    setEnabled(id!, false);
    try {
      const dry = await rig.sync({ dryRun: true });
      expect(dry.plan!.counts['disable-user']).toBe(1);
      const rule = dry.plan!.warnings.find((w) => w.code === 'product-rule');
      expect(rule?.message).toBe(
        'Bitbucket cannot deactivate users: 1 user loses their licence by leaving contractors and stash-users (this target\'s choice for "disable"). Re-enabling adds them back to those groups.',
      );
      expect(rig.bitbucket.control.user(name)?.permission).toBe('LICENSED_USER');

      const applied = await rig.sync();
      expect(applied.run.status).toBe('succeeded');
      expect(applied.run.applied['disable-user']).toBe(1);
      expect(applied.run.notes).toContain(
        'Bitbucket cannot deactivate users: 1 user lost their licence by leaving contractors and stash-users. Re-enabling in Entra adds them back.',
      );
      const after = rig.bitbucket.control.user(name)!;
      expect(after.permission).toBeNull();
      expect(after.groups).not.toContain('stash-users');
      expect(after.groups).not.toContain('contractors');
      // The account and its other groups stay.
      expect(after.groups.length).toBeGreaterThanOrEqual(0);
      expect((await rig.sync()).plan!.items).toEqual([]);

      setEnabled(id!, true);
      const back = await rig.sync();
      expect(back.plan!.counts['enable-user']).toBe(1);
      expect(back.run.applied['enable-user']).toBe(1);
      expect(rig.bitbucket.control.user(name)?.groups).toEqual(expect.arrayContaining(['contractors', 'stash-users']));
      expect(rig.bitbucket.control.user(name)?.permission).toBe('LICENSED_USER');
      expect((await rig.sync()).plan!.items).toEqual([]);
    } finally {
      setEnabled(id!, true);
    }
  });

  it('finds the licensing groups from the global permissions, not by name, and never removes an admin group', async () => {
    const rig = await fresh();
    rig.bitbucket.control.addGroup('bb-licensed', 'LICENSED_USER');
    rig.bitbucket.control.addGroup('release-admins', 'ADMIN');
    await rig.sync();
    const [id] = enabledIds();
    const name = upn(id!);
    rig.bitbucket.control.addMember('bb-licensed', name);
    // stash-users no longer licenses: leaving it is not what takes the licence away here.
    rig.bitbucket.control.setGroupPermission('stash-users', null);
    setEnabled(id!, false);
    try {
      const result = await rig.sync();
      expect(result.plan!.warnings.find((w) => w.code === 'product-rule')?.message).toMatch(/by leaving bb-licensed \(/);
      expect(rig.bitbucket.control.user(name)?.groups).toContain('stash-users');
      expect(rig.bitbucket.control.user(name)?.groups).not.toContain('bb-licensed');
      expect(rig.bitbucket.control.user(name)?.permission).toBeNull();
    } finally {
      setEnabled(id!, true);
    }
  });

  it('says when a user keeps a licence granted directly (the sync changes only group licences)', async () => {
    const rig = await fresh();
    await rig.sync();
    const [id] = enabledIds();
    const name = upn(id!);
    rig.bitbucket.control.setUserPermission(name, 'LICENSED_USER');
    setEnabled(id!, false);
    try {
      const result = await rig.sync();
      expect(result.run.applied['disable-user']).toBe(1);
      expect(rig.bitbucket.control.user(name)?.groups).not.toContain('stash-users');
      expect(rig.bitbucket.control.user(name)?.permission).toBe('LICENSED_USER');
      expect(
        result.run.notes.find((n) => n.startsWith('Still licensed through a global permission granted to the user directly')),
      ).toContain(name);
      expect((await rig.sync()).plan!.items).toEqual([]);
    } finally {
      setEnabled(id!, true);
    }
  });

  it('is held by the safety brake like any deactivation: nothing leaves a group until the admin confirms', async () => {
    const rig = await fresh();
    await rig.sync();
    const ids = enabledIds().slice(0, 3);
    for (const id of ids) setEnabled(id, false);
    const strict = { ...defaultPolicy, safety: { ...defaultPolicy.safety, maxCount: 1, maxShare: null } };
    try {
      const held = await rig.sync({ policy: strict });
      expect(held.run.status).toBe('blocked');
      expect(held.guard?.allowed).toBe(false);
      expect(held.plan!.counts['disable-user']).toBe(3);
      for (const id of ids) expect(rig.bitbucket.control.user(upn(id))?.groups).toContain('stash-users');
      expect(rig.bitbucket.control.counters().requests['POST /admin/users/remove-group'] ?? 0).toBe(0);
      const confirmed = await rig.sync({ policy: strict, confirmRunId: held.run.id });
      expect(confirmed.run.status).toBe('succeeded');
      for (const id of ids) expect(rig.bitbucket.control.user(upn(id))?.permission).toBeNull();
    } finally {
      for (const id of ids) setEnabled(id, true);
    }
  });
});

describe('Bitbucket "disable" = delete (the target\'s choice)', () => {
  it('deletes a disabled user and a leaver instead, says so, is braked, and creates a returning user again', async () => {
    const rig = await fresh();
    const config = { bitbucketDisable: 'delete' as const };
    await rig.sync({ config });
    const [disabled, leaver] = enabledIds();
    setEnabled(disabled!, false);
    setEnabled(leaver!, false);
    try {
      const strict = { ...defaultPolicy, safety: { ...defaultPolicy.safety, maxCount: 1, maxShare: null } };
      const held = await rig.sync({ config, policy: strict });
      expect(held.run.status).toBe('blocked');
      expect(held.plan!.counts).toMatchObject({ 'delete-user': 2, 'disable-user': 0 });
      expect(rig.bitbucket.control.user(upn(disabled!))).toBeDefined();

      const result = await rig.sync({ config, policy: lenient });
      expect(result.plan!.warnings.find((w) => w.code === 'product-rule')?.message).toBe(
        'Bitbucket cannot deactivate users: this target deletes them instead (its choice for "disable"), so 2 users are deleted. A user who comes back is created again.',
      );
      expect(result.run.applied['delete-user']).toBe(2);
      expect(rig.bitbucket.control.user(upn(disabled!))).toBeUndefined();
      expect(rig.bitbucket.control.user(upn(leaver!))).toBeUndefined();
      expect((await rig.sync({ config, policy: lenient })).plan!.items).toEqual([]);

      setEnabled(disabled!, true);
      const back = await rig.sync({ config, policy: lenient });
      expect(back.plan!.counts['create-user']).toBe(1);
      expect(rig.bitbucket.control.user(upn(disabled!))?.permission).toBe('LICENSED_USER');
    } finally {
      setEnabled(disabled!, true);
      setEnabled(leaver!, true);
    }
  });

  it('deletes leavers under the default choice only when the sync settings say delete', async () => {
    const rig = await fresh();
    await rig.sync();
    const [id] = enabledIds();
    setEnabled(id!, false);
    try {
      const deleting = { ...lenient, cleanup: { ...lenient.cleanup, leavers: 'delete' as const } };
      // A disabled account is still in scope (synced inactive): it loses its licence, it is not deleted.
      const result = await rig.sync({ policy: deleting });
      expect(result.plan!.counts).toMatchObject({ 'disable-user': 1, 'delete-user': 0 });
      expect(rig.bitbucket.control.user(upn(id!))?.permission).toBeNull();
    } finally {
      setEnabled(id!, true);
    }
  });
});
