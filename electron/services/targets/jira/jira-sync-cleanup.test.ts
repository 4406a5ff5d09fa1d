import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy, type SyncProgressEvent, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { createLocalDirectory } from '../local/local-directory';
import { VirtualClock } from '../remote/virtual-clock';
import { jiraEngineTarget } from './jira-engine-target';

/**
 * The cleanup choices and the pace of the whole sync, demo tenant → demo Jira through the engine (jira-sync.test.ts
 * has the rest): deletion and group deletion only when chosen, reactivation of a returning user, memberships removed,
 * and a full sync under Jira's rate limit on a virtual clock shared with the emulator (as the jira bench runs it).
 * Each test starts its own Jira and database; the tests change the shared tenant and undo nothing.
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
let dbs = 0;
const open: { jira: RunningJiraEmulator; transport: HttpTransport; db: SqliteDatabase }[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 60, groups: 8, seed: 21 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'jira-sync-cleanup-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.db.close();
    await o.transport.close();
    await o.jira.close();
  }
});

const policy: SyncPolicy = defaultSyncPolicy();
/** The brake off: the cleanups these tests choose take a large share of a small tenant, which is not their subject. */
const noBrake: SyncPolicy['safety'] = Object.fromEntries(
  Object.keys(policy.safety).map((k) => [k, null]),
) as unknown as SyncPolicy['safety'];

/** A fresh demo Jira and database; `sync` runs the engine from the shared tenant into them. */
async function freshJira(options: Parameters<typeof startJiraEmulator>[0] = {}, clock: Clock = systemClock) {
  const jira = await startJiraEmulator(options);
  const transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db = openDatabase(join(dir, `sync-${++dbs}.db`));
  open.push({ jira, transport, db });
  const sync = async (
    o: {
      config?: Partial<TargetConfigInput>;
      policy?: SyncPolicy;
      dryRun?: boolean;
      onProgress?: (event: SyncProgressEvent) => void;
    } = {},
  ) => {
    const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'test', cache: false, clock });
    const config = targetConfigSchema.parse({
      id: 'jira-1',
      name: 'Demo Jira',
      product: 'jira',
      baseUrl: jira.info.baseUrl,
      ...o.config,
    });
    const runPolicy = o.policy ?? policy;
    const target = jiraEngineTarget({ config, token: jira.info.adminToken, db, transport, clock, globalPolicy: runPolicy });
    const [result] = await engine.runTargets(
      { trigger: 'manual', policy: runPolicy, dryRun: o.dryRun, onProgress: o.onProgress },
      [target],
    );
    return result! satisfies SyncRunResult;
  };
  return { jira, sync };
}

const username = (id: string) => (entra.control.getUser(id)!.userPrincipalName as string).toLowerCase();
const enabledUserIds = () => entra.control.userIds().filter((id) => entra.control.getUser(id)!.accountEnabled === true);
const addUser = (n: string) =>
  entra.control.addUser({ userPrincipalName: `${n}@demo.example`, displayName: n, mail: `${n}@demo.example` }).id as string;

