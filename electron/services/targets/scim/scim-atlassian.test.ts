import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startAtlassianScim, type AtlassianScimOptions, type RunningAtlassianScim } from '../../../emulator/scim';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { hiddenUsersRule } from './scim-engine-target';
import { scimSyncRig, type ScimSyncRig } from './test-support';

/**
 * The sync into the demo Atlassian Cloud SCIM API with the Atlassian Cloud preset, through the engine: its rule that
 * a deactivated user is not listed (the sync reads the users it manages by id instead of taking them for gone), its
 * DELETE that deactivates, and its PUT that clears what it leaves out when PATCH is off.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
let rig: ScimSyncRig<RunningAtlassianScim>;

beforeAll(async () => {
  entra = await startEmulator({ users: 25, groups: 6, seed: 21 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'scim-atlassian-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
const start = (options: AtlassianScimOptions = {}) =>
  scimSyncRig(() => startAtlassianScim(options), source, dir, policy, undefined, { scimPreset: 'atlassian-cloud' });
beforeEach(async () => {
  rig = await start();
});
afterEach(async () => {
  await rig.close();
});

const policy: SyncPolicy = defaultSyncPolicy();
const cloud = () => rig.service.directory;
const enabled = () =>
  entra.control
    .userIds()
    .map((id) => ({ id, ...(entra.control.getUser(id) as unknown as { userPrincipalName: string; accountEnabled: boolean }) }))
    .filter((u) => u.accountEnabled);
const byName = (name: string) => [...cloud().users.values()].find((u) => u.userName.toLowerCase() === name.toLowerCase());

describe('the Atlassian Cloud preset', () => {
  it('keeps a deactivated user, hidden from GET /Users, as the link store knows it: nothing re-created, reactivated in place', async () => {
    const first = await rig.sync();
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
    const leaver = enabled()[0]!;
    entra.control.updateUser(leaver.id, { accountEnabled: false });
    try {
      const off = await rig.sync();
      expect(off.plan!.counts).toMatchObject({ 'disable-user': 1 });
      const account = byName(leaver.userPrincipalName)!;
      expect(account).toMatchObject({ active: false, externalId: leaver.id });
      // The rule itself: the list leaves the deactivated user out.
      expect(
        cloud()
          .listUsers(null)
          .some((u) => u.id === account.id),
      ).toBe(false);
      const again = await rig.sync();
      expect(again.run.status).toBe('succeeded');
      expect(again.plan!.items).toEqual([]);
      expect(again.run.notes).toContain(hiddenUsersRule);
      expect(rig.service.counters().requests['GET /Users/{id}']).toBeGreaterThan(0);
    } finally {
      entra.control.updateUser(leaver.id, { accountEnabled: true });
    }
    const back = await rig.sync();
    expect(back.run.status).toBe('succeeded');
    expect(back.plan!.counts).toMatchObject({ 'enable-user': 1, 'create-user': 0 });
    expect(byName(leaver.userPrincipalName)!.active).toBe(true);
    expect([...cloud().users.values()].filter((u) => u.externalId === leaver.id)).toHaveLength(1);
  });

  it('deletes with DELETE, which deactivates; the next run finds the account gone (404) and plans nothing', async () => {
    const id = entra.control.addUser({
      userPrincipalName: 'cloud.leaver@demo.example',
      displayName: 'Cloud Leaver',
      mail: 'cloud.leaver@demo.example',
    }).id as string;
    await rig.sync();
    entra.control.deleteUser(id);
    const deleting = { ...policy, cleanup: { ...policy.cleanup, leavers: 'delete' as const } };
    const result = await rig.sync({ config: { sync: deleting } });
    expect(result.plan!.counts).toMatchObject({ 'delete-user': 1 });
    expect(byName('cloud.leaver@demo.example')).toMatchObject({ active: false, deleted: true });
    const after = await rig.sync({ config: { sync: deleting } });
    expect(after.plan!.items).toEqual([]);
  });

  it('without PATCH: updates by a PUT of the whole account, keeping attributes the sync does not manage', async () => {
    await rig.close();
    rig = await start({ patch: false });
    await rig.sync();
    const someone = enabled()[1]!;
    const account = byName(someone.userPrincipalName)!;
    account.title = 'Kept Title';
    account.name = { ...account.name, givenName: 'Kept' };
    entra.control.updateUser(someone.id, { displayName: 'Put In Full' });
    try {
      const result = await rig.sync();
      expect(result.plan!.counts['update-user']).toBeGreaterThanOrEqual(1);
      expect(rig.service.counters().requests['PATCH /Users/{id}']).toBeUndefined();
      expect(rig.service.counters().requests['PUT /Users/{id}']).toBeGreaterThanOrEqual(1);
      const now = byName(someone.userPrincipalName)!;
      expect(now).toMatchObject({ displayName: 'Put In Full', title: 'Kept Title', externalId: someone.id });
      expect(now.emails?.[0]?.value).toBe(account.emails?.[0]?.value);
    } finally {
      entra.control.updateUser(someone.id, { displayName: someone.userPrincipalName });
    }
  });
});
