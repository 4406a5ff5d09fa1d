import { afterEach, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../../../shared/sync';
import {
  startBitbucketEmulator,
  type BitbucketEmulatorOptions,
  type RunningBitbucketEmulator,
} from '../../../emulator/bitbucket';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock } from '../../ports';
import { createMemoryLicenceMemory } from '../bitbucket/bitbucket-licence';
import { createBitbucketTarget, type BitbucketTarget } from '../bitbucket/bitbucket-target';
import type { BatchItemResult } from '../directory-target';
import { guardTarget, type GuardedTarget } from './guarded-target';
import { RemoteTargetError } from './remote-error';

/**
 * The guard around a real remote target (Bitbucket, over HTTPS against its emulator) when the engine hands it a
 * batch: each item passes the checks it would pass alone, a refused one is reported and never sent, the rest go to
 * the target's batch, and every outcome stays with its own item.
 */

interface Rig {
  readonly bb: RunningBitbucketEmulator;
  readonly bitbucket: BitbucketTarget;
  readonly guard: GuardedTarget;
  readonly requests: (key: string) => number;
}

const open: { bb: RunningBitbucketEmulator; transport: HttpTransport }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.transport.close();
    await o.bb.close();
  }
});

const lower = (s: string) => s.toLowerCase();

/** A demo Bitbucket with `users` (internal, no group) and `groups`; the target read once (it knows read-only accounts). */
async function rig(
  setup: { users?: string[]; groups?: [string, 'LICENSED_USER'?][]; licensed?: string[] } = {},
  options: BitbucketEmulatorOptions = {},
): Promise<Rig> {
  const bb = await startBitbucketEmulator(options);
  const transport = createHttpTransport({ extraCaPem: bb.info.caCertPem, env: {}, timeoutMs: 15_000 });
  open.push({ bb, transport });
  for (const [name, permission] of setup.groups ?? []) bb.control.addGroup(name, permission ?? null);
  for (const name of setup.users ?? [])
    bb.control.addUser({
      name,
      emailAddress: `${name}@example.com`,
      groups: setup.licensed?.includes(name) ? ['stash-users'] : [],
    });
  const bitbucket = createBitbucketTarget({
    id: 'bb',
    baseUrl: bb.info.baseUrl,
    username: bb.info.adminUsername,
    password: bb.info.adminPassword,
    transport,
    clock: systemClock,
    licenceMemory: createMemoryLicenceMemory(),
    memberChunk: 3,
    // One call at a time: which user of a refused call takes the last seat does not depend on timing.
    maxConcurrency: 1,
  });
  for await (const page of bitbucket.readUsers()) void page;
  const guard = guardTarget(bitbucket, {
    isProtectedUser: (name) => lower(name) === 'admin',
    isProtectedGroup: (name) => ['sys-admins', 'protected-team'].includes(lower(name)),
  });
  bb.control.resetCounters();
  return { bb, bitbucket, guard, requests: (key) => bb.control.counters().requests[key] ?? 0 };
}

const reason = { code: 'membership-added', message: 'test' } as const;
const member = (kind: 'add-member' | 'remove-member', groupName: string, username: string): PlanItem => ({
  kind,
  groupExternalId: `g-${groupName}`,
  userExternalId: `u-${username}`,
  groupName,
  username,
  reason,
});
const create = (username: string): PlanItem => ({
  kind: 'create-user',
  externalId: `u-${username}`,
  after: { username, email: `${username}@example.com`, displayName: username, givenName: null, surname: null },
  active: true,
  reason: { code: 'new-in-scope', message: 'test' },
});
const outcomes = (results: readonly BatchItemResult[]) =>
  results.map((r) => (r.outcome === 'failed' ? `failed:${r.error.reason ?? r.error.code}` : r.outcome));
const membersOf = (r: Rig, group: string) => r.bb.control.groups().find((g) => g.name === group)?.members ?? [];

