import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UserFields } from '../../../../shared/sync';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { RemoteTargetError } from '../remote/remote-error';
import { VirtualClock } from '../remote/virtual-clock';
import { byName, collect, jiraRig, type JiraTestRig } from './test-support';

const clock = new VirtualClock();
let jira: RunningJiraEmulator;
let rig: JiraTestRig;

beforeAll(async () => {
  jira = await startJiraEmulator({ clock, memberPageCap: 2 });
});
afterAll(async () => {
  await jira.close();
});
beforeEach(() => {
  rig = jiraRig(jira, clock, { managedGroups: ['Sync-Team', 'jira-software-users'] });
});
afterEach(async () => {
  await rig.close();
});

const fields = (username: string, extra: Partial<UserFields> = {}): UserFields => ({
  username,
  email: `${username.toLowerCase()}@example.com`,
  displayName: `Name of ${username}`,
  givenName: null,
  surname: null,
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<RemoteTargetError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteTargetError);
  expect((error as Error).message).not.toContain(jira.info.adminToken);
  return error as RemoteTargetError;
}

describe('JiraTarget against the demo Jira: users', () => {
  it('creates a user with a JIRAUSER key, links it as created, and a replay is unchanged', async () => {
    const t = rig.target;
    expect(await t.createUser('ext-create', fields('Create.Me'), true)).toBe('applied');
    const link = rig.links.user('ext-create');
    expect(link).toMatchObject({ origin: 'created', key: expect.stringMatching(/^JIRAUSER/) });
    expect(await t.createUser('ext-create', fields('Create.Me'), true)).toBe('unchanged');
    expect(jira.control.users().filter((u) => u.name.toLowerCase() === 'create.me')).toHaveLength(1);
    const read = byName(await collect(t.readUsers()), 'create.me');
    expect(read).toMatchObject({ key: link?.key, externalId: 'ext-create', email: 'create.me@example.com', active: true });
    expect(t.userListApi).toBe('list');
  });

  it('creates an inactive user when asked', async () => {
    expect(await rig.target.createUser('ext-inactive', fields('born.inactive'), false)).toBe('applied');
    expect(jira.control.user('born.inactive')?.active).toBe(false);
  });

  it('matches an existing account with the same username in another case instead of duplicating it', async () => {
    const same = fields('JSMITH', { email: 'john.smith@example.com', displayName: 'John Smith' });
    expect(await rig.target.createUser('ext-jsmith', same, true)).toBe('unchanged');
    expect(rig.links.user('ext-jsmith')).toEqual({ externalId: 'ext-jsmith', key: 'jsmith', origin: 'matched' });
    expect(jira.control.users().filter((u) => u.name.toLowerCase() === 'jsmith')).toHaveLength(1);
    // The matched account then follows Entra's values (its username's case is left alone).
    expect(await rig.target.createUser('ext-jsmith', { ...same, displayName: 'John Smith (Entra)' }, true)).toBe('applied');
    expect(jira.control.user('jsmith')).toMatchObject({ name: 'jsmith', displayName: 'John Smith (Entra)' });
  });

  it('matches by e-mail only when allowed', async () => {
    const byMail = jiraRig(jira, clock, { matchByEmail: true });
    try {
      const f = fields('anna.b', { email: 'ANNA.BERG@example.com', displayName: 'Anna Berg' });
      expect(await byMail.target.createUser('ext-anna', f, true)).toBe('applied');
      expect(byMail.links.user('ext-anna')).toMatchObject({ key: jira.control.user('Anna.Berg')?.key, origin: 'matched' });
      expect(jira.control.user('anna.b')).toBeUndefined();
    } finally {
      await byMail.close();
    }
    expect(await rig.target.createUser('ext-anna2', fields('anna.c', { email: 'anna.berg@example.com' }), true)).toBe('applied');
    expect(rig.links.user('ext-anna2')?.origin).toBe('created');
  });

  it('updates e-mail and display name, renames keeping the key, and replays as unchanged', async () => {
    const t = rig.target;
    await t.createUser('ext-upd', fields('upd.one'), true);
    const key = rig.links.user('ext-upd')?.key;
    const ref = { externalId: 'ext-upd', username: 'upd.one' };
    expect(await t.updateUser(ref, { displayName: 'Updated', email: 'new@example.com' })).toBe('applied');
    expect(await t.updateUser(ref, { displayName: 'Updated', email: 'new@example.com' })).toBe('unchanged');
    expect(await t.updateUser(ref, { username: 'upd.renamed' })).toBe('applied');
    expect(await t.updateUser(ref, { username: 'upd.renamed' })).toBe('unchanged');
    expect(jira.control.user('upd.renamed')).toMatchObject({ key, displayName: 'Updated', emailAddress: 'new@example.com' });
    // A rename replayed without a link still finds the account under its new name.
    const unlinked = jiraRig(jira, clock);
    try {
      expect(await unlinked.target.updateUser(ref, { username: 'upd.renamed' })).toBe('unchanged');
    } finally {
      await unlinked.close();
    }
    const taken = await failure(t.updateUser(ref, { username: 'JSmith' }));
    expect(taken).toMatchObject({ code: 'conflict', reason: 'duplicate' });
  });

  it('deactivates and reactivates (the seat is freed), each replay unchanged, and deletes when asked', async () => {
    const t = rig.target;
    await t.createUser('ext-act', fields('act.one'), true);
    const ref = { externalId: 'ext-act', username: 'act.one' };
    expect(await t.setUserActive(ref, false)).toBe('applied');
    expect(await t.setUserActive(ref, false)).toBe('unchanged');
    expect(jira.control.user('act.one')?.active).toBe(false);
    expect(await t.setUserActive(ref, true)).toBe('applied');
    expect(await t.setUserActive(ref, true)).toBe('unchanged');
    expect(await t.deleteUser(ref)).toBe('applied');
    expect(await t.deleteUser(ref)).toBe('unchanged');
    expect(jira.control.user('act.one')).toBeUndefined();
    expect(rig.links.user('ext-act')).toBeUndefined();
    expect((await failure(t.setUserActive(ref, false))).code).toBe('not-found');
  });

  it('reports what a read-only (LDAP) directory user cannot take, as unsupported', async () => {
    const t = rig.target;
    const ref = { externalId: 'ext-carol', username: 'carol.ldap' };
    const update = await failure(t.updateUser(ref, { displayName: 'Changed' }));
    expect(update).toMatchObject({ code: 'unsupported', reason: 'read-only-directory' });
    expect(update.message).toMatch(/read-only directory/);
    expect((await failure(t.setUserActive(ref, false))).reason).toBe('read-only-directory');
    await t.createGroup('ext-g-ro', { name: 'Sync-Team', description: null });
    expect((await failure(t.addMember({ externalId: 'ext-g-ro', name: 'Sync-Team' }, ref))).reason).toBe('read-only-directory');
    // Nothing to change is no failure, even there.
    expect(await t.updateUser(ref, { displayName: 'Carol (LDAP)' })).toBe('unchanged');
    expect(jira.control.user('carol.ldap')?.displayName).toBe('Carol (LDAP)');
  });

  it('stops creating at the licensed-user limit with a clear message, while deactivation goes on', async () => {
    const t = rig.target;
    await t.createUser('ext-seat', fields('seat.user'), true);
    jira.control.setUserLimit(jira.control.users().filter((u) => u.active && u.applicationKeys.length > 0).length);
    try {
      const limit = await failure(t.createUser('ext-over', fields('over.limit'), true));
      expect(limit).toMatchObject({ code: 'rejected', reason: 'user-limit' });
      expect(limit.message).toMatch(/licensed-user limit/);
      expect(jira.control.user('over.limit')).toBeUndefined();
      expect(await t.setUserActive({ externalId: 'ext-seat', username: 'seat.user' }, false)).toBe('applied');
    } finally {
      jira.control.setUserLimit(null);
    }
  });

  it('refuses a user without an e-mail before calling Jira', async () => {
    const before = jira.control.counters().requests['POST /user'] ?? 0;
    const error = await failure(rig.target.createUser('ext-nomail', fields('no.mail', { email: null }), true));
    expect(error).toMatchObject({ code: 'rejected', reason: 'invalid' });
    expect(jira.control.counters().requests['POST /user'] ?? 0).toBe(before);
  });
});

