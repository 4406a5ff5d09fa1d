import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy } from '../../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { crowdSyncRig, type CrowdSyncRig } from './test-support';

/**
 * The cleanup choices and the pace of the whole sync, demo tenant → demo Crowd through the engine (crowd-sync.test.ts
 * has the rest): deletion and group deletion only when chosen, reactivation of a returning user with every field kept,
 * memberships removed with child groups left alone (crowd-pacing.test.ts has the pace).
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
const open: CrowdSyncRig[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 60, groups: 8, seed: 21 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'crowd-sync-cleanup-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const rig of open.splice(0)) await rig.close();
});

const policy: SyncPolicy = defaultSyncPolicy();
const noBrake: SyncPolicy['safety'] = Object.fromEntries(
  Object.keys(policy.safety).map((k) => [k, null]),
) as unknown as SyncPolicy['safety'];

async function fresh() {
  const rig = await crowdSyncRig(source, dir, policy);
  open.push(rig);
  return rig;
}

const username = (id: string) => (entra.control.getUser(id)!.userPrincipalName as string).toLowerCase();
const enabledUserIds = () => entra.control.userIds().filter((id) => entra.control.getUser(id)!.accountEnabled === true);
const addUser = (n: string) =>
  entra.control.addUser({ userPrincipalName: `${n}@demo.example`, displayName: n, mail: `${n}@demo.example` }).id as string;

describe('cleanup in the demo Crowd', () => {
  it('deactivates a leaver by default and deletes them only when the admin chooses deletion', async () => {
    const { crowd, sync } = await fresh();
    await sync();
    const [kept, deleted] = enabledUserIds();
    const [keptName, deletedName] = [username(kept!), username(deleted!)];
    entra.control.deleteUser(kept!);
    const byDefault = await sync();
    expect(byDefault.run.status).toBe('succeeded');
    expect(byDefault.plan!.counts).toMatchObject({ 'disable-user': 1, 'delete-user': 0 });
    expect(crowd.control.user(keptName)).toMatchObject({ active: false });
    entra.control.deleteUser(deleted!);
    const deleting = { ...policy, cleanup: { ...policy.cleanup, leavers: 'delete' as const } };
    const chosen = await sync({ config: { sync: deleting } });
    expect(chosen.run.status).toBe('succeeded');
    expect(chosen.plan!.counts).toMatchObject({ 'delete-user': 2, 'disable-user': 0 });
    expect(crowd.control.user(keptName)).toBeUndefined();
    expect(crowd.control.user(deletedName)).toBeUndefined();
    expect((await sync({ config: { sync: deleting } })).plan!.items).toEqual([]);
  });

  it('reactivates a returning user with active:true, every field as before', async () => {
    const { crowd, sync } = await fresh();
    const [returner, stayer] = [addUser('returner'), addUser('stayer')];
    const licensed = entra.control.addGroup({ displayName: 'Crowd Licensed', members: [returner, stayer] }).id as string;
    const scoped: SyncPolicy = {
      ...policy,
      users: { ...policy.users, scope: 'requiredGroups', requiredGroupIds: [licensed] },
      safety: noBrake,
    };
    expect((await sync({ policy: scoped })).run.status).toBe('succeeded');
    const before = crowd.control.user('returner@demo.example')!;
    entra.control.removeMember(licensed, returner);
    const left = await sync({ policy: scoped });
    expect(left.plan!.counts).toMatchObject({ 'disable-user': 1, 'delete-user': 0 });
    expect(crowd.control.user('returner@demo.example')).toEqual({
      ...before,
      active: false,
      groups: expect.any(Array) as string[],
    });
    entra.control.addMember(licensed, returner);
    const back = await sync({ policy: scoped });
    expect(back.plan!.counts).toMatchObject({ 'enable-user': 1, 'create-user': 0 });
    expect(crowd.control.user('returner@demo.example')).toMatchObject({ ...before, active: true });
    expect((await sync({ policy: scoped })).plan!.items).toEqual([]);
  });

  it('removes a direct membership, never a child group; keeps a vanished group unless group deletion is chosen', async () => {
    const { crowd, sync } = await fresh();
    const [a, b] = [addUser('member.a'), addUser('member.b')];
    const doomed = entra.control.addGroup({ displayName: 'Doomed Group', members: [a, b] }).id as string;
    await sync();
    crowd.control.addGroup('Crowd Only Team');
    crowd.control.addChildGroup('Doomed Group', 'Crowd Only Team');
    const group = () => crowd.control.groups().find((g) => g.name === 'Doomed Group');
    entra.control.removeMember(doomed, b);
    const left = await sync();
    expect(left.plan!.counts).toMatchObject({ 'remove-member': 1, 'delete-group': 0, 'disable-user': 0 });
    expect(group()!.members.map((m) => m.toLowerCase())).toEqual(['member.a@demo.example']);
    expect(group()!.children).toEqual(['Crowd Only Team']);
    entra.control.deleteGroup(doomed);
    const kept = await sync({ policy: { ...policy, safety: noBrake } });
    expect(kept.plan!.counts['delete-group']).toBe(0);
    expect(group()).toBeDefined();
    const chosen = await sync({ policy: { ...policy, safety: noBrake }, config: { deleteVanishedGroups: true } });
    expect(chosen.run.status).toBe('succeeded');
    expect(chosen.plan!.counts['delete-group']).toBe(1);
    expect(group()).toBeUndefined();
  });
});