describe('the guard around a batch', () => {
  it('refuses a protected group’s removal and a protected account for those items only, and never sends them', async () => {
    const r = await rig({ users: ['u1', 'u2', 'u3'], groups: [['protected-team'], ['team-a']] });
    r.bb.control.addMember('protected-team', 'u1');
    r.bb.control.addMember('team-a', 'u2');
    r.bb.control.addMember('team-a', 'admin');
    const removals = await r.guard.applyBatch!([
      member('remove-member', 'protected-team', 'u1'),
      member('remove-member', 'team-a', 'u2'),
      member('remove-member', 'team-a', 'admin'),
      member('remove-member', 'team-a', 'u3'),
    ]);
    expect(outcomes(removals)).toEqual(['failed:forbidden', 'applied', 'failed:forbidden', 'applied']);
    expect(removals[0]).toMatchObject({
      error: { code: 'unsupported', message: 'Group protected-team is protected: the sync never changes it.' },
    });
    expect(removals[2]).toMatchObject({ error: { message: 'User admin is protected: the sync never changes it.' } });
    expect(membersOf(r, 'protected-team')).toEqual(['u1']);
    expect(membersOf(r, 'team-a')).toEqual(['admin']);
    expect(r.requests('POST /admin/users/remove-group')).toBe(2);

    const adds = await r.guard.applyBatch!([
      member('add-member', 'team-a', 'u1'),
      member('add-member', 'protected-team', 'u2'),
      member('add-member', 'team-a', 'u2'),
      member('add-member', 'sys-admins', 'u3'),
      member('add-member', 'team-a', 'u3'),
    ]);
    expect(outcomes(adds)).toEqual(['applied', 'failed:forbidden', 'applied', 'failed:forbidden', 'applied']);
    expect(membersOf(r, 'protected-team')).toEqual(['u1']);
    expect(membersOf(r, 'sys-admins')).toEqual(['admin']);
    expect(membersOf(r, 'team-a')).toEqual(['admin', 'u1', 'u2', 'u3']);
    // The three allowed adds to one group went in one call.
    expect(r.requests('POST /admin/groups/add-users')).toBe(1);
  });

  for (const mode of ['partial', 'atomic'] as const) {
    it(`keeps each add’s own outcome when the licence limit refuses part of a call (${mode})`, async () => {
      const r = await rig(
        {
          users: ['free1', 'lic1', 'free2', 'lic2', 'free3'],
          licensed: ['lic1', 'lic2'],
          groups: [['licensed-team', 'LICENSED_USER']],
        },
        { addUsers: mode },
      );
      r.bb.control.setUserLimit(r.bb.control.users().filter((u) => u.permission).length + 1);
      const results = await r.guard.applyBatch!(
        ['free1', 'lic1', 'free2', 'lic2', 'free3'].map((u) => member('add-member', 'licensed-team', u)),
      );
      expect(outcomes(results)).toEqual(['applied', 'applied', 'failed:user-limit', 'applied', 'failed:user-limit']);
      expect(results[2]).toMatchObject({
        error: { code: 'rejected', message: expect.stringContaining('user free2 in group licensed-team') },
      });
      expect(results[4]).toMatchObject({ error: { message: expect.stringContaining('user free3 in group licensed-team') } });
      expect(membersOf(r, 'licensed-team')).toEqual(['free1', 'lic1', 'lic2']);
      // A refusal other than read-only leaves nothing for the read-only note.
      expect(r.guard.notes()).toEqual([]);
      // Two calls for the two chunks, then one per user of each refused chunk.
      expect(r.requests('POST /admin/groups/add-users')).toBe(2 + 3 + 2);
    });
  }

  it('fails only an unknown user of a call, and every add of a missing group with one call', async () => {
    const r = await rig({ users: ['u1', 'u2'], groups: [['team-a']] });
    const results = await r.guard.applyBatch!([
      member('add-member', 'team-a', 'u1'),
      member('add-member', 'team-a', 'nobody'),
      member('add-member', 'team-a', 'u2'),
      member('add-member', 'gone-team', 'u1'),
      member('add-member', 'gone-team', 'u2'),
    ]);
    expect(outcomes(results)).toEqual(['applied', 'failed:not-found', 'applied', 'failed:not-found', 'failed:not-found']);
    expect(results[1]).toMatchObject({ error: { message: expect.stringContaining('user nobody in group team-a') } });
    expect(results[4]).toMatchObject({ error: { message: expect.stringContaining('user u2 in group gone-team') } });
    expect(membersOf(r, 'team-a')).toEqual(['u1', 'u2']);
    // team-a: one call, then one per user; gone-team: one call, whose refusal holds for all its users.
    expect(r.requests('POST /admin/groups/add-users')).toBe(1 + 3 + 1);
  });

  it('notes a read-only account a batch met, and fails its later items without asking', async () => {
    const r = await rig({ users: ['u1', 'u2'], groups: [['team-a']] });
    const results = await r.guard.applyBatch!([
      member('add-member', 'team-a', 'u1'),
      member('add-member', 'team-a', 'carol.ldap'),
      member('add-member', 'team-a', 'u2'),
    ]);
    expect(outcomes(results)).toEqual(['applied', 'failed:read-only-directory', 'applied']);
    expect(r.requests('POST /admin/groups/add-users')).toBe(1);
    expect(r.guard.notes()).toEqual([
      'Cannot change here: read-only directory (LDAP or Crowd) for carol.ldap. Change this account at the source directory.',
    ]);
    await expect(
      r.guard.updateUser({ externalId: 'u-carol', username: 'Carol.LDAP' }, { displayName: 'X' }),
    ).rejects.toMatchObject({
      reason: 'read-only-directory',
    });
    const later = await r.guard.applyBatch!([member('remove-member', 'stash-users', 'carol.ldap')]);
    expect(outcomes(later)).toEqual(['failed:read-only-directory']);
    expect(r.bb.control.counters().requests).toEqual({ 'POST /admin/groups/add-users': 1 });
  });

  it('takes other kinds one by one through its own checks: creations stop at the licence limit within the batch', async () => {
    const r = await rig();
    r.bb.control.setUserLimit(r.bb.control.users().filter((u) => u.permission).length);
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'admin'];
    const results = await r.guard.applyBatch!(names.map(create));
    expect(outcomes(results)).toEqual([...Array(8).fill('failed:user-limit'), 'failed:forbidden']);
    expect(r.requests('POST /admin/users')).toBe(1);
    expect(r.guard.notes()).toEqual([
      'The licensed-user limit is reached: user creation stopped (8 not created) while updates and deactivations went on. Free seats or extend the licence, then sync again.',
    ]);
  });

  it('gives each item of the inner batch its own outcome, and a failure to an item the batch left without one', async () => {
    const r = await rig({ users: ['u1', 'u2', 'u3'], groups: [['team-a']] });
    let innerCalls = 0;
    const shortBatch = guardTarget(
      {
        ...r.bitbucket,
        applyBatch: async (items) => {
          innerCalls++;
          return (await r.bitbucket.applyBatch!(items)).slice(0, -1);
        },
      },
      { isProtectedUser: () => false, isProtectedGroup: (name) => name === 'protected-team' },
    );
    const results = await shortBatch.applyBatch!([
      member('add-member', 'protected-team', 'u1'),
      member('add-member', 'team-a', 'u1'),
      member('add-member', 'team-a', 'u2'),
      member('add-member', 'team-a', 'u3'),
    ]);
    expect(outcomes(results)).toEqual(['failed:forbidden', 'applied', 'applied', 'failed:unavailable']);
    expect(results[3]).toMatchObject({ error: { message: 'The target returned no outcome for this item.' } });
    // Removals go to the inner batch too; a batch the checks emptied does not reach it.
    const removals = await shortBatch.applyBatch!([
      member('remove-member', 'team-a', 'u1'),
      member('remove-member', 'team-a', 'u2'),
    ]);
    expect(outcomes(removals)).toEqual(['applied', 'failed:unavailable']);
    expect(innerCalls).toBe(2);
    expect(outcomes(await shortBatch.applyBatch!([member('remove-member', 'protected-team', 'u1')]))).toEqual([
      'failed:forbidden',
    ]);
    expect(innerCalls).toBe(2);
  });

  it('lets a bug (anything but a target error) stop the batch instead of failing one item', async () => {
    const r = await rig({ users: ['u1'], groups: [['team-a']] });
    const buggy = guardTarget(
      {
        ...r.bitbucket,
        createUser: () => Promise.reject(new Error('a bug')),
      },
      { isProtectedUser: () => false, isProtectedGroup: () => false },
    );
    await expect(buggy.applyBatch!([create('n1')])).rejects.toThrow('a bug');
    const brokenCheck = guardTarget(r.bitbucket, {
      isProtectedUser: () => false,
      isProtectedGroup: () => {
        throw new Error('a broken check');
      },
    });
    await expect(brokenCheck.applyBatch!([member('add-member', 'team-a', 'u1')])).rejects.toThrow('a broken check');
    expect(membersOf(r, 'team-a')).toEqual([]);
  });

  it('reads through the target', async () => {
    const r = await rig({ users: ['u1'], groups: [['team-a']] });
    r.bb.control.addMember('team-a', 'u1');
    const users: string[] = [];
    for await (const page of r.guard.readUsers()) users.push(...page.map((u) => u.username));
    expect(users).toContain('u1');
    const groups: string[] = [];
    for await (const page of r.guard.readGroups()) groups.push(...page.map((g) => g.name));
    expect(groups).toContain('team-a');
    const guard = guardTarget(
      createBitbucketTarget({
        id: 'bb',
        baseUrl: r.bb.info.baseUrl,
        username: r.bb.info.adminUsername,
        password: r.bb.info.adminPassword,
        transport: open[0]!.transport,
        clock: systemClock,
        licenceMemory: createMemoryLicenceMemory(),
        memberGroups: () => ['team-a'],
      }),
      { isProtectedUser: () => false, isProtectedGroup: () => false },
    );
    const members: string[] = [];
    for await (const page of guard.readMemberships()) for (const m of page) members.push(...m.userKeys);
    expect(members).toEqual(['u1']);
  });

  it('has no batch when the target has none', async () => {
    const r = await rig();
    const { applyBatch, ...single } = r.bitbucket;
    expect(applyBatch).toBeTypeOf('function');
    expect(guardTarget(single, { isProtectedUser: () => false, isProtectedGroup: () => false }).applyBatch).toBeUndefined();
    expect(r.guard.applyBatch).toBeTypeOf('function');
  });
});

