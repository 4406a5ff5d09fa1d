import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createPrng } from '../../../emulator/prng';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { createLocalDirectory } from '../local/local-directory';
import type { EngineTarget } from '../../sync/engine-target';
import { abortingAfter } from '../remote/test-support';
import { jiraEngineTarget } from './jira-engine-target';

/**
 * The whole sync from the demo tenant into the demo Jira: the real engine, planner, brake and JiraTarget over our
 * transport and HTTPS, links in SQLite. Each test gets a fresh Jira and database; the tenant is shared and changed
 * only by the tests that say so (they undo nothing: later tests read the tenant as it is).
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let jira: RunningJiraEmulator;
let transport: HttpTransport;
let dir: string;
let db: SqliteDatabase;
let dbs = 0;

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 8, seed: 12 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'jira-sync-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  jira = await startJiraEmulator();
  transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
  db = openDatabase(join(dir, `sync-${++dbs}.db`));
});
afterEach(async () => {
  db.close();
  await transport.close();
  await jira.close();
});

const policy: SyncPolicy = defaultSyncPolicy();

async function syncAll(
  options: {
    dryRun?: boolean;
    config?: Partial<TargetConfigInput>;
    /** Aborted after this many writes reached the Jira target (counted at the port, the real target beneath). */
    abortAfterWrites?: { readonly writes: number; readonly controller: AbortController };
    withLocal?: boolean;
    policy?: SyncPolicy;
  } = {},
): Promise<SyncRunResult[]> {
  const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'test', cache: false, batchSize: 3 });
  const config = targetConfigSchema.parse({
    id: 'jira-1',
    name: 'Demo Jira',
    product: 'jira',
    baseUrl: jira.info.baseUrl,
    ...options.config,
  });
  const runPolicy = options.policy ?? policy;
  const jiraTarget = jiraEngineTarget({
    config,
    token: jira.info.adminToken,
    db,
    transport,
    clock: systemClock,
    globalPolicy: runPolicy,
  });
  const cut = options.abortAfterWrites;
  const target: EngineTarget = cut
    ? { ...jiraTarget, prepare: async (input) => abortingAfter(await jiraTarget.prepare(input), cut.writes, cut.controller) }
    : jiraTarget;
  return engine.runTargets(
    { trigger: 'manual', policy: runPolicy, dryRun: options.dryRun, signal: cut?.controller.signal },
    options.withLocal ? ['local', target] : [target],
  );
}

async function sync(options: Parameters<typeof syncAll>[0] = {}): Promise<SyncRunResult> {
  return (await syncAll(options))[0]!;
}

/** What Entra wants: the mapped username (lower-cased UPN) of every user. */
const entraUsers = () =>
  entra.control.userIds().map((id) => ({
    id,
    ...(entra.control.getUser(id) as unknown as { userPrincipalName: string; displayName: string; accountEnabled: boolean }),
  }));

/** The demo Jira's content by names (keys differ between instances): users, and each group's members. */
function jiraSnapshot(j: RunningJiraEmulator = jira) {
  const users = j.control
    .users()
    .map((u) => `${u.name.toLowerCase()}|${u.emailAddress}|${u.displayName}|${u.active}`)
    .sort();
  const byKey = new Map(j.control.users().map((u) => [u.key, u.name.toLowerCase()]));
  const groups = j.control
    .groups()
    .map(
      (g) =>
        `${g.name}:${g.members
          .map((k) => byKey.get(k) ?? k)
          .sort()
          .join(',')}`,
    )
    .sort();
  return { users, groups };
}

const idOf = (summary: Readonly<Record<string, unknown>>) => summary.id as string;

const noDuplicates = () => {
  const names = jira.control.users().map((u) => u.name.toLowerCase());
  expect(new Set(names).size).toBe(names.length);
};

