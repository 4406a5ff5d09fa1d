import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { EventChannel } from '../../../shared/ipc';
import { customCloud } from '../../../shared/clouds';
import { defaultSettings, type Settings } from '../../../shared/settings';
import type { SyncProgressEvent } from '../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { createGraphConnection } from '../graph/graph-client';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { silentLogger, systemClock, type Logger, type Notification } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { openDatabase } from './database';
import { saveExportsIn } from './export';
import { createHistoryStore } from './history-store';
import { createSyncService, type SyncConnection, type SyncService } from './sync-service';

/** Settings in memory: the service only needs get/update. */
function memorySettings(): SettingsStore & { set(s: Settings): void } {
  let current = defaultSettings();
  return {
    get: () => current,
    update: (change) => (current = change(current)),
    set: (s) => void (current = s),
    notice: undefined,
  };
}

/** The saved connection, as the ConnectionService gives it: a fresh Graph connection per call, over one transport. */
function emulatorConnection(
  emulator: RunningEmulator,
  transport: HttpTransport,
): SyncConnection & { opened: number; fail?: AppError } {
  const { info } = emulator;
  const cloud = customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl });
  const port = {
    opened: 0,
    fail: undefined as AppError | undefined,
    async openGraph() {
      if (port.fail) throw port.fail;
      port.opened++;
      return createGraphConnection({
        cloud,
        tenantId: info.tenantId,
        clientId: info.clientId,
        clientSecret: info.clientSecret,
        transport,
      });
    },
    get: () => ({ tenantId: info.tenantId, clientId: info.clientId }),
  };
  return port;
}

interface Harness {
  emulator: RunningEmulator;
  transport: HttpTransport;
  connection: ReturnType<typeof emulatorConnection>;
  settings: ReturnType<typeof memorySettings>;
  service: SyncService;
  events: { event: EventChannel; payload: unknown }[];
  /** `onEvent` is called synchronously for every event the service emits. */
  hooks: { onEvent?: (event: EventChannel, payload: unknown) => void };
  notifications: Notification[];
  logLines: string[];
  dataDir: string;
}

async function startHarness(
  options: { users?: number; groups?: number; latencyMs?: number; batchSize?: number } = {},
): Promise<Harness> {
  const emulator = await startEmulator({
    users: options.users ?? 80,
    groups: options.groups ?? 10,
    seed: 3,
    latencyMs: options.latencyMs ?? 0,
  });
  const transport = createHttpTransport({ extraCaPem: emulator.info.caCertPem, timeoutMs: 30_000, env: {} });
  const dataDir = mkdtempSync(join(tmpdir(), 'esa-sync-service-'));
  const events: Harness['events'] = [];
  const notifications: Notification[] = [];
  const logLines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void logLines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const settings = memorySettings();
  const connection = emulatorConnection(emulator, transport);
  const hooks: Harness['hooks'] = {};
  const service = createSyncService({
    dataDir,
    settings,
    connection,
    events: {
      emit: (event, payload) => {
        events.push({ event, payload });
        hooks.onEvent?.(event, payload);
      },
    },
    clock: systemClock,
    logger,
    notifier: { notify: (n) => void notifications.push(n) },
    hostKind: 'test',
    engine: { backoffMs: 20, batchSize: options.batchSize },
  });
  return { emulator, transport, connection, settings, service, events, hooks, notifications, logLines, dataDir };
}

async function stopHarness(h: Harness): Promise<void> {
  await h.service.close();
  await h.transport.close();
  await h.emulator.close();
  rmSync(h.dataDir, { recursive: true, force: true });
}

const progressOf = (h: Harness) => h.events.filter((e) => e.event === 'sync:progress').map((e) => e.payload as SyncProgressEvent);

