import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createPrng } from '../../../emulator/prng';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { bitbucketSnapshot, bitbucketSyncRig, type BitbucketSyncRig } from './test-support';

/**
 * The whole sync from the demo tenant into the demo Bitbucket through the engine: creation with a password nobody
 * sees, groups and memberships, matching, protection, read-only accounts, the licence limit, and an interrupted
 * apply converging. (bitbucket-disable.test.ts has "disable" in both of its meanings and the brake.)
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
  dir = mkdtempSync(join(tmpdir(), 'bitbucket-sync-'));
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

const entraUsers = () =>
  entra.control.userIds().map((id) => ({
    id,
    ...(entra.control.getUser(id) as unknown as {
      userPrincipalName: string;
      displayName: string;
      accountEnabled: boolean;
      mail: string | null;
    }),
  }));
const idOf = (summary: Readonly<Record<string, unknown>>) => summary.id as string;

/** Every text the sync database holds (history, items, links, notes), for looking for what must never be there. */
function databaseText(rig: BitbucketSyncRig): string {
  const tables = rig.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => JSON.stringify(rig.db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}

describe('sync from the demo tenant into the demo Bitbucket', () => {
  it('creates users (licensed in stash-users), groups and memberships; a second sync plans nothing', async () => {
    const rig = await fresh();
    const seeded = bitbucketSnapshot(rig.bitbucket).users;
    const first = await rig.sync();
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0, targetId: 'bitbucket-1' });
    expect(first.plan!.counts['create-user']).toBeGreaterThan(20);
    expect(rig.bitbucket.control.users().length).toBe(seeded.length + first.run.applied['create-user']);
    // Only linked accounts change: every pre-existing one is exactly as it was.
    expect(bitbucketSnapshot(rig.bitbucket).users.filter((u) => seeded.includes(u))).toEqual(seeded);
    const enabled = entraUsers().find((u) => u.accountEnabled)!;
    expect(rig.bitbucket.control.user(enabled.userPrincipalName)).toMatchObject({ permission: 'LICENSED_USER' });
    const disabled = entraUsers().find((u) => !u.accountEnabled);
    // Disabled in Entra: created without a licence (in no group that grants one).
    if (disabled) expect(rig.bitbucket.control.user(disabled.userPrincipalName)).toMatchObject({ permission: null });
    expect(first.run.applied['create-group']).toBeGreaterThan(3);
    expect(first.run.applied['add-member']).toBe(first.plan!.counts['add-member']);
    expect(first.run.applied['add-member']).toBeGreaterThan(5);
    const second = await rig.sync();
    expect(second.run.status).toBe('succeeded');
    expect(second.plan!.items).toEqual([]);
  });

  it('sends each new user a strong random password that appears in no log, note, plan or history', async () => {
    const rig = await fresh();
    const result = await rig.sync();
    const passwords = rig.bitbucket.control.counters().createdPasswords;
    expect(passwords.length).toBe(result.run.applied['create-user']);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const p of passwords) expect(p.length).toBeGreaterThanOrEqual(40);
    const everything = [databaseText(rig), rig.logs.join('\n'), JSON.stringify(result)].join('\n');
    for (const p of passwords) expect(everything).not.toContain(p);
    expect(everything).not.toContain(rig.bitbucket.info.adminPassword);
  });

  it('follows a rename in Entra (the link moves with the name) and updates details', async () => {
    const rig = await fresh();
    await rig.sync();
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    entra.control.updateUser(someone.id, {
      userPrincipalName: `renamed.${someone.userPrincipalName}`,
      displayName: 'Renamed Person',
    });
    try {
      const result = await rig.sync();
      expect(result.run.status).toBe('succeeded');
      expect(result.plan!.counts).toMatchObject({ 'update-user': 1, 'create-user': 0 });
      expect(rig.bitbucket.control.user(`renamed.${someone.userPrincipalName}`)).toMatchObject({ displayName: 'Renamed Person' });
      expect(rig.bitbucket.control.user(someone.userPrincipalName)).toBeUndefined();
      expect((await rig.sync()).plan!.items).toEqual([]);
    } finally {
      entra.control.updateUser(someone.id, { userPrincipalName: someone.userPrincipalName, displayName: someone.displayName });
    }
  });

  it('matches an existing account by username in any case, and by e-mail only when allowed', async () => {
    const rig = await fresh();
    const [byName, byMail] = entraUsers().filter((u) => u.accountEnabled);
    rig.bitbucket.control.addUser({
      name: byName!.userPrincipalName.toUpperCase(),
      emailAddress: 'old@example.com',
      groups: ['stash-users'],
    });
    rig.bitbucket.control.addUser({
      name: 'someone.else',
      emailAddress: (byMail!.mail ?? byMail!.userPrincipalName).toUpperCase(),
      groups: ['stash-users'],
    });
    const dry = await rig.sync({ dryRun: true });
    expect(dry.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: byName!.id }));
    expect(dry.plan!.items).toContainEqual(expect.objectContaining({ kind: 'create-user', externalId: byMail!.id }));
    const withMail = await rig.sync({ config: { matchByEmail: true } });
    expect(withMail.run.status).toBe('succeeded');
    expect(rig.bitbucket.control.user(byName!.userPrincipalName)).toMatchObject({ displayName: byName!.displayName });
    // Matched by e-mail, then renamed to the Entra username (the account and its id stay).
    const matched = rig.bitbucket.control.user(byMail!.userPrincipalName);
    expect(matched).toMatchObject({ displayName: byMail!.displayName });
    expect(rig.bitbucket.control.user('someone.else')).toBeUndefined();
    const names = rig.bitbucket.control.users().map((u) => u.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect((await rig.sync({ config: { matchByEmail: true } })).plan!.items).toEqual([]);
  });

  it('never touches the signed-in admin, other administrators, stash-users, sys-admins or protected groups', async () => {
    const rig = await fresh();
    rig.bitbucket.control.addUser({ name: 'other.admin', emailAddress: 'oa@example.com', groups: ['sys-admins'] });
    const admin = idOf(
      entra.control.addUser({ userPrincipalName: 'ADMIN', displayName: 'Entra Admin', mail: 'admin@x.example' }),
    );
    const other = idOf(entra.control.addUser({ userPrincipalName: 'other.admin', displayName: 'Other', mail: 'oa@x.example' }));
    const groups = ['stash-users', 'sys-admins', 'Site Owners'].map((displayName) =>
      idOf(entra.control.addGroup({ displayName, members: [admin, other] })),
    );
    try {
      const before = bitbucketSnapshot(rig.bitbucket);
      const result = await rig.sync({ config: { protectedGroups: ['Site Owners'] } });
      expect(result.run.status).toBe('succeeded');
      const warned = result.plan!.warnings.filter((w) => w.code === 'protected');
      expect(warned.map((w) => w.externalId)).toEqual(expect.arrayContaining([admin, other, ...groups]));
      expect(warned.find((w) => w.externalId === other)?.message).toBe(
        'other.admin is protected (member of sys-admins): never changed, never unlicensed, never removed from groups.',
      );
      expect(warned.find((w) => w.externalId === admin)?.message).toMatch(
        /^admin is protected \(the administrator the sync signs in as\)/,
      );
      const touched = result.plan!.items.filter(
        (i) =>
          ('username' in i && /^(admin|other\.admin)$/i.test(i.username)) ||
          ('groupName' in i && /stash-users|sys-admins|site owners/i.test(i.groupName)) ||
          (i.kind === 'create-group' && /stash-users|sys-admins|site owners/i.test(i.after.name)),
      );
      expect(touched).toEqual([]);
      const after = bitbucketSnapshot(rig.bitbucket);
      for (const name of ['admin|', 'other.admin|']) {
        expect(after.users.filter((u) => u.startsWith(name))).toEqual(before.users.filter((u) => u.startsWith(name)));
      }
      expect(after.groups.find((g) => g.startsWith('sys-admins:'))).toBe(before.groups.find((g) => g.startsWith('sys-admins:')));
      expect(rig.bitbucket.control.groups().some((g) => g.name === 'Site Owners')).toBe(false);
    } finally {
      entra.control.deleteUser(admin, { hard: true });
      entra.control.deleteUser(other, { hard: true });
      for (const g of groups) entra.control.deleteGroup(g, { hard: true });
    }
  });

  it('reports a read-only-directory user once per run without sending it any write', async () => {
    const rig = await fresh();
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    rig.bitbucket.control.addUser({
      name: someone.userPrincipalName,
      emailAddress: 'ldap@example.com',
      displayName: 'LDAP',
      readOnly: true,
      groups: ['stash-users'],
    });
    const result = await rig.sync();
    expect(result.run.status).toBe('partial');
    const notes = result.run.notes.filter((n) => n.includes('read-only directory'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(someone.userPrincipalName.toLowerCase());
    expect(rig.bitbucket.control.user(someone.userPrincipalName)).toMatchObject({ displayName: 'LDAP' });
    expect(rig.bitbucket.control.counters().statuses['400'] ?? 0).toBe(0);
  });

  it('stops creating at the licence limit (403) with one clear note while updates go on', async () => {
    const rig = await fresh();
    await rig.sync();
    const changed = entraUsers().find((u) => u.accountEnabled)!;
    entra.control.updateUser(changed.id, { displayName: 'Changed At Limit' });
    const added = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      idOf(
        entra.control.addUser({
          userPrincipalName: `limit.user${n}@demo.example`,
          displayName: `Limit ${n}`,
          mail: `limit${n}@demo.example`,
        }),
      ),
    );
    rig.bitbucket.control.setUserLimit(rig.bitbucket.control.users().filter((u) => u.permission).length);
    rig.bitbucket.control.resetCounters();
    try {
      const result = await rig.sync();
      expect(result.plan!.counts['create-user']).toBe(8);
      expect(result.run.applied['create-user']).toBe(0);
      expect(result.run.applied['update-user']).toBe(1);
      expect(rig.bitbucket.control.user(changed.userPrincipalName)?.displayName).toBe('Changed At Limit');
      expect(result.run.notes.filter((n) => n.includes('licensed-user limit'))).toHaveLength(1);
      expect(rig.bitbucket.control.counters().requests['POST /admin/users'] ?? 0).toBeLessThanOrEqual(4);
    } finally {
      for (const id of added) entra.control.deleteUser(id, { hard: true });
      entra.control.updateUser(changed.id, { displayName: changed.displayName });
    }
  });
});

describe('an apply interrupted at random points converges on the next run', () => {
  it('6 trials: cancelled after a random number of writes, re-run, nothing duplicated, then nothing to do', async () => {
    const reference = await fresh();
    const total = (await reference.sync()).plan!.items.length;
    const wanted = bitbucketSnapshot(reference.bitbucket);
    const prng = createPrng(7);
    for (let trial = 0; trial < 6; trial++) {
      const rig = await fresh();
      const stopAfter = 1 + Math.floor(prng.next() * (total - 4));
      const cut = await rig.sync({ abortAfterWrites: stopAfter });
      expect(cut.run.status, `trial ${trial}, stop after ${stopAfter}`).toBe('cancelled');
      const again = await rig.sync();
      expect(again.run.status, `trial ${trial}`).toBe('succeeded');
      expect(bitbucketSnapshot(rig.bitbucket), `trial ${trial}`).toEqual(wanted);
      expect((await rig.sync()).plan!.items, `trial ${trial}`).toEqual([]);
      await rigs.pop()!.close();
    }
  });
});
