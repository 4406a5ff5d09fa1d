import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncProgressEvent, type UserFields } from '../../../shared/sync';
import { TargetError } from '../targets/directory-target';
import { createDirectoryBrowser } from '../targets/local/directory-browser';
import { createSyncEngine } from './engine';
import { acquireRunLock } from './run-lock';
import { directorySnapshot, startSyncFixture, type SyncFixture } from './test-support';
import { systemClock } from '../ports';

/** Users, groups and user memberships of the emulated tenant, straight from its control API. */
function tenantTruth(f: SyncFixture) {
  const c = f.emulator.control;
  const userIds = new Set(c.userIds());
  const groups = c
    .groups()
    .map((g) => ({ ...g, members: (c.getGroup(g.id)!.members as string[]).filter((m) => userIds.has(m)) }));
  return { userIds, groups };
}

describe('sync engine against the demo tenant', () => {
  let f: SyncFixture;
  beforeEach(async () => {
    f = await startSyncFixture({ users: 60, groups: 12, seed: 7 });
  });
  afterEach(async () => {
    await f.close();
  });

  it('mirrors users, groups and user memberships; devices, contacts, service principals and nested groups are not members', async () => {
    const events: SyncProgressEvent[] = [];
    const result = await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy(), onProgress: (e) => events.push(e) });
    expect(result.run).toMatchObject({ status: 'succeeded', mode: 'full', failedItems: 0 });
    const truth = tenantTruth(f);
    const snapshot = directorySnapshot(f.db);
    expect(snapshot.users.map((u) => (u as unknown[])[0]).sort()).toEqual([...truth.userIds].sort());

    // Duplicate display names ("Marketing" twice) are a conflict: reported, neither synced.
    const names = truth.groups.map((g) => g.displayName.toLowerCase());
    const unique = truth.groups.filter((g) => names.filter((n) => n === g.displayName.toLowerCase()).length === 1);
    expect(result.plan!.conflicts.filter((c) => c.code === 'group-name-conflict')).toHaveLength(
      truth.groups.length - unique.length === 0 ? 0 : 1,
    );
    expect(snapshot.groups).toHaveLength(unique.length);
    expect(snapshot.members).toEqual(unique.flatMap((g) => g.members.map((u) => `${g.id}:${u}`)).sort());
    const mixed = truth.groups.find((g) => g.memberKinds.includes('device'));
    expect(mixed, 'the dataset has a group with a device member').toBeDefined();

    // Guests are synced by default, disabled accounts as inactive users.
    const guest = f.emulator.control
      .userIds()
      .map((id) => f.emulator.control.getUser(id)!)
      .find((u) => u.userType === 'Guest')!;
    const disabled = f.emulator.control
      .userIds()
      .map((id) => f.emulator.control.getUser(id)!)
      .find((u) => u.accountEnabled === false)!;
    const row = (id: unknown) =>
      f.db.prepare('SELECT username, email, active FROM dir_users WHERE external_id = ?').get(id) as {
        username: string;
        email: string | null;
        active: number;
      };
    expect(row(guest.id)).toMatchObject({
      username: String(guest.userPrincipalName).toLowerCase(),
      email: guest.mail,
      active: 1,
    });
    expect(row(disabled.id).active).toBe(0);

    expect(events[0]?.phase).toBe('starting');
    expect(events.map((e) => e.phase)).toEqual(
      expect.arrayContaining(['reading-source', 'reading-target', 'planning', 'applying', 'finishing']),
    );
    const applying = events.filter((e) => e.phase === 'applying').at(-1)!;
    expect(applying.done).toBe(applying.total);
  });

  it('runs delta next time and picks up added, changed and removed users, groups and memberships', async () => {
    const policy = defaultSyncPolicy();
    await f.engine.run({ trigger: 'manual', policy });
    const quiet = await f.engine.run({ trigger: 'scheduled', policy });
    expect(quiet.run).toMatchObject({ mode: 'delta', status: 'succeeded' });
    expect(quiet.plan!.items).toEqual([]);

    const c = f.emulator.control;
    const [a, b] = c.userIds();
    const leaver = c.userIds().find((id, i) => i > 3 && c.getUser(id)!.accountEnabled === true)!;
    const group = c.groups().find((g) => g.displayName === 'Finance 1')!;
    const added = c.addUser({
      userPrincipalName: 'new.person@demo-tenant.onmicrosoft.com',
      displayName: 'New Person',
      mail: 'new.person@demo-tenant.onmicrosoft.com',
    });
    c.updateUser(a!, { displayName: 'Renamed Person', userPrincipalName: 'renamed.person@demo-tenant.onmicrosoft.com' });
    c.deleteUser(leaver!);
    c.addMember(group.id, String(added.id));
    const firstMember = (c.getGroup(group.id)!.members as string[])[0]!;
    c.removeMember(group.id, firstMember);
    const newGroup = c.addGroup({ displayName: 'Jira Admins', description: 'made in the test', members: [b!] });
    c.updateGroup(group.id, { displayName: 'Finance One' });

    const result = await f.engine.run({ trigger: 'scheduled', policy });
    expect(result.run).toMatchObject({ mode: 'delta', status: 'succeeded' });
    expect(result.plan!.counts).toMatchObject({
      'create-user': 1,
      'update-user': 1,
      'disable-user': 1,
      'create-group': 1,
      'update-group': 1,
      'add-member': 2,
      'remove-member': 1,
    });
    const user = f.db.prepare('SELECT username, display_name FROM dir_users WHERE external_id = ?').get(a) as {
      username: string;
      display_name: string;
    };
    expect(user).toMatchObject({ username: 'renamed.person@demo-tenant.onmicrosoft.com', display_name: 'Renamed Person' });
    expect((f.db.prepare('SELECT active FROM dir_users WHERE external_id = ?').get(leaver) as { active: number }).active).toBe(0);
    const members = directorySnapshot(f.db).members;
    expect(members).toContain(`${group.id}:${added.id}`);
    expect(members).toContain(`${newGroup.id}:${b}`);
    expect(members.filter((m) => m === `${group.id}:${firstMember}`)).toEqual([]);
    // Delta asks Graph for changes only: a handful of requests, not a re-read.
    expect(result.run.graphRequests).toBeLessThanOrEqual(4);

    // The incrementally saved snapshot plans the same as a full re-read.
    const full = await f.engine.run({ trigger: 'manual', policy, full: true });
    expect(full.run.mode).toBe('full');
    expect(full.plan!.items).toEqual([]);
  });

  it('keeps state warm between runs of one engine, but not across a run by another engine on the same database', async () => {
    const policy = defaultSyncPolicy();
    await f.engine.run({ trigger: 'manual', policy });
    const c = f.emulator.control;
    const other = createSyncEngine({ db: f.db, target: f.target, source: f.source, hostKind: 'terminal', cache: false });
    c.addUser({ userPrincipalName: 'from.other@demo-tenant.onmicrosoft.com' });
    c.updateUser(c.userIds()[7]!, { displayName: 'Changed by the other host' });
    expect((await other.run({ trigger: 'terminal', policy })).plan!.counts).toMatchObject({ 'create-user': 1, 'update-user': 1 });
    // The first engine's warm state predates that run: it must reload, see nothing left to do, and not replay it.
    const again = await f.engine.run({ trigger: 'scheduled', policy });
    expect(again.run).toMatchObject({ mode: 'delta', status: 'succeeded' });
    expect(again.plan!.items).toEqual([]);
    c.updateUser(c.userIds()[8]!, { displayName: 'Changed again' });
    const warm = await f.engine.run({ trigger: 'scheduled', policy });
    expect(warm.plan!.counts['update-user']).toBe(1);
    expect((await f.engine.run({ trigger: 'scheduled', policy })).plan!.items).toEqual([]);
  });

  it('falls back to a full read when the delta token is expired or rejected, and says so', async () => {
    const policy = defaultSyncPolicy();
    await f.engine.run({ trigger: 'manual', policy });
    const c = f.emulator.control;
    const added = c.addUser({ userPrincipalName: 'late@demo-tenant.onmicrosoft.com' });
    c.expireDeltaTokens({ code: 'syncStateNotFound' });
    const result = await f.engine.run({ trigger: 'scheduled', policy });
    expect(result.run).toMatchObject({ mode: 'full', status: 'succeeded' });
    expect(result.run.notes.join(' ')).toMatch(/delta token .* rejected .*full read/i);
    expect(result.plan!.counts['create-user']).toBe(1);
    expect(directorySnapshot(f.db).users.map((u) => (u as unknown[])[0])).toContain(added.id);
    expect((await f.engine.run({ trigger: 'scheduled', policy })).run.mode).toBe('delta');
  });

  it('dry run reads, plans and guards but changes nothing; the plan is kept in history', async () => {
    const result = await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy(), dryRun: true });
    expect(result.run).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(f.target.counts()).toEqual({ users: 0, activeUsers: 0, groups: 0, memberships: 0 });
    const items = f.engine.history.listItems(result.run.id, { limit: 1000 });
    expect(items.total).toBe(result.plan!.items.length);
    expect(new Set(items.items.map((i) => i.outcome))).toEqual(new Set(['planned']));
    expect(result.run.applied['create-user']).toBe(0);
  });

  it('records every applied item with before/after, exports runs as CSV and JSON, prunes by retention', async () => {
    const first = await f.engine.run({ trigger: 'terminal', policy: defaultSyncPolicy() });
    const c = f.emulator.control;
    const id = c.userIds()[5]!;
    c.updateUser(id, { displayName: 'Zoë "Quoted", =cmd' });
    const second = await f.engine.run({ trigger: 'terminal', policy: defaultSyncPolicy() });
    const items = f.engine.history.listItems(second.run.id);
    expect(items.items).toMatchObject([
      { kind: 'update-user', outcome: 'applied', after: { displayName: 'Zoë "Quoted", =cmd' } },
    ]);
    expect(items.items[0]!.before).toHaveProperty('displayName');

    let csv = '';
    expect(await f.engine.history.exportRun(second.run.id, 'csv', (chunk) => void (csv += chunk))).toBe(1);
    expect(csv.split('\r\n')[0]).toBe('seq,kind,label,reason,outcome,errorCode,errorMessage,before,after,key');
    expect(csv).toContain('update-user');
    expect(csv).toContain('"{""displayName"":""Zoë \\""Quoted\\"", =cmd""}"');
    let json = '';
    await f.engine.history.exportRun(first.run.id, 'json', (chunk) => void (json += chunk));
    const parsed = JSON.parse(json) as { run: { id: string }; items: unknown[] };
    expect(parsed.run.id).toBe(first.run.id);
    expect(parsed.items).toHaveLength(first.plan!.items.length);

    expect(f.engine.history.listRuns().items.map((r) => r.trigger)).toEqual(['terminal', 'terminal']);
    expect(await f.engine.history.prune(3650)).toEqual({ runs: 0, items: 0 });
    const later = createSyncEngine({
      db: f.db,
      target: f.target,
      source: f.source,
      hostKind: 'test',
      clock: { ...systemClock, now: () => new Date(Date.now() + 40 * 86_400_000) },
    });
    expect(await later.history.prune(30)).toMatchObject({ runs: 2 });
    expect(later.history.listRuns().total).toBe(0);
  });

  it('never leaks the client secret into history, notes or exports', async () => {
    const result = await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    let json = '';
    await f.engine.history.exportRun(result.run.id, 'json', (chunk) => void (json += chunk));
    const dump =
      JSON.stringify(f.db.prepare('SELECT * FROM sync_runs').all()) +
      json +
      JSON.stringify(f.db.prepare('SELECT * FROM sync_source_state').all());
    expect(dump).not.toContain(f.emulator.info.clientSecret);
  });

  it('runs one sync at a time per database, across engines, and takes over a dead holder', async () => {
    const other = createSyncEngine({ db: f.db, target: f.target, source: f.source, hostKind: 'desktop' });
    const first = f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    await expect(f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() })).rejects.toMatchObject({
      code: 'already-running',
    });
    await expect(other.run({ trigger: 'manual', policy: defaultSyncPolicy() })).rejects.toMatchObject({
      code: 'locked-by-other-host',
    });
    await first;

    // A process that died holding the lock: its lock is taken over and its run reported as interrupted.
    f.engine.history.startRun({ id: 'dead-run', trigger: 'scheduled', mode: 'delta', dryRun: false, hostId: 'terminal' });
    const dead = acquireRunLock(
      f.db,
      { runId: 'dead-run', hostKind: 'terminal', machine: (await import('node:os')).hostname(), pid: 999_999 },
      { clock: systemClock, isProcessAlive: () => true },
    );
    expect(dead.ok).toBe(true);
    const after = await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    expect(after.run.status).toBe('succeeded');
    expect(f.engine.history.getRun('dead-run')).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
  });

  it('stops at the next batch when cancelled, keeps what was applied, and converges on the next run', async () => {
    const controller = new AbortController();
    let writes = 0;
    // The admin presses Cancel while the 40th write is under way.
    const watched = {
      ...f.target,
      applyBatch: undefined,
      createUser: async (externalId: string, fields: UserFields, active: boolean) => {
        if (++writes === 40) controller.abort();
        return f.target.createUser(externalId, fields, active);
      },
    };
    const engine = createSyncEngine({ db: f.db, target: watched, source: f.source, hostKind: 'test', batchSize: 20 });
    const cancelled = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy(), signal: controller.signal });
    expect(cancelled.run).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    const applied = Object.values(cancelled.run.applied).reduce((a, b) => a + b, 0);
    expect(applied).toBeGreaterThanOrEqual(40);
    expect(applied).toBeLessThan(cancelled.plan!.items.length);
    expect(f.engine.history.listItems(cancelled.run.id).total).toBe(applied);
    const rerun = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    expect(rerun.run.status).toBe('succeeded');
    expect(rerun.plan!.items.length).toBe(cancelled.plan!.items.length - applied);
    expect((await engine.run({ trigger: 'manual', policy: defaultSyncPolicy() })).plan!.items).toEqual([]);
  });

  it('records an item the target refuses, goes on with the rest, and retries it next time', async () => {
    const refused = f.emulator.control.userIds()[4]!;
    const picky = {
      ...f.target,
      applyBatch: undefined,
      createUser: async (externalId: string, fields: UserFields, active: boolean) => {
        if (externalId === refused) throw new TargetError('rejected', 'No licence seat left for this user.');
        return f.target.createUser(externalId, fields, active);
      },
    };
    const engine = createSyncEngine({ db: f.db, target: picky, source: f.source, hostKind: 'test' });
    const partial = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    const failed = f.engine.history.listItems(partial.run.id, { outcome: 'failed' }).items;
    expect(partial.run).toMatchObject({ status: 'partial', failedItems: failed.length });
    expect(failed[0]).toMatchObject({
      kind: 'create-user',
      error: { code: 'rejected', message: 'No licence seat left for this user.' },
    });
    // Its memberships fail too (the user is not there); nothing else does.
    for (const item of failed.slice(1)) {
      expect(item).toMatchObject({ kind: 'add-member', key: expect.stringContaining(refused), error: { code: 'not-found' } });
    }
    expect(partial.run.applied['create-user']).toBe(partial.plan!.counts['create-user'] - 1);
    const next = await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    expect(next.plan!.counts['create-user']).toBe(1);
    expect(next.run.status).toBe('succeeded');
  });

  it('lets the directory browser page, search and export what was synced', async () => {
    await f.engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    const browser = createDirectoryBrowser(f.db);
    const page = browser.users({ limit: 10 });
    expect(page).toMatchObject({ total: 60, offset: 0, limit: 10 });
    expect(page.items).toHaveLength(10);
    const someone = page.items[3]!;
    expect(browser.users({ search: someone.username.slice(0, 8).toUpperCase() }).items.map((u) => u.id)).toContain(someone.id);
    expect(browser.users({ search: '%' }).total).toBe(0);
    const group = browser.groups({ search: 'all employees' }).items[0]!;
    expect(browser.groupMembers(group.id, { limit: 1000 }).total).toBe(group.memberCount);
    expect(browser.userGroups(someone.id).total).toBe(someone.groupCount);
    let csv = '';
    expect(await browser.export('memberships', 'csv', (c) => void (csv += c))).toBe(f.target.counts().memberships);
    let json = '';
    expect(await browser.export('users', 'json', (c) => void (json += c))).toBe(60);
    expect((JSON.parse(json) as unknown[]).length).toBe(60);
  });
});
