import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrowdEmulator, type RunningCrowdEmulator } from '../../../emulator/crowd';
import { RemoteTargetError } from '../remote/remote-error';
import { collect, crowdRig, type CrowdTestRig } from './test-support';

/**
 * The Crowd target against the demo Crowd over HTTPS: Crowd's rules (PUT replaces the whole user, deactivation by
 * `active: false`, nested groups left alone), idempotent writes, and Crowd's refusals as clear errors.
 */

let crowd: RunningCrowdEmulator;
let rig: CrowdTestRig;

beforeEach(async () => {
  crowd = await startCrowdEmulator();
  rig = crowdRig(crowd, undefined, { managedGroups: ['crowd-users'] });
});
afterEach(async () => {
  await rig.close();
  await crowd.close();
});

const fields = (username: string) => ({
  username,
  email: `${username}@example.com`,
  displayName: `${username} Person`,
  givenName: 'Given',
  surname: 'Sur',
});
const ref = (username: string) => ({ externalId: `entra-${username}`, username });

describe('CrowdTarget: users', () => {
  it('reads every user with all of Crowd’s fields, in pages until a short one', async () => {
    const users = await collect(rig.target.readUsers({ pageSize: 2 }));
    expect(users.map((u) => u.username).sort()).toEqual(['admin', 'Anna.Berg', 'carol.ldap', 'jsmith', 'old.timer'].sort());
    expect(users.find((u) => u.username === 'Anna.Berg')).toMatchObject({
      key: 'anna.berg',
      givenName: 'Anna',
      surname: 'Berg',
      displayName: 'Anna Berg',
      email: 'anna.berg@example.com',
      active: true,
    });
    expect(users.find((u) => u.username === 'old.timer')?.active).toBe(false);
  });

  it('creates a user with every field and a password nobody sees; a replay is a match, not a second account', async () => {
    expect(await rig.target.createUser('entra-1', fields('new.person'), true)).toBe('applied');
    expect(crowd.control.user('new.person')).toMatchObject({
      firstName: 'Given',
      lastName: 'Sur',
      displayName: 'new.person Person',
      email: 'new.person@example.com',
      active: true,
      directory: 'Crowd Internal Directory',
    });
    expect(rig.links.user('entra-1')).toMatchObject({ key: 'new.person', origin: 'created' });
    expect(await rig.target.createUser('entra-1', fields('new.person'), true)).toBe('unchanged');
    // Unlinked, in another case: Crowd refuses the same name in any case, and that refusal is a match.
    expect(await rig.target.createUser('entra-2', { ...fields('new.person'), username: 'NEW.PERSON' }, true)).toBe('unchanged');
    expect(rig.links.user('entra-2')).toMatchObject({ key: 'new.person', origin: 'matched' });
    expect(crowd.control.users().filter((u) => u.name.toLowerCase() === 'new.person')).toHaveLength(1);
  });

  it('changes one field and keeps every other: the PUT carries all the fields it read (Crowd blanks the rest)', async () => {
    expect(await rig.target.updateUser(ref('Anna.Berg'), { displayName: 'Anna B.' })).toBe('applied');
    expect(crowd.control.user('anna.berg')).toMatchObject({
      displayName: 'Anna B.',
      firstName: 'Anna',
      lastName: 'Berg',
      email: 'anna.berg@example.com',
      active: true,
    });
    expect(await rig.target.updateUser(ref('Anna.Berg'), { displayName: 'Anna B.' })).toBe('unchanged');
  });

  it('deactivates and reactivates with active:false / true, keeping the names and e-mail', async () => {
    expect(await rig.target.setUserActive(ref('jsmith'), false)).toBe('applied');
    expect(crowd.control.user('jsmith')).toMatchObject({
      active: false,
      firstName: 'John',
      lastName: 'Smith',
      email: 'john.smith@example.com',
    });
    expect(await rig.target.setUserActive(ref('jsmith'), false)).toBe('unchanged');
    expect(await rig.target.setUserActive(ref('jsmith'), true)).toBe('applied');
    expect(crowd.control.user('jsmith')).toMatchObject({ active: true, displayName: 'John Smith' });
  });

  it('deletes a user; deleting it again is unchanged', async () => {
    expect(await rig.target.deleteUser(ref('jsmith'))).toBe('applied');
    expect(crowd.control.user('jsmith')).toBeUndefined();
    expect(await rig.target.deleteUser(ref('jsmith'))).toBe('unchanged');
  });

  it('says a read-only-directory user cannot be changed here, whichever refusal Crowd gives', async () => {
    for (const kind of ['permission', 'operation-failed'] as const) {
      crowd.control.setReadOnlyRefusal(kind);
      const error = await rig.target.updateUser(ref('carol.ldap'), { displayName: 'X' }).catch((e: unknown) => e);
      expect(error, kind).toBeInstanceOf(RemoteTargetError);
      expect((error as RemoteTargetError).reason, kind).toBe('read-only-directory');
      expect((error as RemoteTargetError).message).toMatch(/read-only LDAP directory/);
    }
    expect(crowd.control.user('carol.ldap')?.displayName).toBe('Carol (LDAP)');
  });

  it('stops at the licence limit with a clear error; the password never appears in it', async () => {
    crowd.control.setUserLimit(crowd.control.users().filter((u) => u.active).length);
    const error = (await rig.target
      .createUser('entra-9', fields('over.limit'), true)
      .catch((e: unknown) => e)) as RemoteTargetError;
    expect(error.reason).toBe('user-limit');
    expect(error.message).toMatch(/licensed-user limit/);
    expect(error.message).not.toContain(crowd.info.applicationPassword);
  });
});

