import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import type { SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { confluenceSnapshot, confluenceSyncRig, defaultPolicy, noBrake, type ConfluenceSyncRig } from './test-support';

/**
 * The whole sync from the demo tenant into the demo Confluence through the engine: creation (lower-case names),
 * updates, disable/enable through the admin API, the asynchronous delete awaited (and its failure recorded),
 * groups and memberships, matching, protection, read-only accounts and the licence limit (402).
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
const rigs: ConfluenceSyncRig[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 8, seed: 12 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'confluence-sync-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

export const fresh = async (options: Parameters<typeof confluenceSyncRig>[2] = {}) => {
  const rig = await confluenceSyncRig(source, dir, options);
  rigs.push(rig);
  return rig;
};

interface EntraUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  mail: string | null;
}
const entraUsers = (): EntraUser[] =>
  entra.control.userIds().map((id) => ({ id, ...(entra.control.getUser(id) as unknown as Omit<EntraUser, 'id'>) }));
const idOf = (summary: Readonly<Record<string, unknown>>) => summary.id as string;
const lenient = { ...defaultPolicy, safety: noBrake };
const name = (u: EntraUser) => u.userPrincipalName.toLowerCase();
/** The error messages of a run's failed items, from the history. */
const itemErrors = (rig: ConfluenceSyncRig, runId: string) =>
  (
    rig.db.prepare('SELECT error_message FROM sync_run_items WHERE run_id = ? AND error_message IS NOT NULL').all(runId) as {
      error_message: string;
    }[]
  ).map((r) => r.error_message);

describe('sync from the demo tenant into the demo Confluence', () => {
  it('creates users (lower-case names, in confluence-users), groups and memberships; a second sync plans nothing', async () => {
    const rig = await fresh();
    const seeded = confluenceSnapshot(rig.confluence).users;
    const first = await rig.sync();
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0, targetId: 'confluence-1' });
    expect(first.plan!.counts['create-user']).toBeGreaterThan(20);
    expect(rig.confluence.control.users().length).toBe(seeded.length + first.run.applied['create-user']);
    for (const u of rig.confluence.control.users()) expect(u.username).toBe(u.username.toLowerCase());
    expect(confluenceSnapshot(rig.confluence).users.filter((u) => seeded.includes(u))).toEqual(seeded);
    const enabled = entraUsers().find((u) => u.accountEnabled && u.userPrincipalName !== name(u))!;
    expect(rig.confluence.control.user(name(enabled))).toMatchObject({ active: true, fullName: enabled.displayName });
    const disabled = entraUsers().find((u) => !u.accountEnabled);
    if (disabled) expect(rig.confluence.control.user(name(disabled))).toMatchObject({ active: false });
    expect(first.run.applied['create-group']).toBeGreaterThan(3);
    expect(first.run.applied['add-member']).toBe(first.plan!.counts['add-member']);
    const second = await rig.sync();
    expect(second.run.status).toBe('succeeded');
    expect(second.plan!.items).toEqual([]);
  });

  it('sends each new user a strong random password; neither it nor the token appears in any log, note, plan or history', async () => {
    const rig = await fresh();
    const result = await rig.sync();
    const passwords = rig.confluence.control.counters().createdPasswords;
    expect(passwords.length).toBe(result.run.applied['create-user']);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const p of passwords) expect(p.length).toBeGreaterThanOrEqual(40);
    const tables = rig.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const everything = [
      ...tables.map((t) => JSON.stringify(rig.db.prepare(`SELECT * FROM "${t.name}"`).all())),
      rig.logs.join('\n'),
      JSON.stringify(result),
    ].join('\n');
    for (const p of passwords) expect(everything).not.toContain(p);
    expect(everything).not.toContain(rig.confluence.info.adminToken);
  });

  it('lower-cases usernames even when the setting says not to, and says so in the plan', async () => {
    const rig = await fresh();
    const mixed = idOf(
      entra.control.addUser({
        userPrincipalName: 'Mixed.Case@demo.example',
        displayName: 'Mixed Case',
        mail: 'mixed@demo.example',
      }),
    );
    const policy = { ...defaultPolicy, mapping: { ...defaultPolicy.mapping, lowercaseUsername: false } };
    try {
      const result = await rig.sync({ policy });
      expect(result.run.status).toBe('succeeded');
      expect(result.plan!.items).toContainEqual(
        expect.objectContaining({
          kind: 'create-user',
          externalId: mixed,
          after: expect.objectContaining({ username: 'mixed.case@demo.example' }),
        }),
      );
      expect(result.plan!.warnings.find((w) => w.code === 'product-rule')?.message).toMatch(
        /Confluence user names are lower case/,
      );
      expect(rig.confluence.control.user('mixed.case@demo.example')).toMatchObject({ username: 'mixed.case@demo.example' });
      for (const u of rig.confluence.control.users()) expect(u.username).toBe(u.username.toLowerCase());
      expect((await rig.sync({ policy })).plan!.items).toEqual([]);
    } finally {
      entra.control.deleteUser(mixed, { hard: true });
    }
  });

  it('says so when two Entra names differ only in case (one Confluence name): neither is created', async () => {
    const rig = await fresh();
    const ids = ['Twin@demo.example', 'twin@demo.example'].map((userPrincipalName, i) =>
      idOf(entra.control.addUser({ userPrincipalName, displayName: `Twin ${i}`, mail: `twin${i}@demo.example` })),
    );
    try {
      const result = await rig.sync({ dryRun: true });
      const conflict = result.plan!.conflicts.find((c) => c.kind === 'user' && c.name === 'twin@demo.example');
      expect(conflict?.externalIds).toEqual(expect.arrayContaining(ids));
      expect(result.plan!.items.filter((i) => i.kind === 'create-user' && ids.includes(i.externalId))).toEqual([]);
    } finally {
      for (const id of ids) entra.control.deleteUser(id, { hard: true });
    }
  });

  it('updates details, disables and enables through the admin API (braked like any deactivation)', async () => {
    const rig = await fresh();
    await rig.sync();
    const [a, b, c] = entraUsers().filter((u) => u.accountEnabled);
    entra.control.updateUser(a!.id, { displayName: 'Changed Name' });
    for (const u of [a!, b!, c!]) entra.control.updateUser(u.id, { accountEnabled: false });
    const strict = { ...defaultPolicy, safety: { ...defaultPolicy.safety, maxCount: 1, maxShare: null } };
    rig.confluence.control.resetCounters();
    try {
      const held = await rig.sync({ policy: strict });
      expect(held.run.status).toBe('blocked');
      expect(held.plan!.counts['disable-user']).toBe(3);
      expect(rig.confluence.control.user(name(b!))?.active).toBe(true);
      expect(rig.confluence.control.counters().requests['PUT /admin/user/{u}/disable'] ?? 0).toBe(0);
      const confirmed = await rig.sync({ policy: strict, confirmRunId: held.run.id });
      expect(confirmed.run.status).toBe('succeeded');
      expect(rig.confluence.control.user(name(a!))).toMatchObject({ active: false, fullName: 'Changed Name' });
      expect(rig.confluence.control.user(name(c!))?.active).toBe(false);
      expect((await rig.sync()).plan!.items).toEqual([]);
      for (const u of [a!, b!, c!]) entra.control.updateUser(u.id, { accountEnabled: true });
      const back = await rig.sync();
      expect(back.run.applied['enable-user']).toBe(3);
      expect(rig.confluence.control.user(name(b!))?.active).toBe(true);
    } finally {
      for (const u of [a!, b!, c!]) entra.control.updateUser(u.id, { accountEnabled: true });
      entra.control.updateUser(a!.id, { displayName: a!.displayName });
    }
  });

  for (const asyncDelete of [true, false, 'untracked'] as const) {
    it(`deletes a leaver when chosen (${asyncDelete === true ? '202 + long task awaited' : asyncDelete === false ? '204' : '202 without a task, awaited'}), braked first`, async () => {
      // Each deletion task ends on its third read of its state, not after some milliseconds: the same on any machine.
      const rig = await fresh({ asyncDelete, deleteMs: 0, deletePolls: 3 });
      const ids = [1, 2].map((n) =>
        idOf(
          entra.control.addUser({
            userPrincipalName: `leaver${n}@demo.example`,
            displayName: `Leaver ${n}`,
            mail: `l${n}@demo.example`,
          }),
        ),
      );
      const policy = { ...defaultPolicy, cleanup: { ...defaultPolicy.cleanup, leavers: 'delete' as const } };
      try {
        await rig.sync({ policy });
        expect(rig.confluence.control.user('leaver1@demo.example')).toBeDefined();
        for (const id of ids) entra.control.deleteUser(id, { hard: true });
        const strict = { ...policy, safety: { ...policy.safety, maxCount: 1, maxShare: null } };
        const held = await rig.sync({ policy: strict });
        expect(held.run.status).toBe('blocked');
        expect(held.plan!.counts['delete-user']).toBe(2);
        expect(rig.confluence.control.counters().requests['DELETE /admin/user/{u}'] ?? 0).toBe(0);
        const done = await rig.sync({ policy: strict, confirmRunId: held.run.id });
        expect(done.run.status).toBe('succeeded');
        expect(done.run.applied['delete-user']).toBe(2);
        // Awaited: gone when the run ends, no task left running.
        expect(rig.confluence.control.pendingTasks()).toBe(0);
        expect(rig.confluence.control.user('leaver1@demo.example')).toBeUndefined();
        // Each task read until it finished (three reads), through its link or, without one, through the user.
        expect(rig.confluence.control.counters().requests['GET /longtask/{id}'] ?? 0).toBe(asyncDelete === true ? 6 : 0);
        if (asyncDelete === true) {
          expect(
            done.run.notes.find((n) => n.startsWith('Confluence deletes users in the background: 2 users deleted')),
          ).toBeDefined();
        }
        expect((await rig.sync({ policy })).plan!.items).toEqual([]);
      } finally {
        for (const id of ids) if (entra.control.getUser(id)) entra.control.deleteUser(id, { hard: true });
      }
    });
  }

  it("records a failed deletion task as a failed item with Confluence's message; the next sync tries again", async () => {
    const rig = await fresh({ deleteMs: 0, deletePolls: 2 });
    const id = idOf(
      entra.control.addUser({ userPrincipalName: 'stuck@demo.example', displayName: 'Stuck', mail: 'stuck@demo.example' }),
    );
    const policy = { ...lenient, cleanup: { ...lenient.cleanup, leavers: 'delete' as const } };
    await rig.sync({ policy });
    entra.control.deleteUser(id, { hard: true });
    rig.confluence.control.failNextDelete('The user owns content that could not be reassigned.');
    const failed = await rig.sync({ policy });
    expect(failed.run.status).toBe('partial');
    expect(failed.run.failedItems).toBe(1);
    expect(itemErrors(rig, failed.run.id)).toEqual([
      'Confluence could not delete user stuck@demo.example: The user owns content that could not be reassigned. Look at the user in Confluence administration; the next sync tries again.',
    ]);
    expect(rig.confluence.control.user('stuck@demo.example')).toBeDefined();
    const again = await rig.sync({ policy });
    expect(again.run.applied['delete-user']).toBe(1);
    expect(rig.confluence.control.user('stuck@demo.example')).toBeUndefined();
  });

  it('matches an existing account by username in any case, and by e-mail only when allowed', async () => {
    const rig = await fresh();
    const [byName, byMail] = entraUsers().filter((u) => u.accountEnabled);
    rig.confluence.control.addUser({
      username: byName!.userPrincipalName.toUpperCase(),
      email: 'old@example.com',
      groups: ['confluence-users'],
    });
    rig.confluence.control.addUser({
      username: 'someone.else',
      email: (byMail!.mail ?? byMail!.userPrincipalName).toUpperCase(),
    });
    const dry = await rig.sync({ dryRun: true });
    expect(dry.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: byName!.id }));
    expect(dry.plan!.items).toContainEqual(expect.objectContaining({ kind: 'create-user', externalId: byMail!.id }));
    const withMail = await rig.sync({ config: { matchByEmail: true } });
    expect(withMail.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: byMail!.id }));
    expect(rig.confluence.control.user(name(byName!))).toMatchObject({ fullName: byName!.displayName });
    // Confluence cannot rename over REST: the e-mail match keeps its name, said in the plan.
    expect(rig.confluence.control.user('someone.else')).toMatchObject({ fullName: byMail!.displayName });
    expect(rig.confluence.control.user(name(byMail!))).toBeUndefined();
    const names = rig.confluence.control.users().map((u) => u.username);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never touches the token account, confluence-administrators and its members, or protected groups', async () => {
    const rig = await fresh();
    rig.confluence.control.addUser({ username: 'other.admin', email: 'oa@example.com', groups: ['confluence-administrators'] });
    const admin = idOf(
      entra.control.addUser({
        userPrincipalName: 'ADMIN',
        displayName: 'Entra Admin',
        mail: 'admin@x.example',
        accountEnabled: false,
      }),
    );
    const other = idOf(entra.control.addUser({ userPrincipalName: 'other.admin', displayName: 'Other', mail: 'oa@x.example' }));
    const groups = ['confluence-administrators', 'Site Owners'].map((displayName) =>
      idOf(entra.control.addGroup({ displayName, members: [admin, other] })),
    );
    try {
      const before = confluenceSnapshot(rig.confluence);
      const result = await rig.sync({ config: { protectedGroups: ['Site Owners'] }, policy: lenient });
      expect(result.run.status).toBe('succeeded');
      const warned = result.plan!.warnings.filter((w) => w.code === 'protected');
      expect(warned.map((w) => w.externalId)).toEqual(expect.arrayContaining([admin, other, ...groups]));
      expect(warned.find((w) => w.externalId === other)?.message).toMatch(
        /^other\.admin is protected \(member of confluence-administrators\)/,
      );
      const touched = result.plan!.items.filter(
        (i) =>
          ('username' in i && /^(admin|other\.admin)$/i.test(i.username)) ||
          ('groupName' in i && /confluence-administrators|site owners/i.test(i.groupName)) ||
          (i.kind === 'create-group' && /confluence-administrators|site owners/i.test(i.after.name)),
      );
      expect(touched).toEqual([]);
      const after = confluenceSnapshot(rig.confluence);
      for (const n of ['admin|', 'other.admin|']) {
        expect(after.users.filter((u) => u.startsWith(n))).toEqual(before.users.filter((u) => u.startsWith(n)));
      }
      expect(after.groups.find((g) => g.startsWith('confluence-administrators:'))).toBe(
        before.groups.find((g) => g.startsWith('confluence-administrators:')),
      );
      expect(rig.confluence.control.groups().some((g) => g.name === 'site owners')).toBe(false);
    } finally {
      entra.control.deleteUser(admin, { hard: true });
      entra.control.deleteUser(other, { hard: true });
      for (const g of groups) entra.control.deleteGroup(g, { hard: true });
    }
  });

  it('reports a read-only-directory user once per run and leaves it as it is', async () => {
    const rig = await fresh();
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    rig.confluence.control.addUser({ username: name(someone), email: 'ldap@example.com', fullName: 'LDAP', readOnly: true });
    const result = await rig.sync();
    expect(result.run.status).toBe('partial');
    const notes = result.run.notes.filter((n) => n.includes('read-only directory'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(name(someone));
    expect(rig.confluence.control.user(name(someone))).toMatchObject({ fullName: 'LDAP', email: 'ldap@example.com' });
  });

  it('stops creating at the licence limit (402) with one clear note while updates, disables and memberships go on', async () => {
    const rig = await fresh();
    await rig.sync();
    const [changed, off] = entraUsers().filter((u) => u.accountEnabled);
    entra.control.updateUser(changed!.id, { displayName: 'Changed At Limit' });
    entra.control.updateUser(off!.id, { accountEnabled: false });
    const added = [1, 2, 3, 4, 5, 6].map((n) =>
      idOf(
        entra.control.addUser({
          userPrincipalName: `limit.user${n}@demo.example`,
          displayName: `Limit ${n}`,
          mail: `limit${n}@demo.example`,
        }),
      ),
    );
    rig.confluence.control.setUserLimit(rig.confluence.control.users().filter((u) => u.active).length);
    rig.confluence.control.resetCounters();
    try {
      const result = await rig.sync({ policy: lenient });
      expect(result.plan!.counts['create-user']).toBe(6);
      expect(result.run.applied['create-user']).toBe(0);
      expect(result.run.applied['update-user']).toBe(1);
      expect(result.run.applied['disable-user']).toBe(1);
      expect(rig.confluence.control.user(name(changed!))?.fullName).toBe('Changed At Limit');
      expect(rig.confluence.control.user(name(off!))?.active).toBe(false);
      expect(result.run.notes).toContain(
        'Confluence has no licence seat left: 6 users were not created; buy seats or free some, then sync again. Updates, disables and memberships went on.',
      );
      expect(rig.confluence.control.counters().requests['POST /admin/user'] ?? 0).toBeLessThanOrEqual(4);
    } finally {
      for (const id of added) entra.control.deleteUser(id, { hard: true });
      entra.control.updateUser(changed!.id, { displayName: changed!.displayName });
      entra.control.updateUser(off!.id, { accountEnabled: true });
    }
  });

  it('on Confluence 8.3 (no user admin API) syncs groups and memberships of existing users and says what is missing', async () => {
    const rig = await fresh({ version: '8.3.4' });
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    rig.confluence.control.addUser({
      username: name(someone),
      email: someone.mail ?? 'x@example.com',
      groups: ['confluence-users'],
    });
    const result = await rig.sync({ policy: lenient });
    expect(result.plan!.warnings.find((w) => w.code === 'product-rule')?.message).toMatch(
      /Confluence 8\.3\.4 is older than 8\.4: create, update, disable\/enable and delete users .* Instead, the sync reads users through group members/,
    );
    expect(result.run.applied['create-user']).toBe(0);
    expect(itemErrors(rig, result.run.id).some((m) => m.includes('has no user admin API (it came with 8.4)'))).toBe(true);
    const memberOf = rig.confluence.control.user(name(someone))!.groups;
    expect(memberOf.length).toBeGreaterThan(1);
  });
});
