import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncPolicy } from '../../../shared/sync';
import { createLocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine, type SyncEngine } from './engine';
import { bumpGeneration } from './state-cache';
import { directorySnapshot, policyWith, startSyncFixture, type SyncFixture } from './test-support';

/**
 * Scope, mapping, cleanup and the safety brake, against one demo tenant shaped by the control API: each test syncs
 * into a fresh database so tests do not depend on each other's directory.
 */
describe('sync policies against the demo tenant', () => {
  let f: SyncFixture;
  let db: SqliteDatabase;
  let engine: SyncEngine;
  let n = 0;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    f = await startSyncFixture({ users: 40, groups: 6, seed: 11 });
    const c = f.emulator.control;
    const add = (key: string, upn: string, extra: Record<string, unknown> = {}) =>
      (ids[key] = String(c.addUser({ userPrincipalName: upn, displayName: key, ...extra }).id));
    add('deep', 'deep.user@demo-tenant.onmicrosoft.com', { mail: 'deep@mail.example' });
    add('direct', 'direct.user@demo-tenant.onmicrosoft.com', {
      mail: null,
      mailNickname: 'directnick',
      onPremisesSamAccountName: 'DIRECT',
    });
    add('guest', 'pat_partner.example#EXT#@demo-tenant.onmicrosoft.com', { userType: 'Guest', mail: 'pat@partner.example' });
    add('off', 'off.user@demo-tenant.onmicrosoft.com', { accountEnabled: false });
    add('twinA', 'twin@alpha.example');
    add('twinB', 'twin@beta.example');
    const device = (c.getGroup(c.groups().find((g) => g.memberKinds.includes('device'))!.id)!.members as string[]).find(
      (m) => !c.getUser(m) && !c.getGroup(m),
    )!;
    ids.inner = String(c.addGroup({ displayName: 'jira-inner', members: [ids.deep!, ids.guest!, ids.off!, device] }).id);
    ids.outer = String(c.addGroup({ displayName: 'jira-outer', members: [ids.direct!, ids.inner!, ids.twinA!, ids.twinB!] }).id);
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(() => {
    db = openDatabase(join(f.dir, `policy-${++n}.db`));
    engine = createSyncEngine({
      db,
      target: createLocalDirectory(db),
      source: f.source,
      hostKind: 'test',
      read: { backoffMs: 50 },
    });
    return () => {
      db.close();
      rmSync(join(f.dir, `policy-${n}.db`), { force: true });
    };
  });

  const sync = (policy: SyncPolicy, extra: { dryRun?: boolean; confirmRunId?: string } = {}) =>
    engine.run({ trigger: 'manual', policy, ...extra });
  const user = (key: string) =>
    db.prepare('SELECT username, email, active FROM dir_users WHERE external_id = ?').get(ids[key] ?? key) as
      { username: string; email: string | null; active: number } | undefined;
  const required = (extra: Partial<SyncPolicy['users']> = {}) =>
    policyWith({ users: { scope: 'requiredGroups', requiredGroupIds: [ids.outer!], ...extra } });

  it('syncs only direct and nested members of the required groups, without devices', async () => {
    const result = await sync(required());
    const synced = directorySnapshot(db).users.map((u) => (u as string[])[0]);
    expect(synced.sort()).toEqual([ids.deep, ids.direct, ids.guest, ids.off, ids.twinA, ids.twinB].sort());
    expect(result.plan!.scope.usersInScope).toBe(6);
    expect(user('off')!.active).toBe(0);
  });

  it('leaves guests and disabled accounts out when asked', async () => {
    await sync(required({ guests: 'exclude', disabledAccounts: 'exclude' }));
    expect(user('guest')).toBeUndefined();
    expect(user('off')).toBeUndefined();
    expect(user('deep')).toBeDefined();
  });

  it('syncs only the required groups, or groups matching a name pattern', async () => {
    await sync(
      policyWith({ users: { scope: 'requiredGroups', requiredGroupIds: [ids.outer!] }, groups: { scope: 'requiredGroups' } }),
    );
    expect(directorySnapshot(db).groups.map((g) => (g as string[])[1])).toEqual(['jira-outer']);
    const other = openDatabase(join(f.dir, `pattern-${n}.db`));
    const byPattern = createSyncEngine({ db: other, target: createLocalDirectory(other), source: f.source, hostKind: 'test' });
    await byPattern.run({ trigger: 'manual', policy: policyWith({ groups: { scope: 'namePattern', namePattern: 'JIRA-*' } }) });
    expect(
      directorySnapshot(other)
        .groups.map((g) => (g as string[])[1])
        .sort(),
    ).toEqual(['jira-inner', 'jira-outer']);
    other.close();
  });

  it('maps usernames from each source and reports two users landing on one name, syncing neither', async () => {
    const local = await sync(required({}), {});
    expect(user('direct')!.username).toBe('direct.user@demo-tenant.onmicrosoft.com');
    expect(local.plan!.conflicts).toEqual([]);
    db.exec('DELETE FROM dir_users');
    // Writes behind the engine's back must say so, or its warm state would still hold the deleted users.
    bumpGeneration(db);

    const byLocalPart = await sync(policyWith({ ...required(), mapping: { username: 'upnLocalPart' } }));
    expect(byLocalPart.plan!.conflicts).toMatchObject([
      { code: 'username-conflict', name: 'twin', externalIds: [ids.twinA, ids.twinB] },
    ]);
    expect(user('twinA')).toBeUndefined();
    expect(user('twinB')).toBeUndefined();
    expect(user('deep')!.username).toBe('deep.user');

    const other = openDatabase(join(f.dir, `map-${n}.db`));
    const e = createSyncEngine({ db: other, target: createLocalDirectory(other), source: f.source, hostKind: 'test' });
    const bySam = await e.run({
      trigger: 'manual',
      policy: policyWith({ ...required(), mapping: { username: 'onPremisesSamAccountName', lowercaseUsername: false } }),
    });
    expect(other.prepare('SELECT username FROM dir_users').pluck().all() as string[]).toEqual(['DIRECT']);
    expect(bySam.plan!.conflicts.filter((c) => c.code === 'username-missing')).toHaveLength(5);
    const byNick = await e.run({
      trigger: 'manual',
      policy: policyWith({ ...required(), mapping: { username: 'mailNickname', email: 'mail', emailFallback: 'none' } }),
    });
    expect(byNick.run.mode).toBe('full');
    expect(byNick.run.notes.join(' ')).toContain('mapping changed');
    expect(other.prepare('SELECT username, email FROM dir_users WHERE external_id = ?').get(ids.direct)).toMatchObject({
      username: 'directnick',
      email: null,
    });
    other.close();
  });

  it('falls back from mail to the UPN for e-mail, but never to a guest UPN', async () => {
    await sync(required());
    expect(user('direct')!.email).toBe('direct.user@demo-tenant.onmicrosoft.com');
    expect(user('deep')!.email).toBe('deep@mail.example');
    expect(user('guest')!.email).toBe('pat@partner.example');
  });

  it.each([
    ['disable', { username: 'deep.user@demo-tenant.onmicrosoft.com', active: 0 }],
    ['delete', undefined],
    ['keep', { username: 'deep.user@demo-tenant.onmicrosoft.com', active: 1 }],
  ] as const)('applies the leaver policy "%s" to a user who leaves the required groups', async (leavers, expected) => {
    const policy = policyWith({
      users: { scope: 'requiredGroups', requiredGroupIds: [ids.outer!] },
      cleanup: { leavers },
      safety: { maxShare: null, maxCount: null },
    });
    await sync(policy);
    const c = f.emulator.control;
    c.removeMember(ids.inner!, ids.deep!);
    try {
      const result = await sync(policy);
      expect(result.plan!.items.find((i) => 'externalId' in i && i.externalId === ids.deep)?.reason.code ?? 'none').toBe(
        leavers === 'keep' ? 'none' : 'left-scope',
      );
      expect(user('deep') === undefined ? undefined : { username: user('deep')!.username, active: user('deep')!.active }).toEqual(
        expected,
      );
    } finally {
      c.addMember(ids.inner!, ids.deep!);
    }
  });

  it.each([
    ['delete', []],
    ['keep', ['jira-inner']],
  ] as const)('applies the vanished-group policy "%s"', async (vanishedGroups, expected) => {
    // Deleting the one synced group is 100% of them: the brake's group limits are off here (the brake has its own test).
    const base = {
      groups: { scope: 'namePattern' as const, namePattern: 'jira-inner' },
      cleanup: { vanishedGroups },
      safety: { maxGroupShare: null, maxGroupCount: null },
    };
    await sync(policyWith(base));
    expect(directorySnapshot(db).groups).toHaveLength(1);
    // The group leaves the group scope (Entra keeps it): same cleanup as a deleted group.
    const result = await sync(policyWith({ ...base, groups: { scope: 'namePattern', namePattern: 'nothing-matches' } }));
    expect(directorySnapshot(db).groups.map((g) => (g as string[])[1])).toEqual(expected);
    expect(result.plan!.counts['delete-group']).toBe(vanishedGroups === 'delete' ? 1 : 0);
  });

  it('holds a plan that would disable too many users until the admin confirms it once', async () => {
    const all = policyWith({});
    await sync(all);
    const active = () => directorySnapshot(db).users.filter((u) => (u as number[])[6] === 1).length;
    const activeBefore = active();
    const narrowed = required();
    const blocked = await sync(narrowed);
    expect(blocked.run.status).toBe('blocked');
    expect(blocked.guard).toMatchObject({ allowed: false, code: 'threshold-exceeded' });
    expect(blocked.run.notes.join(' ')).toMatch(/safety limit/);
    expect(active()).toBe(activeBefore);

    const confirmed = await sync(narrowed, { confirmRunId: blocked.run.id });
    expect(confirmed.run.status).toBe('succeeded');
    expect(confirmed.run.applied['disable-user']).toBe(blocked.plan!.counts['disable-user']);
    expect(active()).toBe(activeBefore - blocked.plan!.counts['disable-user']);
    expect(engine.history.getRun(blocked.run.id)!.confirmedByRunId).toBe(confirmed.run.id);
    const again = await sync(narrowed, { confirmRunId: blocked.run.id });
    expect(again.run).toMatchObject({ status: 'failed', error: { code: 'confirmation-invalid' } });
  });

  it('holds a group-name pattern typo with a narrowed user scope; one confirmation applies both kinds of removal', async () => {
    await sync(policyWith({ groups: { scope: 'namePattern', namePattern: 'jira-*' } }));
    expect(directorySnapshot(db).groups).toHaveLength(2);
    const activeBefore = directorySnapshot(db).users.filter((u) => (u as number[])[6] === 1).length;
    const typo = policyWith({
      users: { scope: 'requiredGroups', requiredGroupIds: [ids.outer!] },
      groups: { scope: 'namePattern', namePattern: 'jria-*' },
    });
    const held = await sync(typo);
    expect(held.run.status).toBe('blocked');
    expect(held.plan!.counts['delete-group']).toBe(2);
    expect(held.plan!.counts['disable-user']).toBeGreaterThan(0);
    expect(held.guard).toMatchObject({ allowed: false, code: 'threshold-exceeded' });
    if (held.guard?.allowed === false) expect(held.guard.crossed.map((c) => c.subject)).toContain('groups');
    expect(held.run.notes.join(' ')).toContain('groups deleted: 100% of synced groups, more than the limit of 10%');
    expect(directorySnapshot(db).groups).toHaveLength(2);

    const confirmed = await sync(typo, { confirmRunId: held.run.id });
    expect(confirmed.run.status).toBe('succeeded');
    expect(confirmed.run.applied['delete-group']).toBe(2);
    expect(confirmed.run.applied['disable-user']).toBe(held.plan!.counts['disable-user']);
    expect(directorySnapshot(db).groups).toHaveLength(0);
    expect(directorySnapshot(db).users.filter((u) => (u as number[])[6] === 1).length).toBe(
      activeBefore - held.plan!.counts['disable-user'],
    );
  });
});
