import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import { systemClock } from '../ports';
import { startGraphStandIn, type GraphStandIn, type StandInRequest } from '../graph/graph-stand-in';
import { createLocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine, type SyncEngine } from './engine';
import { acquireRunLock } from './run-lock';
import { directorySnapshot, policyWith, startSyncFixture, type SyncFixture } from './test-support';

/**
 * How the engine treats what the read of Entra brings back: which delta failures fall back to a full read and
 * which fail the run, a full read whose delta bootstrap failed, a group recreated under its old name, and answers
 * only a broken Graph gives (from a stand-in over HTTPS).
 */
describe('sync reads against the demo tenant', () => {
  let f: SyncFixture;
  const policy = defaultSyncPolicy();

  beforeAll(async () => {
    f = await startSyncFixture({ users: 80, groups: 12, seed: 9 }, { read: { backoffMs: 5, maxAttempts: 2 } });
  });
  afterAll(async () => {
    await f.close();
  });
  afterEach(() => {
    f.emulator.control.clearFaults();
    f.emulator.control.denyAccess([]);
  });

  async function freshFullRun() {
    const result = await f.engine.run({ trigger: 'manual', policy, full: true });
    expect(result.run).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(f.engine.sourceState.info()!.deltaLinks).not.toBeNull();
  }

  it.each([
    ['a 403', () => f.emulator.control.denyAccess(['users']), /\/users\/delta from Microsoft Graph failed: 403/],
    [
      'a 503 that persists',
      () => f.emulator.control.setFaults({ rate503: 1, retryAfterSeconds: 0, paths: ['/users/delta'] }),
      /\/users\/delta from Microsoft Graph failed: 503/,
    ],
    [
      'a network failure',
      () => f.emulator.control.setFaults({ rateReset: 1, paths: ['/users/delta'] }),
      /\/users\/delta from Microsoft Graph failed: .*(reset|closed|socket)/i,
    ],
  ])('fails a delta run on %s with its diagnosis, instead of reading everything', async (_, fault, message) => {
    await freshFullRun();
    const links = f.engine.sourceState.info()!.deltaLinks;
    fault();
    const result = await f.engine.run({ trigger: 'scheduled', policy });
    expect(result.run).toMatchObject({ status: 'failed', mode: 'delta', error: { code: 'graph-read-failed', message } });
    expect(result.run.notes.join(' ')).not.toMatch(/full read|read everything/i);
    expect(result.plan).toBeNull();
    // The links still work once Graph does: the next run continues from them.
    expect(f.engine.sourceState.info()!.deltaLinks).toEqual(links);
    f.emulator.control.clearFaults();
    f.emulator.control.denyAccess([]);
    expect((await f.engine.run({ trigger: 'scheduled', policy })).run).toMatchObject({ status: 'succeeded', mode: 'delta' });
  });

  it('finishes a full read whose users delta bootstrap failed, and says the next run reads everything again', async () => {
    f.emulator.control.setFaults({ rate503: 1, retryAfterSeconds: 0, paths: ['/users/delta'] });
    const added = f.emulator.control.addUser({ userPrincipalName: 'bootstrap.case@demo-tenant.onmicrosoft.com' });
    const result = await f.engine.run({ trigger: 'manual', policy, full: true });
    expect(result.run).toMatchObject({ status: 'succeeded', mode: 'full', error: null });
    expect(result.plan!.counts['create-user']).toBeGreaterThanOrEqual(1);
    expect(directorySnapshot(f.db).users.map((u) => (u as unknown[])[0])).toContain(added.id);
    expect(result.run.notes.join('\n')).toMatch(
      /Starting change tracking of \/users\/delta failed \(.*503.*\)\. The directory was read in full; the next run reads everything again\./,
    );
    expect(f.engine.sourceState.info()!.deltaLinks).toBeNull();
    f.emulator.control.clearFaults();
    const next = await f.engine.run({ trigger: 'scheduled', policy });
    expect(next.run).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(next.run.notes.join(' ')).toContain('no delta links are stored');
    expect((await f.engine.run({ trigger: 'scheduled', policy })).run.mode).toBe('delta');
  });

  it('replaces a group deleted and recreated in Entra under the same name: old one first, no failures', async () => {
    await freshFullRun();
    const c = f.emulator.control;
    const old = c
      .groups()
      .find((g) => g.displayName !== 'All Employees' && g.memberKinds.join() === 'user' && g.memberCount > 2)!;
    const members = c.getGroup(old.id)!.members as string[];
    c.deleteGroup(old.id);
    const recreated = c.addGroup({ displayName: old.displayName, members });
    // Another group renamed to a deleted group's name is the same case.
    const renamedFrom = c.groups().find((g) => g.id !== recreated.id && g.id !== old.id && g.displayName !== 'All Employees')!;
    const vanished = c.groups().find((g) => ![recreated.id, old.id, renamedFrom.id].includes(g.id) && g.memberCount > 0)!;
    c.deleteGroup(vanished.id);
    c.updateGroup(renamedFrom.id, { displayName: vanished.displayName });

    // Two of twelve groups deleted is past the brake's group limit; the brake is not what this test is about.
    const unbraked = policyWith({ safety: { maxGroupShare: null, maxGroupCount: null } });
    const result = await f.engine.run({ trigger: 'scheduled', policy: unbraked });
    expect(result.run).toMatchObject({ status: 'succeeded', failedItems: 0 });
    expect(result.plan!.counts).toMatchObject({ 'delete-group': 2, 'create-group': 1, 'update-group': 1 });
    const kinds = result.plan!.items.map((i) => i.kind);
    expect(kinds.slice(0, 2)).toEqual(['delete-group', 'delete-group']);
    const groups = new Map(directorySnapshot(f.db).groups.map((g) => [(g as string[])[0], (g as string[])[1]]));
    expect(groups.get(String(recreated.id))).toBe(old.displayName);
    expect(groups.get(renamedFrom.id)).toBe(vanished.displayName);
    expect(groups.has(old.id)).toBe(false);
    const memberLinks = directorySnapshot(f.db).members.filter((m) => m.startsWith(`${recreated.id}:`));
    expect(memberLinks).toHaveLength(members.length);
    expect((await f.engine.run({ trigger: 'scheduled', policy: unbraked })).plan!.items).toEqual([]);
  });
});