describe('sync from the demo tenant into the demo Jira', () => {
  it('creates users, groups and memberships; a second sync plans nothing; the history row names the target', async () => {
    const seeded = jira.control.users().length;
    const seededUsers = jiraSnapshot().users;
    const first = await sync();
    // Only linked accounts are changed: every pre-existing account (not matched) is exactly as it was.
    expect(jiraSnapshot().users.filter((u) => seededUsers.includes(u))).toEqual(seededUsers);
    expect(first.run).toMatchObject({ status: 'succeeded', failedItems: 0, targetId: 'jira-1' });
    expect(first.plan!.counts['create-user']).toBeGreaterThan(20);
    expect(jira.control.users().length).toBe(seeded + first.run.applied['create-user']);
    const groups = first.plan!.items.filter((i) => i.kind === 'create-group');
    expect(groups.length).toBeGreaterThan(3);
    for (const g of groups)
      expect(jira.control.groups().some((j) => j.name === (g.kind === 'create-group' && g.after.name))).toBe(true);
    expect(first.run.applied['add-member']).toBe(first.plan!.counts['add-member']);
    expect(first.run.applied['add-member']).toBeGreaterThan(5);
    const second = await sync();
    expect(second.run.status).toBe('succeeded');
    // No given name, surname or description in Jira: compared, they would be "updated" on every run.
    expect(second.plan!.items).toEqual([]);
    noDuplicates();
  });

  it('follows a rename in Entra through the link, and deactivates a leaver by default (no deletion)', async () => {
    await sync();
    const [renamed, leaver] = entraUsers().filter((u) => u.accountEnabled);
    const before = jira.control.users().length;
    const oldName = renamed!.userPrincipalName.toLowerCase();
    const keyBefore = jira.control.user(oldName)!.key;
    entra.control.updateUser(renamed!.id, {
      userPrincipalName: `renamed.${renamed!.userPrincipalName}`,
      displayName: 'Renamed Person',
    });
    entra.control.deleteUser(leaver!.id);
    const result = await sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.plan!.counts).toMatchObject({ 'update-user': 1, 'disable-user': 1, 'create-user': 0, 'delete-user': 0 });
    expect(jira.control.user(keyBefore)).toMatchObject({ name: `renamed.${oldName}`, displayName: 'Renamed Person' });
    expect(jira.control.user(leaver!.userPrincipalName.toLowerCase())).toMatchObject({ active: false });
    expect(jira.control.users().length).toBe(before);
    noDuplicates();
    expect((await sync()).plan!.items).toEqual([]);
  });

  it('matches an existing account by username in any case, shown in the dry run before anything changes', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    const existing = jira.control.addUser({
      name: someone.userPrincipalName.toUpperCase(),
      emailAddress: 'old@example.com',
      displayName: 'Old Name',
    });
    const dry = await sync({ dryRun: true });
    expect(dry.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: someone.id }));
    expect(dry.plan!.items.filter((i) => i.kind === 'create-user' && i.externalId === someone.id)).toEqual([]);
    expect(dry.plan!.items).toContainEqual(expect.objectContaining({ kind: 'update-user', externalId: someone.id }));
    expect(jira.control.user(existing.key)).toMatchObject({ displayName: 'Old Name' });
    const applied = await sync();
    expect(applied.run.status).toBe('succeeded');
    expect(jira.control.user(existing.key)).toMatchObject({ displayName: someone.displayName });
    noDuplicates();
    expect((await sync()).plan!.items).toEqual([]);
  });

  it('matches by e-mail only when the target allows it', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    const mail = (entra.control.getUser(someone.id) as unknown as { mail: string | null }).mail ?? someone.userPrincipalName;
    const existing = jira.control.addUser({ name: 'someone.else', emailAddress: mail.toUpperCase(), displayName: 'X' });
    const without = await sync({ dryRun: true });
    expect(without.plan!.items).toContainEqual(expect.objectContaining({ kind: 'create-user', externalId: someone.id }));
    const withMail = await sync({ dryRun: true, config: { matchByEmail: true } });
    expect(withMail.plan!.warnings).toContainEqual(expect.objectContaining({ code: 'matched', externalId: someone.id }));
    expect(withMail.plan!.items.filter((i) => i.kind === 'create-user' && i.externalId === someone.id)).toEqual([]);
    await sync({ config: { matchByEmail: true } });
    expect(jira.control.user(existing.key)!.displayName).toBe(someone.displayName);
  });

  it('never touches the token’s own account or the administrator groups, and says "protected" in the plan', async () => {
    // An Entra user whose username is the token's own account, and Entra groups named like Jira's admin groups.
    const admin = idOf(
      entra.control.addUser({ userPrincipalName: 'ADMIN', displayName: 'Entra Admin', mail: 'admin@x.example' }),
    );
    const adminsGroup = idOf(entra.control.addGroup({ displayName: 'jira-administrators', members: [admin] }));
    const extra = idOf(entra.control.addGroup({ displayName: 'Site Owners', members: [admin] }));
    try {
      const before = jiraSnapshot();
      const result = await sync({ config: { protectedGroups: ['Site Owners'] } });
      expect(result.run.status).toBe('succeeded');
      const warned = result.plan!.warnings.filter((w) => w.code === 'protected').map((w) => w.externalId);
      expect(warned).toEqual(expect.arrayContaining([admin, adminsGroup, extra]));
      const touched = result.plan!.items.filter(
        (i) =>
          ('username' in i && i.username.toLowerCase() === 'admin') ||
          ('groupName' in i && /jira-administrators|site owners/i.test(i.groupName)),
      );
      expect(touched).toEqual([]);
      const after = jiraSnapshot();
      expect(after.users.filter((u) => u.startsWith('admin|'))).toEqual(before.users.filter((u) => u.startsWith('admin|')));
      expect(after.groups.filter((g) => g.startsWith('jira-'))).toEqual(before.groups.filter((g) => g.startsWith('jira-')));
      expect(jira.control.groups().some((g) => g.name === 'Site Owners')).toBe(false);
    } finally {
      entra.control.deleteUser(admin, { hard: true });
      entra.control.deleteGroup(adminsGroup, { hard: true });
      entra.control.deleteGroup(extra, { hard: true });
    }
  });

  it('reports a read-only-directory user once per run and tries each of its changes at most once', async () => {
    const someone = entraUsers().find((u) => u.accountEnabled)!;
    jira.control.addUser({
      name: someone.userPrincipalName,
      emailAddress: 'ldap@example.com',
      displayName: 'LDAP',
      readOnly: true,
    });
    const result = await sync();
    expect(result.run.status).toBe('partial');
    const notes = result.run.notes.filter((n) => n.includes('read-only directory'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(someone.userPrincipalName.toLowerCase());
    expect(jira.control.user(someone.userPrincipalName)).toMatchObject({ displayName: 'LDAP' });
  });

  it('stops creating at the user limit with one clear note while updates and deactivations go on', async () => {
    await sync();
    const [changed, leaver] = entraUsers().filter((u) => u.accountEnabled);
    entra.control.updateUser(changed!.id, { displayName: 'Changed At Limit' });
    entra.control.deleteUser(leaver!.id);
    const added = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      entra.control.addUser({
        userPrincipalName: `limit.user${n}@demo.example`,
        displayName: `Limit ${n}`,
        mail: `limit${n}@demo.example`,
      }),
    );
    const licensed = jira.control.users().filter((u) => u.active && u.applicationKeys.length > 0).length;
    jira.control.setUserLimit(licensed);
    jira.control.resetCounters();
    try {
      const result = await sync();
      expect(result.plan!.counts['create-user']).toBe(8);
      expect(result.run.applied['create-user']).toBe(0);
      expect(result.run.applied['update-user']).toBe(1);
      expect(result.run.applied['disable-user']).toBe(1);
      expect(result.run.notes.filter((n) => n.includes('licensed-user limit'))).toHaveLength(1);
      // Every refused creation is counted, also those in flight together when the limit was met.
      expect(result.run.notes.find((n) => n.includes('licensed-user limit'))).toContain('(8 not created)');
      // Once refused, creation is not asked again: at most the calls already in flight (4 at once) reached Jira.
      expect(jira.control.counters().requests['POST /user'] ?? 0).toBeLessThanOrEqual(4);
    } finally {
      for (const u of added) entra.control.deleteUser(idOf(u), { hard: true });
    }
  });
});