describe('SyncService against the demo tenant', () => {
  let h: Harness;
  afterEach(async () => {
    if (h) await stopHarness(h);
  });

  describe('on a small tenant', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('dry run plans without changing the directory; the plan items are in the run history', async () => {
      let startedWith: string | undefined;
      const outcome = await h.service.dryRun({}, (runId) => (startedWith = runId));
      expect(outcome.run).toMatchObject({ dryRun: true, status: 'succeeded', trigger: 'manual', mode: 'full' });
      expect(startedWith).toBe(outcome.run.id);
      expect(outcome.plan!.counts['create-user']).toBeGreaterThan(0);
      expect(outcome.plan!.counts['add-member']).toBeGreaterThan(0);
      expect(outcome.guard).toEqual({ allowed: true });
      expect(h.service.directory.counts()).toMatchObject({ users: 0, groups: 0, memberships: 0 });

      const items = h.service.items(outcome.run.id, { kind: 'create-user', limit: 1000 });
      expect(items.total).toBe(outcome.plan!.counts['create-user']);
      expect(items.items.every((i) => i.outcome === 'planned')).toBe(true);
      // A dry run is not "the last sync".
      expect(h.service.lastRun()).toBeNull();
      expect(h.events.map((e) => e.event)).toContain('sync:finished');
    });

    it('Sync now applies the plan with progress events, records the run and tells listeners', async () => {
      const finished: SyncOutcome[] = [];
      const off = h.service.onRunFinished((o) => finished.push(o));
      const statuses: string[] = [];
      const running = h.service.runNow({ trigger: 'manual' }, () => statuses.push(h.service.status().state));
      expect(h.service.status().state).toBe('running');
      const outcome = await running;
      off();

      expect(outcome.run).toMatchObject({ status: 'succeeded', dryRun: false, failedItems: 0 });
      expect(statuses).toEqual(['running']);
      expect(h.service.status()).toEqual({ state: 'idle', lastRun: outcome.run });
      expect(finished).toEqual([outcome]);

      const counts = h.service.directory.counts();
      expect(counts.users).toBe(outcome.run.applied['create-user']);
      expect(counts.groups).toBe(outcome.run.applied['create-group']);
      expect(counts.memberships).toBe(outcome.run.applied['add-member']);
      expect(h.service.directory.users({ limit: 5 }).total).toBe(counts.users);

      const progress = progressOf(h);
      expect(progress.every((p) => p.runId === outcome.run.id)).toBe(true);
      expect(progress.map((p) => p.phase)).toEqual(
        expect.arrayContaining(['starting', 'reading-source', 'planning', 'applying', 'finishing']),
      );
      expect(h.service.history().items.map((r) => r.id)).toEqual([outcome.run.id]);
      expect(h.service.run(outcome.run.id).plan?.counts).toEqual(outcome.plan!.counts);

      // A second run reads only what changed.
      const again = await h.service.runNow({ trigger: 'scheduled' });
      expect(again.run).toMatchObject({ mode: 'delta', status: 'succeeded', trigger: 'scheduled' });
      expect(Object.values(again.run.applied).reduce((a, b) => a + b, 0)).toBe(0);
      expect(h.connection.opened).toBe(2);
    });

    it('runs one sync at a time: a second start is refused with already-running, dry runs included', async () => {
      const first = h.service.runNow({ trigger: 'manual' });
      await expect(h.service.runNow({ trigger: 'scheduled' })).rejects.toMatchObject({ code: 'already-running' });
      await expect(h.service.dryRun()).rejects.toMatchObject({ code: 'already-running' });
      expect((await first).run.status).toBe('succeeded');
      expect(h.service.history().total).toBe(1);
      // Free again once it ended.
      expect((await h.service.dryRun()).run.status).toBe('succeeded');
    });

    it('a connection that cannot be opened rejects with its code and leaves the service idle', async () => {
      h.connection.fail = new AppError('connection-missing', 'No connection is saved.');
      await expect(h.service.runNow({ trigger: 'scheduled' })).rejects.toMatchObject({ code: 'connection-missing' });
      expect(h.service.status().state).toBe('idle');
      expect(h.service.history().total).toBe(0);
      h.connection.fail = undefined;
      expect((await h.service.runNow({ trigger: 'manual' })).run.status).toBe('succeeded');
    });

    it('the safety brake holds a mass disable, a confirmation applies it exactly once', async () => {
      await h.service.runNow({ trigger: 'manual' });
      const ids = h.service.directory.users({ active: true, limit: 20 }).items.map((u) => u.externalId!);
      for (const id of ids) h.emulator.control.deleteUser(id);
      const activeBefore = h.service.directory.users({ active: true }).total;

      const held = await h.service.runNow({ trigger: 'scheduled' });
      expect(held.run.status).toBe('blocked');
      expect(held.guard).toMatchObject({ allowed: false, code: 'threshold-exceeded' });
      expect(held.plan!.risk.disabling).toBe(20);
      expect(held.run.applied['disable-user']).toBe(0);
      expect(h.service.directory.users({ active: true }).total).toBe(activeBefore);
      // Unattended runs that need a decision say so; the notification carries no secret.
      expect(h.notifications).toHaveLength(1);
      expect(h.notifications[0]).toMatchObject({ severity: 'warning', action: 'history' });

      const confirmed = await h.service.runNow({ trigger: 'manual', confirmBrake: held.run.id });
      expect(confirmed.run).toMatchObject({ status: 'succeeded' });
      expect(confirmed.run.applied['disable-user']).toBe(20);
      expect(h.service.directory.users({ active: true }).total).toBe(activeBefore - 20);
      expect(h.service.run(held.run.id).run.confirmedByRunId).toBe(confirmed.run.id);

      const reused = await h.service.runNow({ trigger: 'manual', confirmBrake: held.run.id });
      expect(reused.run.status).toBe('failed');
      expect(reused.run.error?.code).toBe('confirmation-invalid');
    });

    it('exports a run as CSV and JSON, and the directory as CSV; no secret in exports, events or logs', async () => {
      const outcome = await h.service.runNow({ trigger: 'manual' });
      const dir = mkdtempSync(join(tmpdir(), 'esa-exports-'));
      try {
        const save = saveExportsIn(dir);
        const csvJob = h.service.exportRun(outcome.run.id, 'csv');
        expect(csvJob.fileName).toMatch(/^sync-run-.*\.csv$/);
        const csvSaved = await save(csvJob);
        const rows = Object.values(outcome.run.applied).reduce((a, b) => a + b, 0);
        expect(csvSaved).toMatchObject({ status: 'saved', fileName: csvJob.fileName, rows });
        const csv = readFileSync(join(dir, csvJob.fileName), 'utf8');
        expect(csv.split('\r\n')[0]).toBe('\ufeffseq,kind,label,reason,outcome,errorCode,errorMessage,before,after,key');
        const jsonJob = h.service.exportRun(outcome.run.id, 'json');
        await save(jsonJob);
        const json = JSON.parse(readFileSync(join(dir, jsonJob.fileName), 'utf8')) as { run: { id: string }; items: unknown[] };
        expect(json.run.id).toBe(outcome.run.id);
        expect(json.items).toHaveLength(rows);
        const usersJob = h.service.directory.exportFile('users', 'csv');
        expect(await save(usersJob)).toMatchObject({ rows: h.service.directory.counts().users });
        const users = readFileSync(join(dir, usersJob.fileName), 'utf8');
        expect(() => h.service.exportRun('nope', 'csv')).toThrow(expect.objectContaining({ code: 'run-not-found' }));

        const secret = h.emulator.info.clientSecret;
        for (const text of [csv, users, JSON.stringify(h.events), h.logLines.join('\n')]) expect(text).not.toContain(secret);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('restart', () => {
    beforeEach(async () => {
      h = await startHarness({ users: 20, groups: 3 });
    });

    it('marks a run left running by an earlier session of this host as interrupted', async () => {
      const dbPath = join(h.dataDir, 'sync.db');
      await h.service.close();
      const db = openDatabase(dbPath);
      createHistoryStore(db, systemClock).startRun({
        id: 'left-over',
        trigger: 'scheduled',
        mode: 'full',
        dryRun: false,
        hostId: 'test',
      });
      db.close();
      h.service = createSyncService({
        dataDir: h.dataDir,
        settings: h.settings,
        connection: h.connection,
        events: { emit() {} },
        clock: systemClock,
        logger: silentLogger,
        hostKind: 'test',
      });
      expect(h.service.run('left-over').run).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
      expect(h.service.status()).toMatchObject({ state: 'idle', lastRun: { id: 'left-over' } });
    });
  });

  describe('cancel', () => {
    beforeEach(async () => {
      h = await startHarness({ users: 300, groups: 20, batchSize: 10 });
    });

    it('stops a run when it starts applying, and the next run converges', async () => {
      let cancelled: boolean | undefined;
      // Cancel from inside the progress event that opens the apply phase: deterministic, whatever the machine's speed.
      h.hooks.onEvent = (event, payload) => {
        if (event === 'sync:progress' && (payload as SyncProgressEvent).phase === 'applying' && cancelled === undefined)
          cancelled = h.service.cancel();
      };
      const outcome = await h.service.runNow({ trigger: 'manual' });
      expect(cancelled).toBe(true);
      expect(outcome.run.status).toBe('cancelled');
      expect(outcome.run.error?.code).toBe('cancelled');
      expect(h.service.status().state).toBe('idle');
      expect(h.service.cancel()).toBe(false);
      const total = Object.values(outcome.plan!.counts).reduce((a, b) => a + b, 0);
      const applied = Object.values(outcome.run.applied).reduce((a, b) => a + b, 0);
      expect(applied).toBeLessThan(total);

      h.hooks.onEvent = undefined;
      const rerun = await h.service.runNow({ trigger: 'manual' });
      expect(rerun.run.status).toBe('succeeded');
      expect(Object.values(rerun.run.applied).reduce((a, b) => a + b, 0)).toBe(total - applied);
      expect(h.service.directory.counts().users).toBe(outcome.plan!.counts['create-user']);
    });

    it('cancelling before the read finishes changes nothing', async () => {
      const outcomePromise = h.service.runNow({ trigger: 'manual' });
      expect(h.service.cancel()).toBe(true);
      const outcome = await outcomePromise;
      expect(outcome.run.status).toBe('cancelled');
      expect(h.service.directory.counts().users).toBe(0);
    });
  });
});