describe('CrowdTarget: groups and memberships', () => {
  it('creates a group (description kept), adds and removes direct members, each write idempotent', async () => {
    expect(await rig.target.createGroup('g-1', { name: 'Engineering', description: 'Builders' })).toBe('applied');
    expect(await rig.target.createGroup('g-1', { name: 'engineering', description: 'Builders' })).toBe('unchanged');
    expect(crowd.control.groups().find((g) => g.name === 'Engineering')).toMatchObject({ description: 'Builders' });
    const group = { externalId: 'g-1', name: 'Engineering' };
    expect(await rig.target.addMember(group, ref('jsmith'))).toBe('applied');
    expect(await rig.target.addMember(group, ref('jsmith'))).toBe('unchanged');
    expect(await rig.target.removeMember(group, ref('jsmith'))).toBe('applied');
    expect(await rig.target.removeMember(group, ref('jsmith'))).toBe('unchanged');
    expect(await rig.target.updateGroup(group, { description: 'Makers' })).toBe('applied');
    expect(crowd.control.groups().find((g) => g.name === 'Engineering')?.description).toBe('Makers');
    expect(await rig.target.deleteGroup(group)).toBe('applied');
    expect(await rig.target.deleteGroup(group)).toBe('unchanged');
  });

  it('reads direct user members only and leaves child groups (nested groups) as they are', async () => {
    crowd.control.addGroup('Nested Team');
    crowd.control.addUser({ name: 'nested.only', email: 'nested@example.com' });
    crowd.control.addMember('Nested Team', 'nested.only');
    crowd.control.addChildGroup('crowd-users', 'Nested Team');
    const members = await collect(rig.target.readMemberships());
    expect(members).toEqual([
      { groupKey: 'crowd-users', userKeys: expect.arrayContaining(['jsmith', 'carol.ldap']) as string[] },
    ]);
    expect(members[0]!.userKeys).not.toContain('nested.only');
    expect(await rig.target.removeMember({ externalId: 'g', name: 'crowd-users' }, ref('jsmith'))).toBe('applied');
    expect(crowd.control.groups().find((g) => g.name === 'crowd-users')?.children).toEqual(['Nested Team']);
  });

  it('explains a refused address and a wrong password without the password in the message', async () => {
    crowd.control.setAllowedAddresses(['10.1.2.3']);
    const refused = (await rig.target.setUserActive(ref('jsmith'), false).catch((e: unknown) => e)) as RemoteTargetError;
    expect(refused.message).toMatch(/Applications → entra-sync → Remote addresses/);
    crowd.control.setAllowedAddresses(null);
    const wrong = crowdRig(crowd, undefined, { password: 'wrong-password' });
    try {
      const error = (await wrong.target.setUserActive(ref('jsmith'), false).catch((e: unknown) => e)) as RemoteTargetError;
      expect(error.reason).toBe('token-rejected');
      expect(error.message).not.toContain('wrong-password');
    } finally {
      await wrong.close();
    }
  });
});
