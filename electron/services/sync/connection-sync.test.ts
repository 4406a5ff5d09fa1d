import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customCloud } from '../../../shared/clouds';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { createGraphConnection } from '../graph/graph-client';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { silentLogger, systemClock } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { createConnectionSync, type ConnectionSync } from './connection-sync';
import { createSyncService, type SyncConnection } from './sync-service';

/**
 * The sync per connection, against two emulated tenants over real HTTPS: the demo tenant and one standing in for
 * the admin's own. Each has its own directory, history and plan bases; leaving the demo never leaves its users
 * behind for the admin's first sync to plan against.
 */

let demoTenant: RunningEmulator;
let ownTenant: RunningEmulator;
let transports: HttpTransport[];

beforeAll(async () => {
  [demoTenant, ownTenant] = await Promise.all([
    startEmulator({ users: 40, groups: 6, seed: 3 }),
    startEmulator({ users: 15, groups: 3, seed: 9, tenantDomain: 'contoso.onmicrosoft.com' }),
  ]);
  transports = [demoTenant, ownTenant].map((e) =>
    createHttpTransport({ extraCaPem: e.info.caCertPem, timeoutMs: 30_000, env: {} }),
  );
});
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await Promise.all([demoTenant.close(), ownTenant.close()]);
});

function memorySettings(): SettingsStore {
  let current: Settings = defaultSettings();
  return { get: () => current, update: (change) => (current = change(current)), notice: undefined };
}

/** The saved connection: the demo tenant while `state.demo`, else the admin's own. */
function switchingConnection(state: { demo: boolean }): SyncConnection {
  const pick = () => (state.demo ? { e: demoTenant, t: transports[0]! } : { e: ownTenant, t: transports[1]! });
  return {
    async openGraph() {
      const { e, t } = pick();
      const { info } = e;
      return createGraphConnection({
        cloud: customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl }),
        tenantId: info.tenantId,
        clientId: info.clientId,
        clientSecret: info.clientSecret,
        transport: t,
      });
    },
    get: () => ({ tenantId: pick().e.info.tenantId, clientId: pick().e.info.clientId }),
  };
}

