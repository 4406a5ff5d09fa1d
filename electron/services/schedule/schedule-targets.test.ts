import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduleStatus, ScheduledRunOutcome } from '../../../shared/contract/schedule';
import type { SyncOutcome, SyncStatus } from '../../../shared/contract/sync';
import type { EventChannel } from '../../../shared/ipc';
import { emulatedDemoTenant } from '../../emulator';
import { emulatedDemoTargets } from '../../emulator/demo-targets';
import type { RunningJiraEmulator } from '../../emulator/jira';
import { createAppCore, type AppCore } from '../app/app-core';
import { EventHub } from '../app/events';
import { FileVault } from '../settings/file-vault';
import { FakeClock } from './fake-clock';
import { createScheduler } from './scheduler';
import type { ScheduledAttempt, ScheduledSync } from './sync-port';
import { recordingLogger, recordingNotifier, tempSettings, type TempSettings } from './test-support';

/**
 * Scheduled syncs into every target, in a real app core on a controlled clock: the demo tenant and the demo Jira
 * (the real JiraTarget over HTTPS). One run reads Entra once and lands a history row per target; the brake holding
 * one target or one target failing does not stop the other.
 */
const hour = 3_600_000;

async function boot() {
  const files = tempSettings();
  const clock = new FakeClock(new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const events = new EventHub();
  const notifier = recordingNotifier();
  const settings = files.open(clock);
  const tenant = emulatedDemoTenant();
  const demoTargets = emulatedDemoTargets();
  const core = createAppCore({
    host: 'browser',
    version: '0.0.0-test',
    platform: process.platform,
    dataDir: files.dir,
    settings,
    vault: new FileVault(join(files.dir, 'secrets.json')),
    notifier,
    clock,
    logger: recordingLogger(),
    events,
    demoTenant: tenant,
    demoTargets,
  });
  world = { files, core };
  const h = core.handlers;
  await h['connection:startDemo']({ users: 30, groups: 4 });
  const target = (await h['targets:startDemoJira'](undefined)) as { id: string; name: string };
  /** The next `count` sync:finished payloads. */
  const finishedRuns = (count: number) =>
    new Promise<SyncOutcome[]>((resolve) => {
      const got: SyncOutcome[] = [];
      const off = events.subscribe((event: EventChannel, payload) => {
        if (event !== 'sync:finished') return;
        got.push(payload as SyncOutcome);
        if (got.length === count) {
          off();
          resolve(got);
        }
      });
    });
  /** Saves an hourly schedule and lets the next slot come; resolves with both targets' outcomes. */
  const scheduledRun = async () => {
    await h['schedule:save']({ enabled: true, cron: '0 * * * *', timeZone: 'UTC' });
    const done = finishedRuns(2);
    await clock.advanceTo(new Date(Math.ceil((clock.now().getTime() + 1) / hour) * hour));
    const outcomes = await done;
    await clock.advance(1); // the scheduler records the outcome
    return outcomes;
  };
  const byTarget = (outcomes: SyncOutcome[]) => new Map(outcomes.map((o) => [o.run.targetId, o.run]));
  const schedule = async () => (await h['schedule:get'](undefined)) as ScheduleStatus;
  return {
    clock,
    settings,
    h,
    tenant,
    jira: () => demoTargets.running('jira') as RunningJiraEmulator,
    target,
    notifier,
    scheduledRun,
    byTarget,
    schedule,
  };
}

let world: { files: TempSettings; core: AppCore } | undefined;
afterEach(async () => {
  await world?.core.close();
  world?.files.dispose();
  world = undefined;
});

describe('scheduled syncs into every target', () => {
  it('one scheduled run reads Entra once and lands a history row for the embedded directory and the demo Jira', async () => {
    const w = await boot();
    const runs = w.byTarget(await w.scheduledRun());
    expect(runs.get('local')).toMatchObject({ trigger: 'scheduled', status: 'succeeded' });
    expect(runs.get(w.target.id)).toMatchObject({ trigger: 'scheduled', status: 'succeeded' });
    expect(runs.get(w.target.id)!.applied['create-user']).toBeGreaterThan(0);
    // Entra read once: its requests counted on the embedded directory's row, not again on Jira's.
    expect(runs.get('local')!.graphRequests).toBeGreaterThan(0);
    expect(runs.get(w.target.id)!.graphRequests).toBe(0);
    for (const targetId of ['local', w.target.id]) {
      const rows = await w.h['sync:runs']({ offset: 0, limit: 10, targetId });
      expect(rows.items.map((r) => r.trigger)).toEqual(['scheduled']);
    }
    expect((await w.schedule()).lastOutcome).toMatchObject({ status: 'succeeded', attempts: 1 });
    // The dashboard's last-sync card: one line per target.
    const status = (await w.h['sync:status'](undefined)) as SyncStatus;
    expect(status.targets?.map((t) => [t.id, t.lastRun?.status])).toEqual([
      ['local', 'succeeded'],
      [w.target.id, 'succeeded'],
    ]);
  });

  it('the brake holding the Jira target does not stop the embedded directory; the held one is notified', async () => {
    const w = await boot();
    await w.scheduledRun();
    const entra = w.tenant.running()!.control;
    const leavers = entra
      .userIds()
      .filter((id) => (entra.getUser(id) as { accountEnabled?: boolean }).accountEnabled)
      .slice(0, 3);
    for (const id of leavers) entra.deleteUser(id);
    const global = w.settings.get().sync;
    w.settings.update((s) => ({
      ...s,
      sync: { ...global, safety: { ...global.safety, maxShare: null, maxCount: null } },
      targets: s.targets.map((t) =>
        t.id === w.target.id ? { ...t, sync: { ...global, safety: { ...global.safety, maxShare: 0.01, maxCount: 1 } } } : t,
      ),
    }));
    const runs = w.byTarget(await w.scheduledRun());
    expect(runs.get('local')).toMatchObject({ status: 'succeeded' });
    expect(runs.get('local')!.applied['disable-user']).toBe(3);
    expect(runs.get(w.target.id)).toMatchObject({ status: 'blocked' });
    const held = w.notifier.sent.filter((n) => n.id.startsWith('sync-blocked-'));
    expect(held).toEqual([expect.objectContaining({ id: `sync-blocked-${runs.get(w.target.id)!.id}` })]);
    expect(held[0]!.title).toContain(w.target.name);
    const outcome = (await w.schedule()).lastOutcome as ScheduledRunOutcome;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'blocked' } });
    expect(outcome.error?.message).toContain(w.target.name);
    // The brake says so itself: no "scheduled sync failed" on top, and no retry of a held plan.
    expect(w.notifier.sent.filter((n) => n.id.startsWith('schedule-failed-'))).toEqual([]);
    expect((await w.schedule()).retry).toBeNull();
  });

  it('a target whose token was revoked fails with its own message while the embedded directory syncs', async () => {
    const w = await boot();
    w.jira().control.revokeToken(w.jira().info.adminToken);
    const runs = w.byTarget(await w.scheduledRun());
    expect(runs.get('local')).toMatchObject({ status: 'succeeded' });
    expect(runs.get('local')!.applied['create-user']).toBe(30);
    const failed = runs.get(w.target.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toBeTruthy();
    const status = await w.schedule();
    expect(status.lastOutcome).toMatchObject({ status: 'failed', runId: failed.id });
    expect(status.lastOutcome?.error?.message).toContain(`${w.target.name}: ${failed.error!.message}`);
    // A token the target rejects needs the admin: not retried, said once.
    expect(status.retry).toBeNull();
    expect(w.notifier.sent.filter((n) => n.id.startsWith('schedule-failed-'))).toHaveLength(1);
  });
});