describe('JiraTarget against the demo Jira: groups and memberships', () => {
  it('creates groups, matches existing ones, adds and removes members, reads only managed groups, all replayable', async () => {
    const t = rig.target;
    const group = { externalId: 'ext-team', name: 'Sync-Team' };
    expect(['applied', 'unchanged']).toContain(await t.createGroup(group.externalId, { name: group.name, description: 'x' }));
    expect(await t.createGroup(group.externalId, { name: group.name, description: 'x' })).toBe('unchanged');
    expect(await t.createGroup('ext-users', { name: 'JIRA-SOFTWARE-USERS', description: null })).toBe('unchanged');
    expect(rig.links.group('ext-users')).toMatchObject({ key: 'jira-software-users', origin: 'matched' });

    const members = ['m.one', 'm.two', 'm.three', 'm.four', 'm.five'];
    for (const [i, name] of members.entries()) await t.createUser(`ext-m${i}`, fields(name), true);
    for (const [i, name] of members.entries()) {
      expect(await t.addMember(group, { externalId: `ext-m${i}`, username: name })).toBe('applied');
    }
    expect(await t.addMember(group, { externalId: 'ext-m0', username: 'm.one' })).toBe('unchanged');

    const groups = await collect(t.readGroups());
    expect(groups.map((g) => g.key).sort()).toEqual(['jira-software-users', 'sync-team']);
    const memberships = await collect(t.readMemberships());
    const team = memberships.filter((m) => m.groupKey === 'sync-team').flatMap((m) => m.userKeys);
    expect(team.sort()).toEqual(members.map((_, i) => rig.links.user(`ext-m${i}`)?.key).sort());

    expect(await t.removeMember(group, { externalId: 'ext-m0', username: 'm.one' })).toBe('applied');
    expect(await t.removeMember(group, { externalId: 'ext-m0', username: 'm.one' })).toBe('unchanged');
    expect((await failure(t.updateGroup(group, { name: 'Renamed' }))).reason).toBe('cannot-rename-group');
    expect(await t.deleteGroup(group)).toBe('applied');
    expect(await t.deleteGroup(group)).toBe('unchanged');
    expect(jira.control.groups().some((g) => g.name === 'Sync-Team')).toBe(false);
  });

  it('follows a renamed user through its link in memberships', async () => {
    const t = rig.target;
    const group = { externalId: 'ext-g2', name: 'Sync-Team' };
    await t.createGroup(group.externalId, { name: group.name, description: null });
    await t.createUser('ext-mover', fields('mover.old'), true);
    await t.updateUser({ externalId: 'ext-mover', username: 'mover.old' }, { username: 'mover.new' });
    // The plan still carries the old name; the link says who it is.
    expect(await t.addMember(group, { externalId: 'ext-mover', username: 'mover.old' })).toBe('applied');
    expect(jira.control.user('mover.new')?.groups).toContain('Sync-Team');
    await t.deleteGroup(group);
  });

  it('needs one request per create and per membership, and follows a rename made in Jira after the name was read', async () => {
    const t = rig.target;
    const group = { externalId: 'ext-g3', name: 'Sync-Team' };
    await t.createGroup(group.externalId, { name: group.name, description: null });
    const requests = () => {
      const c = jira.control.counters().requests;
      jira.control.resetCounters();
      return c;
    };
    requests();
    expect(await t.createUser('ext-one', fields('one.request'), true)).toBe('applied');
    expect(requests()).toEqual({ 'POST /user': 1 });
    expect(await t.addMember(group, { externalId: 'ext-one', username: 'one.request' })).toBe('applied');
    expect(requests()).toEqual({ 'POST /group/user': 1 });
    // Created meanwhile by someone else in another case: the refusal is a match, never a second account.
    await jira.control.addUser({ name: 'Taken.Meanwhile', emailAddress: 'taken.meanwhile@example.com' });
    expect(await t.createUser('ext-taken', fields('taken.meanwhile'), true)).toBe('applied');
    expect(rig.links.user('ext-taken')).toMatchObject({ origin: 'matched', key: jira.control.user('Taken.Meanwhile')?.key });
    expect(jira.control.users().filter((u) => u.name.toLowerCase() === 'taken.meanwhile')).toHaveLength(1);
    // Renamed in Jira by someone else after the target learnt the name: the 404 sends it back to the key.
    await collect(t.readUsers());
    const key = rig.links.user('ext-taken')?.key as string;
    const renamed = await rig.transport.fetch(`${jira.info.baseUrl}/rest/api/2/user?key=${key}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${jira.info.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'taken.renamed' }),
    });
    expect(renamed.status).toBe(200);
    expect(await t.addMember(group, { externalId: 'ext-taken', username: 'taken.meanwhile' })).toBe('applied');
    expect(jira.control.user('taken.renamed')?.groups).toContain('Sync-Team');
    expect(await t.addMember(group, { externalId: 'ext-taken', username: 'taken.meanwhile' })).toBe('unchanged');
    await t.deleteGroup(group);
  });

  it('replays every kind of write at once after it landed, each replay unchanged', async () => {
    const t = rig.target;
    const g = { externalId: 'ext-rp-g', name: 'Sync-Team' };
    const u = { externalId: 'ext-rp-u', username: 'replay.user' };
    const steps = [
      () => t.createUser(u.externalId, fields(u.username), true),
      () => t.createGroup(g.externalId, { name: g.name, description: null }),
      () => t.addMember(g, u),
      () => t.updateUser(u, { displayName: 'Replayed' }),
      () => t.updateUser(u, { username: 'replay.renamed' }),
      () => t.setUserActive(u, false),
      () => t.setUserActive(u, true),
      () => t.removeMember(g, u),
      () => t.deleteGroup(g),
      () => t.deleteUser(u),
    ];
    // Each item replayed at once, as when its answer was lost: the first lands, the replay finds it done.
    const outcomes: string[] = [];
    for (const step of steps) outcomes.push(`${await step()}/${await step()}`);
    expect(outcomes).toEqual(Array(steps.length).fill('applied/unchanged'));
    expect(jira.control.user('replay.renamed')).toBeUndefined();
  });
});

describe('JiraTarget against an older Jira (no user/list)', () => {
  it('reads every user through user/search, past its per-call cap', async () => {
    const old = await startJiraEmulator({ clock, version: '9.12.0', searchCap: 2 });
    const oldRig = jiraRig(old, clock);
    try {
      const users = await collect(oldRig.target.readUsers({ pageSize: 100 }));
      expect(oldRig.target.userListApi).toBe('search');
      expect(users.map((u) => u.key).sort()).toEqual(
        old.control
          .users()
          .map((u) => u.key)
          .sort(),
      );
    } finally {
      await oldRig.close();
      await old.close();
    }
  });
});
