import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { connectToEmulator } from '../sync/test-support';
import type { GraphConnection } from './graph-client';
import type { HttpTransport } from '../http/transport';
import {
  DeltaExpiredError,
  GraphReadError,
  readDirectoryDelta,
  readDirectoryFull,
  readDirectoryNaive,
  userFieldsFor,
  type DirectoryReadOptions,
} from './directory-reader';

/** The reader against the demo tenant over real HTTPS, msal-node and the Graph client. */
describe('directory reader', () => {
  let emulator: RunningEmulator;
  let connection: GraphConnection;
  let transport: HttpTransport;
  let options: DirectoryReadOptions;

  beforeAll(async () => {
    // 1,200 users: "All Employees" holds more than 1,000 members, so its members@delta spans several pages.
    emulator = await startEmulator({ users: 1200, groups: 30, seed: 4 });
    ({ connection, transport } = connectToEmulator(emulator));
    options = { client: connection.client, userFields: userFieldsFor(defaultSyncPolicy().mapping), backoffMs: 20 };
  });
  afterAll(async () => {
    connection.close();
    await transport.close();
    await emulator.close();
  });

  /** Users and groups and the user/group members of each group, as the tenant has them. */
  function truth() {
    const c = emulator.control;
    const ids = new Set(c.userIds());
    const groups = c.groups();
    const groupIds = new Set(groups.map((g) => g.id));
    return {
      users: ids,
      members: new Map(
        groups.map((g) => [g.id, (c.getGroup(g.id)!.members as string[]).filter((m) => ids.has(m) || groupIds.has(m)).sort()]),
      ),
    };
  }
  const sorted = (members: ReadonlyMap<string, readonly string[]>) =>
    new Map([...members].map(([g, m]) => [g, [...new Set(m)].sort()]));

  it('reads every user, group and direct member in few requests, without devices, contacts or service principals', async () => {
    const result = await readDirectoryFull(options);
    const expected = truth();
    expect(new Set(result.source.users.keys())).toEqual(expected.users);
    expect(sorted(result.source.members)).toEqual(expected.members);
    const big = emulator.control.groups().find((g) => g.displayName === 'All Employees')!;
    expect(result.source.members.get(big.id)!.length).toBeGreaterThan(1000);
    const mixed = emulator.control.groups().find((g) => g.memberKinds.includes('device'))!;
    expect(result.source.members.get(mixed.id)!.length).toBeLessThan(mixed.memberCount);
    expect(result.deltaLinks).not.toBeNull();
    // users: 2 pages of 999; groups delta: a handful of pages; plus the users delta link.
    expect(result.requests).toBeLessThan(15);
    const guest = [...result.source.users.values()].find((u) => u.userType === 'Guest')!;
    expect(guest.upn).toContain('#EXT#');
    expect(Object.keys(guest).sort()).toEqual(
      [
        'accountEnabled',
        'displayName',
        'givenName',
        'id',
        'mail',
        'mailNickname',
        'onPremisesSamAccountName',
        'surname',
        'upn',
        'userType',
      ].sort(),
    );
  });

  it('selects only the properties the mapping uses', () => {
    expect(userFieldsFor(defaultSyncPolicy().mapping)).not.toContain('mailNickname');
    expect(userFieldsFor({ ...defaultSyncPolicy().mapping, username: 'mailNickname' })).toContain('mailNickname');
    expect(userFieldsFor({ ...defaultSyncPolicy().mapping, username: 'onPremisesSamAccountName' })).toContain(
      'onPremisesSamAccountName',
    );
  });

  it('merges delta rounds: changed, added and removed users, groups and members', async () => {
    const full = await readDirectoryFull(options);
    const c = emulator.control;
    const [a, b] = c.userIds();
    const group = c.groups()[3]!;
    const added = c.addUser({ userPrincipalName: 'delta.added@demo-tenant.onmicrosoft.com', displayName: 'Added' });
    c.updateUser(a!, { displayName: 'Delta Changed' });
    c.deleteUser(b!);
    c.addMember(group.id, String(added.id));
    const removedGroup = c.addGroup({ displayName: 'Short-lived', members: [a!] });
    const delta1 = await readDirectoryDelta(full.source, full.deltaLinks!, options);
    c.deleteGroup(String(removedGroup.id));
    const delta2 = await readDirectoryDelta(full.source, delta1.deltaLinks, options);
    expect(delta1.requests + delta2.requests).toBeLessThanOrEqual(6);
    expect(full.source.users.get(a!)!.displayName).toBe('Delta Changed');
    expect(full.source.users.has(b!)).toBe(false);
    expect(delta2.removedGroups.has(String(removedGroup.id))).toBe(true);
    expect(sorted(full.source.members)).toEqual(truth().members);
  });

  it('reports an expired delta token as DeltaExpiredError, so the caller reads everything again', async () => {
    const full = await readDirectoryFull(options);
    emulator.control.expireDeltaTokens({ code: 'resyncRequired' });
    await expect(readDirectoryDelta(full.source, full.deltaLinks!, options)).rejects.toBeInstanceOf(DeltaExpiredError);
  });

  it('retries throttling and resets, and fails the whole read when Graph keeps failing', async () => {
    const c = emulator.control;
    c.setFaults({ atRequest: { 1: '429', 2: 'reset', 3: '503' }, retryAfterSeconds: 0 });
    const result = await readDirectoryFull(options);
    c.clearFaults();
    expect(result.retries).toBe(3);
    expect(new Set(result.source.users.keys())).toEqual(truth().users);

    c.setFaults({ rate503: 1, retryAfterSeconds: 0 });
    const failing = readDirectoryFull({ ...options, maxAttempts: 2 });
    await expect(failing).rejects.toBeInstanceOf(GraphReadError);
    await expect(failing).rejects.toMatchObject({ code: 'graph-read-failed' });
    c.clearFaults();
  });

  it('reads the same directory the naive way, with many more requests', async () => {
    const efficient = await readDirectoryFull(options);
    const naive = await readDirectoryNaive(options);
    expect(sorted(naive.source.members)).toEqual(sorted(efficient.source.members));
    expect(naive.requests).toBeGreaterThan(efficient.requests * 3);
  });
});