describe('ConnectionSync: the demo tenant and the admin’s own each have their own store', () => {
  let dataDir: string;
  let state: { demo: boolean };
  let settings: SettingsStore;
  let sync: ConnectionSync;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'esa-connection-sync-'));
    state = { demo: true };
    settings = memorySettings();
    sync = createConnectionSync({
      dataDir,
      settings,
      connection: switchingConnection(state),
      isDemo: () => state.demo,
      events: { emit: () => undefined },
      clock: systemClock,
      logger: silentLogger,
      hostKind: 'test',
      engine: { backoffMs: 20 },
    });
  });
  afterEach(async () => {
    await sync.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the demo apart: leaving shows the own store untouched, and the own sync never plans against demo users', async () => {
    const demoRun = await sync.runNow({ trigger: 'manual' });
    expect(demoRun.run.status).toBe('succeeded');
    expect(sync.directory.counts().users).toBe(40);
    expect(existsSync(join(dataDir, 'demo', 'sync.db'))).toBe(true);

    // Leave the demo: its store is removed; the admin's own is empty, as it was.
    await sync.discardDemo();
    state.demo = false;
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
    expect(sync.scope()).toBe('own');
    expect(sync.directory.counts()).toMatchObject({ users: 0, groups: 0, memberships: 0 });
    expect(sync.history().total).toBe(0);
    expect(sync.status()).toMatchObject({ state: 'idle', lastRun: null });

    // The first sync of the own tenant creates its 15 users and disables or deletes nobody.
    const own = await sync.runNow({ trigger: 'manual' });
    expect(own.run.status).toBe('succeeded');
    expect(own.run.planned).toMatchObject({ 'create-user': 15, 'disable-user': 0, 'delete-user': 0 });
    const users = sync.directory.users({ search: '', offset: 0, limit: 100 });
    expect(users.items.every((u) => u.username.endsWith('@contoso.onmicrosoft.com'))).toBe(true);

    // A demo started again begins empty and leaves the own history as it was.
    state.demo = true;
    expect(sync.history().total).toBe(0);
    await sync.runNow({ trigger: 'manual' });
    state.demo = false;
    expect(sync.history().items.map((r) => r.id)).toEqual([own.run.id]);
    expect(sync.directory.counts().users).toBe(15);
  });

  it('leaving mid-run (a scheduled demo sync that started meanwhile) cancels that run and still removes the store', async () => {
    const running = sync.runNow({ trigger: 'scheduled' });
    await sync.discardDemo();
    expect((await running).run.status).toBe('cancelled');
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
    state.demo = false;
    expect(sync.status()).toMatchObject({ state: 'idle', lastRun: null });
  });

  it('removes the demo data an earlier version kept in the own store, once, before anything reads it', async () => {
    await sync.close();
    // As before this change: the demo tenant synced straight into <dataDir>/sync.db.
    const legacy = createSyncService({
      dataDir,
      settings,
      connection: switchingConnection({ demo: true }),
      events: { emit: () => undefined },
      clock: systemClock,
      logger: silentLogger,
      hostKind: 'test',
    });
    await legacy.runNow({ trigger: 'manual' });
    await legacy.close();
    const warnings: string[] = [];
    state.demo = false;
    sync = createConnectionSync({
      dataDir,
      settings,
      connection: switchingConnection(state),
      isDemo: () => state.demo,
      events: { emit: () => undefined },
      clock: systemClock,
      logger: { ...silentLogger, warn: (message) => void warnings.push(message) },
      hostKind: 'test',
    });
    expect(sync.directory.counts().users).toBe(0);
    expect(sync.history().total).toBe(0);
    expect(warnings).toEqual(['sync: the demo data an earlier version kept in sync.db was removed']);
    // The admin's own first sync creates their users and disables or deletes nobody.
    const own = await sync.runNow({ trigger: 'manual' });
    expect(own.run.planned).toMatchObject({ 'create-user': 15, 'disable-user': 0, 'delete-user': 0 });
  });

  it('resets the directory and history of the connection in use only, and refuses while a sync runs', async () => {
    await sync.runNow({ trigger: 'manual' });
    state.demo = false;
    await sync.runNow({ trigger: 'manual' });

    // Refused while a run is under way (the run is claimed synchronously).
    const running = sync.dryRun();
    await expect(sync.resetDirectory()).rejects.toMatchObject({ code: 'already-running' });
    await running;

    expect(await sync.resetDirectory()).toEqual({ runs: 2, users: 15, groups: 3 });
    expect(sync.directory.counts().users).toBe(0);
    expect(sync.history().total).toBe(0);
    // The next sync reads everything again and creates the users afresh.
    const again = await sync.runNow({ trigger: 'manual' });
    expect(again.run).toMatchObject({ mode: 'full', status: 'succeeded' });
    expect(again.run.planned['create-user']).toBe(15);

    // The demo store was not touched.
    state.demo = true;
    expect(sync.directory.counts().users).toBe(40);
    expect(sync.history().total).toBe(1);
  });

  it('marks a dry run outdated when the settings change or a sync has run since', async () => {
    const dry = await sync.dryRun();
    expect(sync.run(dry.run.id).freshness).toMatchObject({ outdated: [], basis: { directoryMarker: null } });

    settings.update((s) => ({ ...s, sync: { ...s.sync, mapping: { ...s.sync.mapping, username: 'mailNickname' } } }));
    expect(sync.run(dry.run.id).freshness?.outdated).toEqual(['settings']);
    // Back to what the plan was computed from: current again.
    settings.update((s) => ({ ...s, sync: { ...s.sync, mapping: { ...s.sync.mapping, username: 'upn' } } }));
    expect(sync.run(dry.run.id).freshness?.outdated).toEqual([]);

    const applied = await sync.runNow({ trigger: 'manual' });
    expect(sync.run(dry.run.id).freshness?.outdated).toEqual(['directory']);
    // A dry run after the sync is current, and records the sync it was computed on.
    const next = await sync.dryRun();
    expect(sync.run(next.run.id).freshness).toMatchObject({ outdated: [], basis: { directoryMarker: applied.run.id } });
    // Real runs carry no freshness.
    expect(sync.run(applied.run.id).freshness).toBeUndefined();
  });
});
