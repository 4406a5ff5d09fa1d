import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScheduleStatus } from '../../../shared/contract/schedule';
import type { SyncOutcome } from '../../../shared/contract/sync';
import type { EventChannel } from '../../../shared/ipc';
import { emulatedDemoTenant } from '../../emulator';
import { createAppCore, type AppCore } from '../app/app-core';
import { EventHub } from '../app/events';
import { FileVault } from '../settings/file-vault';
import { FakeClock } from './fake-clock';
import { recordingLogger, recordingNotifier, tempSettings, type TempSettings } from './test-support';

/**
 * The scheduler inside a real app core (connection, SyncService, demo tenant over HTTPS) on a controlled clock:
 * the clock decides when runs are due; the runs themselves are real.
 */
function boot() {
  const files = tempSettings();
  // The demo tenant dates its secrets by the real clock: the controlled clock starts at the real time.
  const clock = new FakeClock(new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const events = new EventHub();
  const seen: { event: EventChannel; payload: unknown }[] = [];
  events.subscribe((event, payload) => void seen.push({ event, payload }));
  const notifier = recordingNotifier();
  const core = createAppCore({
    host: 'browser',
    version: '0.0.0-test',
    platform: process.platform,
    dataDir: files.dir,
    settings: files.open(clock),
    vault: new FileVault(join(files.dir, 'secrets.json')),
    notifier,
    clock,
    logger: recordingLogger(),
    events,
    demoTenant: emulatedDemoTenant(),
  });
  /** Resolves with the next payload on `channel` that passes `test`. */
  const next = <T>(channel: EventChannel, test: (payload: T) => boolean = () => true) =>
    new Promise<T>((resolve) => {
      const off = events.subscribe((event, payload) => {
        if (event !== channel || !test(payload as T)) return;
        off();
        resolve(payload as T);
      });
    });
  const nextFinished = () => next<SyncOutcome>('sync:finished');
  return { files, clock, core, seen, notifier, next, nextFinished, h: core.handlers };
}

let world: { files: TempSettings; core: AppCore } | undefined;
afterEach(async () => {
  await world?.core.close();
  world?.files.dispose();
  world = undefined;
});

describe('scheduled syncs in the app core', () => {
  it('runs on the schedule against the demo tenant and records the run with trigger "scheduled"', async () => {
    const w = boot();
    world = w;
    const hour = 3_600_000;
    await w.h['connection:startDemo']({ users: 50, groups: 5 });
    // Seven hours after the demo's expiry was recorded, so the run also reads the expiry again.
    await w.clock.advance(7 * hour);
    const slot = new Date(Math.ceil((w.clock.now().getTime() + 1) / hour) * hour).toISOString();
    const saved = await w.h['schedule:save']({ enabled: true, cron: '0 * * * *', timeZone: 'UTC' });
    expect(saved).toMatchObject({ state: 'waiting', nextRunAt: slot, description: 'Every hour' });
    const finished = w.nextFinished();
    await w.clock.advanceTo(slot);
    const outcome = await finished;
    expect(outcome.run).toMatchObject({ trigger: 'scheduled', status: 'succeeded', dryRun: false });
    expect(outcome.run.applied['create-user']).toBe(50);
    const runs = await w.h['sync:runs']({ offset: 0, limit: 10 });
    expect(runs.items.map((r) => r.trigger)).toEqual(['scheduled']);
    await w.clock.advance(1); // let the scheduler record the outcome
    const status = await w.h['schedule:get'](undefined);
    expect(status.lastOutcome).toMatchObject({ status: 'succeeded', attempts: 1, slotAt: slot, runId: outcome.run.id });
    expect(status.nextRunAt).toBe(new Date(Date.parse(slot) + hour).toISOString());
    expect(w.seen.some((e) => e.event === 'schedule:changed')).toBe(true);
    const connection = await w.h['connection:get'](undefined);
    // The expiry is read again over HTTPS after the run, in the background: wait for it to be stored.
    await vi.waitFor(
      () =>
        expect(w.files.open(w.clock).get().reminders.observed).toEqual({
          expiresAt: connection.secretExpiry?.expiresAt,
          secretHint: connection.secretHint,
          checkedAt: slot,
        }),
      { timeout: 50_000, interval: 20 },
    );
  });

  it('says a scheduled run failed because the secret expired, once, and points to the rotation', async () => {
    const w = boot();
    world = w;
    await w.h['connection:startDemo']({ users: 20, groups: 2, secretExpiresInDays: -1 });
    expect(await w.h['reminders:get'](undefined)).toMatchObject({ level: 'expired', showBanner: true });
    await w.h['schedule:save']({ enabled: true, cron: '0 * * * *', timeZone: 'UTC' });
    // The run cannot even start or fails reading; either way the scheduler records it.
    const failed = w.next<ScheduleStatus>('schedule:changed', (s) => s.state === 'failed');
    await w.clock.advance(3_600_000);
    await failed;
    const status = await w.h['schedule:get'](undefined);
    expect(status.state).toBe('failed');
    expect(status.problem?.code).toBe('secret-expired');
    expect(status.problem?.message).toMatch(/^The scheduled sync failed because the client secret expired on \d{4}-\d\d-\d\d\./);
    expect(status.lastOutcome?.attempts).toBe(1);
    const failures = w.notifier.sent.filter((n) => n.id.startsWith('schedule-failed-'));
    expect(failures).toEqual([
      expect.objectContaining({ title: 'Scheduled sync failed: the client secret expired', action: 'rotation' }),
    ]);
    expect(w.notifier.sent.filter((n) => n.title === 'The client secret has expired')).toHaveLength(1);
  });
});
