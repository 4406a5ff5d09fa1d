import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScimmyServer, type RunningScimmyServer } from '../../../emulator/scim/scimmy-server';
import { collect, scimRig, type ScimTestRig } from './test-support';
import { eqFilter, scimString } from './scim-resources';

/**
 * The SCIM target against a real SCIM 2.0 implementation (scimmy + scimmy-routers over HTTPS): each write as the
 * service stores it, the 409 `uniqueness` answer turned into a match, filters escaped as RFC 7644 says, and paging
 * across pages. Each test gets a fresh server.
 */

let server: RunningScimmyServer;
let rig: ScimTestRig;

beforeEach(async () => {
  server = await startScimmyServer({ maxResults: 7 });
  rig = await scimRig(server);
});
afterEach(async () => {
  await rig.close();
  await server.close();
});

const fields = (username: string, extra: Partial<{ email: string; displayName: string }> = {}) => ({
  username,
  email: extra.email ?? `${username.replace(/[^a-z0-9.]/gi, '')}@x.example`,
  displayName: extra.displayName ?? `Name ${username}`,
  givenName: 'Given',
  surname: 'Family',
});
const stored = (userName: string) => [...server.store.users.values()].find((u) => u.userName === userName);

describe('SCIM target against the scimmy server', () => {
  it('reads the service config: PATCH, filter with its page cap, bulk', () => {
    expect(rig.target.serviceConfig).toMatchObject({ patch: true, filter: true, maxResults: 7, bulk: true });
    expect(rig.target.serviceConfig.authenticationSchemes).toEqual(['oauthbearertoken']);
  });

  it('creates with externalId = the Entra id, updates by PATCH, deactivates, reactivates and deletes', async () => {
    expect(await rig.target.createUser('entra-1', fields('anna'), true)).toBe('applied');
    const id = rig.links.user('entra-1')!.key;
    expect(server.store.users.get(id)).toMatchObject({
      externalId: 'entra-1',
      userName: 'anna',
      displayName: 'Name anna',
      name: { givenName: 'Given', familyName: 'Family' },
      emails: [{ value: 'anna@x.example', primary: true }],
      active: true,
    });
    const before = server.requests['PATCH /Users/{id}'] ?? 0;
    const ref = { externalId: 'entra-1', username: 'anna' };
    expect(await rig.target.updateUser(ref, { displayName: 'Anna B' })).toBe('applied');
    expect(server.requests['PATCH /Users/{id}']).toBe(before + 1);
    expect(server.requests['PUT /Users/{id}']).toBeUndefined();
    expect(server.store.users.get(id)).toMatchObject({ displayName: 'Anna B', name: { givenName: 'Given' } });
    expect(await rig.target.updateUser(ref, { displayName: 'Anna B' })).toBe('unchanged');
    expect(await rig.target.setUserActive(ref, false)).toBe('applied');
    expect(server.store.users.get(id)?.active).toBe(false);
    expect(await rig.target.setUserActive(ref, false)).toBe('unchanged');
    expect(await rig.target.setUserActive(ref, true)).toBe('applied');
    expect(server.store.users.get(id)?.active).toBe(true);
    expect(await rig.target.deleteUser(ref)).toBe('applied');
    expect(server.store.users.has(id)).toBe(false);
    expect(await rig.target.deleteUser(ref)).toBe('unchanged');
  });

  it('maps a 409 uniqueness to a match of the existing account, and to a conflict when another Entra user owns it', async () => {
    await rig.target.createUser('entra-1', fields('bob'), true);
    const id = rig.links.user('entra-1')!.key;
    rig.links.unlinkUser('entra-1');
    // A replay without the link: the 409 is read back by filter and is the same account.
    expect(await rig.target.createUser('entra-1', fields('bob', { displayName: 'Bob New' }), true)).toBe('applied');
    expect(rig.links.user('entra-1')).toMatchObject({ key: id, origin: 'matched' });
    expect(server.store.users.size).toBe(1);
    expect(server.store.users.get(id)?.displayName).toBe('Bob New');
    const error = await rig.target.createUser('entra-2', fields('BOB'), true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', reason: 'duplicate' });
    expect(String((error as Error).message)).toContain('another Entra user owns');
    expect(server.store.users.size).toBe(1);
  });

  it('finds a userName with quotes and backslashes by an RFC 7644 escaped filter', async () => {
    const odd = 'o"brien\\x "q"';
    expect(scimString(odd)).toBe('"o\\"brien\\\\x \\"q\\""');
    expect(eqFilter('userName', 'a"b')).toBe('userName eq "a\\"b"');
    await rig.target.createUser('entra-odd', fields(odd), true);
    rig.links.unlinkUser('entra-odd');
    // Unlinked: the update has to find the account by `userName eq "…"`.
    expect(await rig.target.updateUser({ externalId: 'entra-odd', username: odd }, { displayName: 'Found' })).toBe('applied');
    expect(stored(odd)?.displayName).toBe('Found');
    // And a second create of the same name is a match, not a conflict.
    expect(await rig.target.createUser('entra-odd', fields(odd, { displayName: 'Found' }), true)).toBe('unchanged');
    expect(server.store.users.size).toBe(1);
  });

  it('creates and deletes groups, adds and removes members with PATCH operations, never a member-list replace', async () => {
    for (const n of [1, 2, 3]) await rig.target.createUser(`e${n}`, fields(`user${n}`), true);
    expect(await rig.target.createGroup('g-1', { name: 'Team', description: null })).toBe('applied');
    const gid = rig.links.group('g-1')!.key;
    expect(server.store.groups.get(gid)).toMatchObject({ displayName: 'Team', externalId: 'g-1', members: [] });
    const group = { externalId: 'g-1', name: 'Team' };
    for (const n of [1, 2, 3])
      expect(await rig.target.addMember(group, { externalId: `e${n}`, username: `user${n}` })).toBe('applied');
    // Adding again is harmless: no duplicate member.
    await rig.target.addMember(group, { externalId: 'e1', username: 'user1' });
    expect(
      server.store.groups
        .get(gid)!
        .members!.map((m) => m.value)
        .sort(),
    ).toEqual(['e1', 'e2', 'e3'].map((e) => rig.links.user(e)!.key).sort());
    expect(await rig.target.removeMember(group, { externalId: 'e2', username: 'user2' })).toBe('applied');
    expect(server.store.groups.get(gid)!.members!.map((m) => m.value)).not.toContain(rig.links.user('e2')!.key);
    expect(server.requests['PUT /Groups/{id}']).toBeUndefined();
    expect(await rig.target.createGroup('g-1', { name: 'Team', description: null })).toBe('unchanged');
    rig.links.unlinkGroup('g-1');
    expect(await rig.target.createGroup('g-1', { name: 'Team', description: null })).toBe('unchanged');
    expect(rig.links.group('g-1')).toMatchObject({ key: gid, origin: 'matched' });
    expect(await rig.target.deleteGroup(group)).toBe('applied');
    expect(server.store.groups.size).toBe(0);
    expect(await rig.target.deleteGroup(group)).toBe('unchanged');
  });

  it('pages with startIndex and count across pages the service caps (7 per page)', async () => {
    for (let n = 0; n < 23; n++) await rig.target.createUser(`p${n}`, fields(`page${n}`), true);
    server.requests['GET /Users'] = 0;
    const users = await collect(rig.target.readUsers({ pageSize: 50 }));
    expect(users).toHaveLength(23);
    expect(new Set(users.map((u) => u.key)).size).toBe(23);
    expect(server.requests['GET /Users']).toBe(4);
    expect(users.find((u) => u.username === 'page5')).toMatchObject({ externalId: 'p5', active: true, givenName: 'Given' });
  });
});