describe('cleanup in the demo Jira', () => {
  it('deactivates a leaver by default and deletes them only when the admin chooses deletion', async () => {
    const { jira, sync } = await freshJira();
    await sync();
    const [kept, deleted] = enabledUserIds().map(username);
    entra.control.deleteUser(entra.control.getUser(kept!)!.id as string);
    // The default: deactivated, never deleted.
    const byDefault = await sync();
    expect(byDefault.run.status).toBe('succeeded');
    expect(byDefault.plan!.counts).toMatchObject({ 'disable-user': 1, 'delete-user': 0 });
    expect(jira.control.user(kept!)).toMatchObject({ active: false });
    // Chosen on the target's own settings: the next leaver, and the one deactivated before, are deleted.
    entra.control.deleteUser(entra.control.getUser(deleted!)!.id as string);
    const deleting = { ...policy, cleanup: { ...policy.cleanup, leavers: 'delete' as const } };
    const chosen = await sync({ config: { sync: deleting } });
    expect(chosen.run.status).toBe('succeeded');
    expect(chosen.plan!.counts).toMatchObject({ 'delete-user': 2, 'disable-user': 0 });
    expect(chosen.run.applied['delete-user']).toBe(2);
    expect(jira.control.user(kept!)).toBeUndefined();
    expect(jira.control.user(deleted!)).toBeUndefined();
    expect((await sync({ config: { sync: deleting } })).plan!.items).toEqual([]);
  });

  it('reactivates a user deactivated earlier when they come back in scope in Entra', async () => {
    const { jira, sync } = await freshJira();
    const [returner, stayer] = [addUser('returner'), addUser('stayer')];
    const licensed = entra.control.addGroup({ displayName: 'Jira Licensed', members: [returner, stayer] }).id as string;
    const scoped: SyncPolicy = {
      ...policy,
      users: { ...policy.users, scope: 'requiredGroups', requiredGroupIds: [licensed] },
      safety: noBrake,
    };
    expect((await sync({ policy: scoped })).run.status).toBe('succeeded');
    const key = jira.control.user('returner@demo.example')!.key;
    entra.control.removeMember(licensed, returner);
    const left = await sync({ policy: scoped });
    expect(left.run.status).toBe('succeeded');
    expect(left.plan!.counts).toMatchObject({ 'disable-user': 1, 'delete-user': 0 });
    expect(jira.control.user(key)).toMatchObject({ active: false });
    entra.control.addMember(licensed, returner);
    const back = await sync({ policy: scoped });
    expect(back.run.status).toBe('succeeded');
    expect(back.plan!.counts).toMatchObject({ 'enable-user': 1, 'create-user': 0 });
    // The same account (the link followed), active again; no second account under the name.
    expect(jira.control.user(key)).toMatchObject({ name: 'returner@demo.example', active: true });
    expect(jira.control.users().filter((u) => u.name.toLowerCase() === 'returner@demo.example')).toHaveLength(1);
    expect((await sync({ policy: scoped })).plan!.items).toEqual([]);
  });

  it('removes memberships when a user leaves an Entra group; keeps a vanished group unless group deletion is chosen', async () => {
    const { jira, sync } = await freshJira();
    const [a, b] = [addUser('member.a'), addUser('member.b')];
    const doomed = entra.control.addGroup({ displayName: 'Doomed Group', members: [a, b] }).id as string;
    const other = entra.control.addGroup({ displayName: 'Out Of Scope Later', members: [a] }).id as string;
    await sync();
    const members = (name: string) =>
      jira.control
        .groups()
        .find((g) => g.name === name)
        ?.members.map((m) => m.toLowerCase())
        .sort();
    expect(members('Doomed Group')).toEqual(['member.a@demo.example', 'member.b@demo.example']);
    // A user leaves an Entra group: the membership goes in Jira, the user and the group stay.
    entra.control.removeMember(doomed, b);
    const left = await sync();
    expect(left.plan!.counts).toMatchObject({ 'remove-member': 1, 'delete-group': 0, 'disable-user': 0 });
    expect(left.run.applied['remove-member']).toBe(1);
    expect(members('Doomed Group')).toEqual(['member.a@demo.example']);
    // One group deleted in Entra, one out of the group scope: by default (the global default says delete) both stay.
    entra.control.deleteGroup(doomed);
    const inScope = entra.control
      .groups()
      .map((g) => g.displayName)
      .filter((n) => n !== 'Out Of Scope Later');
    const narrowed: SyncPolicy = {
      ...policy,
      groups: { ...policy.groups, scope: 'namePattern', namePattern: inScope.join(', ') },
      safety: noBrake,
    };
    const kept = await sync({ policy: narrowed });
    expect(kept.run.status).toBe('succeeded');
    expect(kept.plan!.counts['delete-group']).toBe(0);
    expect(members('Doomed Group')).toEqual(['member.a@demo.example']);
    expect(members('Out Of Scope Later')).toEqual(['member.a@demo.example']);
    // Chosen on the target: both are deleted from Jira.
    const chosen = await sync({ policy: narrowed, config: { deleteVanishedGroups: true } });
    expect(chosen.run.status).toBe('succeeded');
    expect(chosen.plan!.counts['delete-group']).toBe(2);
    expect(members('Doomed Group')).toBeUndefined();
    expect(members('Out Of Scope Later')).toBeUndefined();
    entra.control.deleteGroup(other, { hard: true });
  });
});

describe('a full sync under Jira’s rate limit (20 requests/s, burst 10) on a virtual clock', () => {
  it('completes with under 1% of requests answered 429 and uses over 90% of the allowed rate', async () => {
    const clock = new VirtualClock();
    const { jira, sync } = await freshJira({ clock, rateLimit: { limit: 10, fillRate: 20, intervalSeconds: 1 } }, clock);
    jira.control.resetCounters();
    const start = clock.now();
    const events: SyncProgressEvent[] = [];
    const result = await sync({ onProgress: (e) => events.push(e) });
    const seconds = clock.elapsedSince(start) / 1000;
    expect(result.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
    const counters = jira.control.counters();
    const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
    // The bucket starts full: the burst plus the fill rate over the virtual time is what Jira allowed.
    const allowed = 10 + 20 * seconds;
    const throttledShare = counters.throttled429 / requests;
    const rateShare = (requests - counters.throttled429) / allowed;
    expect(requests).toBeGreaterThan(150);
    expect(throttledShare, `${counters.throttled429} of ${requests} answered 429`).toBeLessThan(0.01);
    expect(rateShare, `${requests} requests in ${seconds} s`).toBeGreaterThan(0.9);
    // The progress says the pace and who sets it, from the pacer (engine and Jira on the same virtual clock).
    const applying = events.filter((e) => e.phase === 'applying' && e.pace);
    expect(applying.length).toBeGreaterThan(0);
    expect(applying.at(-1)!.pace).toEqual({ requestsPerSecond: expect.any(Number) as number, limitedBy: 'Jira' });
    expect(applying.at(-1)!.pace!.requestsPerSecond).toBeGreaterThanOrEqual(18);
    expect(applying.at(-1)!.pace!.requestsPerSecond).toBeLessThanOrEqual(22);
    expect(events.filter((e) => e.phase !== 'applying' && e.pace)).toEqual([]);
  });
});