describe('the guard around single operations', () => {
  it('tells the managed-groups store what it created or deleted, and never writes a protected group', async () => {
    const r = await rig();
    const calls: [string, boolean][] = [];
    const guard = guardTarget(r.bitbucket, {
      isProtectedUser: () => false,
      isProtectedGroup: (name) => name === 'protected-team',
      onGroup: (name, managed) => void calls.push([name, managed]),
    });
    expect(await guard.createGroup('g-x', { name: 'team-x', description: null })).toBe('applied');
    expect(await guard.deleteGroup({ externalId: 'g-x', name: 'team-x' })).toBe('applied');
    expect(calls).toEqual([
      ['team-x', true],
      ['team-x', false],
    ]);
    const group = { externalId: 'g-p', name: 'protected-team' };
    await expect(guard.createGroup('g-p', { name: 'protected-team', description: null })).rejects.toMatchObject({
      reason: 'forbidden',
    });
    await expect(later(() => guard.updateGroup(group, { name: 'other' }))).rejects.toMatchObject({ reason: 'forbidden' });
    await expect(guard.deleteGroup(group)).rejects.toMatchObject({ reason: 'forbidden' });
    await expect(later(() => guard.addMember(group, { externalId: 'u', username: 'jsmith' }))).rejects.toMatchObject({
      reason: 'forbidden',
    });
    expect(calls).toHaveLength(2);
    expect(r.requests('POST /admin/groups')).toBe(1);
    expect(r.requests('DELETE /admin/groups')).toBe(1);
    expect(r.requests('POST /admin/groups/add-users')).toBe(0);
  });

  it('never writes a protected account, and lists every read-only account once in one note', async () => {
    const r = await rig();
    const admin = { externalId: 'u-admin', username: 'Admin' };
    await expect(r.guard.updateUser(admin, { displayName: 'X' })).rejects.toMatchObject({ reason: 'forbidden' });
    await expect(r.guard.setUserActive(admin, false)).rejects.toMatchObject({ reason: 'forbidden' });
    await expect(r.guard.deleteUser(admin)).rejects.toMatchObject({ reason: 'forbidden' });
    expect(r.bb.control.counters().requests).toEqual({});
    await expect(r.guard.updateUser({ externalId: 'u-ghost', username: 'ghost' }, { displayName: 'G' })).rejects.toMatchObject({
      reason: 'not-found',
    });
    expect(r.guard.notes()).toEqual([]);
    const carol = { externalId: 'u-carol', username: 'carol.ldap' };
    await expect(r.guard.setUserActive(carol, false)).rejects.toMatchObject({ reason: 'read-only-directory' });
    await expect(r.guard.deleteUser(carol)).rejects.toMatchObject({ reason: 'read-only-directory' });
    expect(r.guard.notes()).toEqual([
      'Cannot change here: read-only directory (LDAP or Crowd) for carol.ldap. Change this account at the source directory.',
    ]);
    r.bb.control.addUser({ name: 'Bert.LDAP', emailAddress: 'bert@example.com', readOnly: true });
    // Not read yet by the target: Bitbucket itself refuses the change (400, UserNotMutableException).
    await expect(r.guard.updateUser({ externalId: 'u-bert', username: 'Bert.LDAP' }, { displayName: 'B' })).rejects.toMatchObject(
      {
        reason: 'read-only-directory',
      },
    );
    const before = r.bb.control.counters().requests;
    await expect(r.guard.updateUser({ externalId: 'u-bert', username: 'bert.ldap' }, { displayName: 'C' })).rejects.toMatchObject(
      {
        reason: 'read-only-directory',
      },
    );
    expect(r.bb.control.counters().requests).toEqual(before);
    expect(r.guard.notes()).toEqual([
      'Cannot change here: read-only directory (LDAP or Crowd) for bert.ldap, carol.ldap. Change these accounts at the source directory.',
    ]);
  });

  it('passes allowed writes through with their outcome (no managed-groups store needed)', async () => {
    const r = await rig({ users: ['u1'] });
    const u1 = { externalId: 'u-u1', username: 'u1' };
    const group = { externalId: 'g-y', name: 'team-y' };
    expect(await r.guard.createGroup('g-y', { name: 'team-y', description: null })).toBe('applied');
    expect(await r.guard.addMember(group, u1)).toBe('applied');
    expect(membersOf(r, 'team-y')).toEqual(['u1']);
    expect(await r.guard.removeMember(group, u1)).toBe('applied');
    expect(membersOf(r, 'team-y')).toEqual([]);
    expect(await r.guard.deleteGroup(group)).toBe('applied');
    expect(await r.guard.deleteUser(u1)).toBe('applied');
    expect(r.bb.control.user('u1')).toBeUndefined();
  });

  it('remembers a read-only refusal itself: the account’s next item is not sent to the target', async () => {
    const r = await rig();
    let calls = 0;
    const guard = guardTarget(
      {
        ...r.bitbucket,
        setUserActive: () => {
          calls++;
          return Promise.reject(new RemoteTargetError('unsupported', 'read-only-directory', 'Cannot change user x here.'));
        },
      },
      { isProtectedUser: () => false, isProtectedGroup: () => false },
    );
    const x = { externalId: 'u-x', username: 'X' };
    await expect(guard.setUserActive(x, false)).rejects.toMatchObject({ reason: 'read-only-directory' });
    await expect(guard.setUserActive({ ...x, username: 'x' }, true)).rejects.toMatchObject({
      message: 'Cannot change user x here.',
    });
    expect(calls).toBe(1);
  });

  it('keeps creating after a refusal that is not the licence limit', async () => {
    const r = await rig();
    const noMail = create('no.mail');
    await expect(
      r.guard.createUser('u-1', { ...(noMail.kind === 'create-user' ? noMail.after : never()), email: null }, true),
    ).rejects.toMatchObject({
      reason: 'invalid',
    });
    const ok = create('has.mail');
    expect(await r.guard.createUser('u-2', ok.kind === 'create-user' ? ok.after : never(), true)).toBe('applied');
    expect(r.guard.notes()).toEqual([]);
  });
});

/** A call that may throw before it returns its promise (the guard's checks), as a rejected promise. */
const later = <T>(call: () => Promise<T>) => Promise.resolve().then(call);

function never(): never {
  throw new Error('unreachable');
}