describe('several targets in one run', () => {
  it('reads Entra once and brakes each target on its own settings: Jira held, the embedded directory applied', async () => {
    await syncAll({ withLocal: true });
    const leavers = entraUsers()
      .filter((u) => u.accountEnabled)
      .slice(0, 3);
    for (const u of leavers) entra.control.deleteUser(u.id);
    const strict = { ...policy, safety: { ...policy.safety, maxShare: 0.01, maxCount: 1 } };
    const lenient = { ...policy, safety: { ...policy.safety, maxShare: null, maxCount: null } };
    const [local, remote] = await syncAll({ withLocal: true, policy: lenient, config: { sync: strict } });
    expect(local!.run).toMatchObject({ status: 'succeeded', targetId: 'local' });
    expect(local!.run.applied['disable-user']).toBe(3);
    expect(remote!.run).toMatchObject({ status: 'blocked', targetId: 'jira-1' });
    expect(remote!.guard?.allowed).toBe(false);
    for (const u of leavers) expect(jira.control.user(u.userPrincipalName.toLowerCase())?.active).toBe(true);
    // One read of Entra for both targets: counted on the first run's row, the later one says where.
    expect(local!.run.graphRequests).toBeGreaterThan(0);
    expect(remote!.run.graphRequests).toBe(0);
    expect(remote!.run.sharedRead).toEqual({ targets: 2, countedOnRunId: local!.run.id, countedOnTargetId: 'local' });
  });
});

describe('an apply interrupted at random points converges on the next run', () => {
  let reference: ReturnType<typeof jiraSnapshot>;
  let total = 0;
  beforeEach(async () => {
    total = (await sync()).plan!.items.length;
    reference = jiraSnapshot();
    // The next trial starts from an empty Jira again.
    db.close();
    await transport.close();
    await jira.close();
    jira = await startJiraEmulator();
    transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
    db = openDatabase(join(dir, `sync-${++dbs}.db`));
  });

  it('12 trials: cancelled after a random number of applied items, re-run, nothing duplicated, then nothing to do', async () => {
    const prng = createPrng(42);
    for (let trial = 0; trial < 12; trial++) {
      if (trial > 0) {
        db.close();
        await transport.close();
        await jira.close();
        jira = await startJiraEmulator();
        transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
        db = openDatabase(join(dir, `sync-${++dbs}.db`));
      }
      const stopAfter = 1 + Math.floor(prng.next() * (total - 4));
      const cut = await sync({ abortAfterWrites: { writes: stopAfter, controller: new AbortController() } });
      expect(cut.run.status, `trial ${trial}, stop after ${stopAfter}`).toBe('cancelled');
      const again = await sync();
      expect(again.run.status, `trial ${trial}`).toBe('succeeded');
      expect(jiraSnapshot(), `trial ${trial}`).toEqual(reference);
      noDuplicates();
      expect((await sync()).plan!.items, `trial ${trial}`).toEqual([]);
    }
  });
});