describe('retrying a run of several targets', () => {
  it('tries again only the targets that failed, and the slot succeeds when they do', async () => {
    const files = tempSettings();
    try {
      const clock = new FakeClock('2026-03-02T09:30:00.000Z');
      const calls: (readonly string[] | undefined)[] = [];
      const results: ScheduledAttempt[] = [
        {
          status: 'failed',
          runId: 'jira-run',
          error: { code: 'target-failed', message: 'Jira: unreachable.' },
          targets: [],
          retryTargets: ['jira-1'],
        },
        { status: 'succeeded', runId: 'jira-run-2', error: null },
      ];
      const sync: ScheduledSync = {
        isRunning: () => false,
        runScheduled: (only) => {
          calls.push(only);
          return Promise.resolve(results.shift()!);
        },
      };
      const settings = files.open(clock);
      const scheduler = createScheduler({
        settings,
        clock,
        logger: recordingLogger(),
        notifier: recordingNotifier(),
        sync,
        systemTimeZone: () => 'UTC',
        retry: { maxAttempts: 3, backoffMs: [5 * 60_000] },
      });
      scheduler.start();
      scheduler.save({ enabled: true, cron: '0 10 * * *', timeZone: 'UTC' });
      await clock.advanceTo('2026-03-02T10:00:00.000Z');
      await scheduler.idle();
      expect(scheduler.status().retry).toMatchObject({ attempt: 2 });
      await clock.advance(5 * 60_000);
      await scheduler.idle();
      expect(calls).toEqual([undefined, ['jira-1']]);
      expect(scheduler.status().lastOutcome).toMatchObject({ status: 'succeeded', attempts: 2, runId: 'jira-run-2' });
      scheduler.stop();
    } finally {
      files.dispose();
    }
  });
});