describe('sync reads against a broken Graph', () => {
  let standIn: GraphStandIn | undefined;
  let dir: string;
  let db: SqliteDatabase;
  let engine: SyncEngine;

  async function serve(users: (request: StandInRequest) => unknown) {
    standIn = await startGraphStandIn((request) => {
      const origin = standIn!.origin;
      if (request.path === '/users/delta') return { value: [], '@odata.deltaLink': `${origin}/v1.0/users/delta?t=1` };
      if (request.path === '/groups/delta') return { value: [], '@odata.deltaLink': `${origin}/v1.0/groups/delta?t=1` };
      return users(request);
    });
    dir = mkdtempSync(join(tmpdir(), 'entra-sync-reads-'));
    db = openDatabase(join(dir, 'sync.db'));
    const source = { key: `${standIn.origin}|stand-in`, client: standIn.connection.client };
    engine = createSyncEngine({
      db,
      target: createLocalDirectory(db),
      source,
      hostKind: 'test',
      read: { backoffMs: 1 },
      cache: false,
    });
  }
  afterEach(async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await standIn?.close();
    standIn = undefined;
  });
  const user = (id: string, displayName: string) => ({
    id,
    userPrincipalName: `${id}@stand-in.example`,
    displayName,
    accountEnabled: true,
  });

  it('stops a next-page loop with a clear error, changes nothing and releases the sync lock', async () => {
    await serve(() => ({ value: [user('a', 'A')], '@odata.nextLink': `${standIn!.origin}/v1.0/users?$skiptoken=same` }));
    const result = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    expect(result.run).toMatchObject({
      status: 'failed',
      error: { code: 'graph-answer-invalid', message: expect.stringContaining('had already sent') },
    });
    expect(standIn!.requests.filter((r) => r.path === '/users')).toHaveLength(2);
    expect(directorySnapshot(db).users).toEqual([]);
    expect(engine.isRunning()).toBe(false);
    const lock = acquireRunLock(
      db,
      { runId: 'next', hostKind: 'test', machine: 'here', pid: process.pid },
      { clock: systemClock },
    );
    expect(lock.ok).toBe(true);
    if (lock.ok) lock.handle.release();
  });

  it('names the refused item in the run result instead of an internal error', async () => {
    await serve(() => ({ value: [user('a', 'A'), null] }));
    const result = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy() });
    expect(result.run.error).toEqual({
      code: 'graph-answer-invalid',
      message:
        'Microsoft Graph sent a user the sync cannot use (/users, page 1, item 2): the item is null, not an object. Nothing was changed.',
    });
    expect(directorySnapshot(db).users).toEqual([]);
  });

  it('converges on a display name with a NUL (no warm cache, as the terminal host runs): nothing to update on later runs', async () => {
    await serve(() => ({ value: [user('nul', 'Ann\u0000a'), user('plain', 'Plain')] }));
    const first = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy(), full: true });
    expect(first.run.status).toBe('succeeded');
    expect(first.run.notes).toContain('Control characters were removed from the displayName of 1 user (nul).');
    // The delta run plans from the stored snapshot, the full one from Graph again: both must find nothing to do.
    const delta = await engine.run({ trigger: 'scheduled', policy: defaultSyncPolicy() });
    expect(delta.run.mode).toBe('delta');
    expect(delta.plan!.items).toEqual([]);
    const second = await engine.run({ trigger: 'manual', policy: defaultSyncPolicy(), full: true });
    expect(second.plan!.items).toEqual([]);
    expect(directorySnapshot(db).users.find((u) => (u as unknown[])[0] === 'nul')).toContain('Anna');
  });
});
