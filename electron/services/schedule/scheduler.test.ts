import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduleStatus } from '../../../shared/contract/schedule';
import { FakeClock } from './fake-clock';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler';
import type { ScheduledAttempt, ScheduledSync } from './sync-port';
import { recordingLogger, recordingNotifier, tempSettings, type TempSettings } from './test-support';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A sync that takes `durationMs` of the fake clock and ends as `results` says (the last one repeats). */
function fakeSync(clock: FakeClock, durationMs = 2 * minute, results: ScheduledAttempt[] = []) {
  const starts: string[] = [];
  let running = false;
  const port: ScheduledSync & { starts: string[]; manual(ms: number): void; results: ScheduledAttempt[] } = {
    starts,
    results,
    isRunning: () => running,
    runScheduled() {
      running = true;
      starts.push(clock.now().toISOString());
      const result = results.length > 1 ? results.shift()! : (results[0] ?? ok());
      return new Promise((resolve) =>
        clock.setTimeout(() => {
          running = false;
          resolve(result);
        }, durationMs),
      );
    },
    /** Sync now, started by the admin, running for `ms`. */
    manual(ms) {
      running = true;
      clock.setTimeout(() => (running = false), ms);
    },
  };
  return port;
}

const ok = (): ScheduledAttempt => ({ status: 'succeeded', runId: 'run', error: null });
const fail = (code: string, message = `failed with ${code}`): ScheduledAttempt => ({
  status: 'failed',
  runId: null,
  error: { code, message },
});

let files: TempSettings | undefined;
let schedulers: Scheduler[] = [];

afterEach(() => {
  for (const s of schedulers) s.stop();
  schedulers = [];
  files?.dispose();
  files = undefined;
});

function setup(start: string, sync: (clock: FakeClock) => ReturnType<typeof fakeSync>, extra: Partial<SchedulerOptions> = {}) {
  files = tempSettings();
  const clock = new FakeClock(start);
  const port = sync(clock);
  const logger = recordingLogger();
  const notifier = recordingNotifier();
  const changes: ScheduleStatus[] = [];
  const make = () => {
    const scheduler = createScheduler({
      settings: files!.open(clock),
      clock,
      logger,
      notifier,
      sync: port,
      systemTimeZone: () => 'Europe/Berlin',
      onChange: (s) => void changes.push(s),
      ...extra,
    });
    schedulers.push(scheduler);
    return scheduler;
  };
  return { clock, port, logger, notifier, changes, make, scheduler: make() };
}

describe('scheduler: on time', () => {
  it('runs a daily 02:30 schedule on time across the spring DST change in Europe/Berlin', async () => {
    const t = setup('2026-03-26T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-03-31T12:00:00Z');
    // 02:30 CET = 01:30Z; on 29 March 02:30 does not exist (clocks go 02:00 → 03:00): it runs at 03:30 CEST,
    // once; from then on 02:30 CEST = 00:30Z.
    expect(t.port.starts).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('runs a daily 02:30 schedule once on the autumn day 02:30 happens twice', async () => {
    const t = setup('2026-10-23T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-10-27T12:00:00Z');
    expect(t.port.starts).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('keeps weekday mornings at 09:00 local time when the offset changes, and uses the saved zone, not the system one', async () => {
    const t = setup('2026-03-26T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 9 * * 1-5', timeZone: 'America/New_York' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-04-01T00:00:00Z');
    // New York is on EDT (UTC-4) since 8 March, while Berlin (the system zone here) is still on CET.
    expect(t.port.starts).toEqual([
      '2026-03-26T13:00:00.000Z',
      '2026-03-27T13:00:00.000Z',
      '2026-03-30T13:00:00.000Z',
      '2026-03-31T13:00:00.000Z',
    ]);
    expect(t.scheduler.status().nextRunAt).toBe('2026-04-01T13:00:00.000Z');
    expect(t.scheduler.status().description).toBe('Weekdays (Monday to Friday) at 09:00');
  });

  it('does not run for slots before it was saved, nor while paused', async () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.start();
    await t.clock.advance(day);
    expect(t.port.starts).toEqual([]);
    expect(t.scheduler.status().state).toBe('off');
    t.scheduler.save({ enabled: true, cron: '0 * * * *', timeZone: '' });
    expect(t.scheduler.status().effectiveTimeZone).toBe('Europe/Berlin');
    await t.clock.advance(2 * hour);
    expect(t.port.starts).toHaveLength(2);
    expect(t.scheduler.pause().state).toBe('paused');
    expect(t.scheduler.status().nextRunAt).toBeNull();
    await t.clock.advance(5 * hour);
    expect(t.port.starts).toHaveLength(2);
    t.scheduler.resume();
    await t.clock.advance(30 * minute);
    expect(t.port.starts).toHaveLength(2); // no catch-up for what was paused
    await t.clock.advance(31 * minute);
    expect(t.port.starts).toHaveLength(3);
  });
});

describe('scheduler: never two at once', () => {
  it('skips (and logs) slots that fall due while its own run is still going', async () => {
    const t = setup('2026-05-04T00:00:00Z', (c) => fakeSync(c, 40 * minute));
    t.scheduler.save({ enabled: true, cron: '*/15 * * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advance(2 * hour);
    // Runs start at :15 and take 40 minutes: :30 and :45 are skipped, :00 runs, and so on.
    expect(t.port.starts).toEqual(['2026-05-04T00:15:00.000Z', '2026-05-04T01:00:00.000Z', '2026-05-04T01:45:00.000Z']);
    const skips = t.logger.lines.filter((l) => l.message.includes('skipped'));
    expect(skips.map((l) => l.fields?.slotAt)).toEqual([
      '2026-05-04T00:30:00.000Z',
      '2026-05-04T00:45:00.000Z',
      '2026-05-04T01:15:00.000Z',
      '2026-05-04T01:30:00.000Z',
      '2026-05-04T02:00:00.000Z',
    ]);
  });

  it('skips a slot while Sync now runs, and says so in the status', async () => {
    const t = setup('2026-05-04T01:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advance(50 * minute);
    t.port.manual(30 * minute);
    await t.clock.advance(day + hour);
    expect(t.port.starts).toEqual(['2026-05-05T02:00:00.000Z']);
    const skipped = t.changes.find((c) => c.lastOutcome?.status === 'skipped');
    expect(skipped?.lastOutcome?.error?.code).toBe('already-running');
    expect(skipped?.lastOutcome?.error?.message).toContain('02:00');
  });
});

describe('scheduler: missed runs', () => {
  it('runs once after the computer slept through several slots', async () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    t.clock.sleep(5 * day); // asleep through five 02:00 slots
    t.scheduler.wake(); // power resume
    await t.clock.advance(10 * minute);
    expect(t.port.starts).toEqual(['2026-05-09T12:00:00.000Z']);
    await t.clock.advanceTo('2026-05-10T03:00:00Z');
    expect(t.port.starts).toEqual(['2026-05-09T12:00:00.000Z', '2026-05-10T02:00:00.000Z']);
    expect(t.logger.lines.some((l) => l.message.includes('catching up'))).toBe(true);
  });

  it('notices a sleep without a wake event within the recheck interval', async () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advance(hour);
    t.clock.sleep(3 * day);
    await t.clock.advance(16 * minute);
    expect(t.port.starts).toHaveLength(1);
  });

  it('runs once when the app starts late, days after the last slot, and not again after another restart', async () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-05T03:00:00Z');
    expect(t.port.starts).toHaveLength(1);
    t.scheduler.stop(); // the app quits
    t.clock.sleep(4 * day);
    const again = t.make(); // …and starts four days later on the same settings file
    again.start();
    await t.clock.advance(5 * minute);
    expect(t.port.starts).toEqual(['2026-05-05T02:00:00.000Z', '2026-05-09T03:00:00.000Z']);
    again.stop();
    const third = t.make();
    third.start();
    await t.clock.advance(5 * minute);
    expect(t.port.starts).toHaveLength(2);
  });
});

describe('scheduler: failures', () => {
  it('retries a failing run with backoff, a bounded number of times, then stays failed and says so once', async () => {
    const t = setup('2026-05-04T01:00:00Z', (c) => fakeSync(c, minute, [fail('graph-read-failed', 'Graph did not answer.')]));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-04T02:10:00Z');
    expect(t.scheduler.status().state).toBe('retrying');
    expect(t.scheduler.status().problem?.message).toContain('try again at 02:27');
    await t.clock.advanceTo('2026-05-04T12:00:00Z');
    expect(t.port.starts).toEqual(['2026-05-04T02:00:00.000Z', '2026-05-04T02:06:00.000Z', '2026-05-04T02:27:00.000Z']);
    const status = t.scheduler.status();
    expect(status.state).toBe('failed');
    expect(status.lastOutcome).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'graph-read-failed' } });
    expect(status.problem?.message).toBe('Graph did not answer.');
    expect(t.notifier.sent).toHaveLength(1);
    expect(t.notifier.sent[0]).toMatchObject({ severity: 'error', title: 'Scheduled sync failed', action: 'history' });
    // The next day's slot tries again, and a success clears the failure with a word.
    t.port.results.splice(0, t.port.results.length, ok());
    await t.clock.advanceTo('2026-05-05T03:00:00Z');
    expect(t.port.starts).toHaveLength(4);
    expect(t.scheduler.status().state).toBe('waiting');
    expect(t.notifier.sent.at(-1)).toMatchObject({ title: 'Scheduled sync works again', severity: 'success' });
  });

  it('retries a run that Graph answered with something unusable (a truncated page is often gone minutes later)', async () => {
    const broken = fail(
      'graph-answer-invalid',
      'Microsoft Graph answered page 3 of /v1.0/users with something that is not a page.',
    );
    const t = setup('2026-05-04T01:00:00Z', (c) => fakeSync(c, minute, [broken, ok()]));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-04T02:10:00Z');
    expect(t.port.starts).toEqual(['2026-05-04T02:00:00.000Z', '2026-05-04T02:06:00.000Z']);
    expect(t.scheduler.status().state).toBe('waiting');
    expect(t.notifier.sent.map((n) => n.severity)).toEqual(['success']); // works again; never a failure notice
  });

  it('does not retry a run that failed because the secret expired, and says exactly that', async () => {
    const t = setup(
      '2026-05-04T01:00:00Z',
      (c) => fakeSync(c, minute, [fail('graph-read-failed', 'AADSTS7000222: The provided client secret keys are expired.')]),
      {
        secretExpiry: () => ({ expired: false, expiresAt: '2026-05-03T10:00:00Z' }),
      },
    );
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-04T12:00:00Z');
    expect(t.port.starts).toHaveLength(1);
    const status = t.scheduler.status();
    expect(status.state).toBe('failed');
    expect(status.problem?.code).toBe('secret-expired');
    expect(status.problem?.message).toContain('the client secret expired on 2026-05-03');
    expect(t.notifier.sent).toEqual([
      expect.objectContaining({ title: 'Scheduled sync failed: the client secret expired', action: 'rotation' }),
    ]);
  });

  it('treats the sync service’s own secret-expired refusal the same way', async () => {
    const t = setup('2026-05-04T01:00:00Z', (c) => fakeSync(c, 0, [fail('secret-expired', 'The client secret has expired.')]));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-04T12:00:00Z');
    expect(t.port.starts).toHaveLength(1);
    expect(t.scheduler.status().problem?.message).toMatch(/^The scheduled sync failed because the client secret expired\. /);
  });

  it('clears a standing failure when Sync now succeeds', async () => {
    const t = setup('2026-05-04T01:00:00Z', (c) => fakeSync(c, minute, [fail('consent-missing', 'Admin consent is missing.')]));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    await t.clock.advanceTo('2026-05-04T03:00:00Z');
    expect(t.port.starts).toHaveLength(1); // not a transient failure: no retry
    expect(t.scheduler.status().state).toBe('failed');
    t.scheduler.noteRunFinished({ trigger: 'manual', dryRun: true, status: 'succeeded' });
    expect(t.scheduler.status().state).toBe('failed');
    t.scheduler.noteRunFinished({ trigger: 'manual', dryRun: false, status: 'succeeded' });
    expect(t.scheduler.status().state).toBe('waiting');
    expect(t.scheduler.status().problem).toBeNull();
  });
});

describe('scheduler: patterns', () => {
  it('previews a pattern in words with its next runs in the chosen zone', () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    const preview = t.scheduler.preview('0 2 * * 1-5', 'Europe/Berlin');
    expect(preview).toEqual({
      valid: true,
      description: 'Weekdays (Monday to Friday) at 02:00',
      nextRuns: [
        '2026-05-05T00:00:00.000Z',
        '2026-05-06T00:00:00.000Z',
        '2026-05-07T00:00:00.000Z',
        '2026-05-08T00:00:00.000Z',
        '2026-05-11T00:00:00.000Z',
      ],
      effectiveTimeZone: 'Europe/Berlin',
    });
  });

  it.each([
    ['61 * * * *', 'UTC', 'invalid-cron'],
    ['every day', 'UTC', 'invalid-cron'],
    ['0 0 0 1 1 * 2030', 'UTC', 'invalid-cron'],
    ['0 2 * * *', 'Mars/Olympus', 'invalid-time-zone'],
    ['0 2 30 2 *', 'UTC', 'never-runs'],
    ['* * * * *', 'UTC', 'too-frequent'],
  ])('refuses %s in %s with %s, and saving it changes nothing', (cron, zone, code) => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    const preview = t.scheduler.preview(cron, zone);
    expect(preview.valid).toBe(false);
    expect(preview.error?.code).toBe(code);
    expect(preview.error?.message.length).toBeGreaterThan(20);
    expect(() => t.scheduler.save({ enabled: true, cron, timeZone: zone })).toThrow(expect.objectContaining({ code }));
    expect(t.scheduler.status()).toMatchObject({ enabled: false, cron: '0 2 * * *' });
  });

  it('leaves no timer behind when stopped', () => {
    const t = setup('2026-05-04T12:00:00Z', (c) => fakeSync(c));
    t.scheduler.save({ enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    t.scheduler.start();
    expect(t.clock.pending()).toBe(1);
    t.scheduler.stop();
    expect(t.clock.pending()).toBe(0);
  });
});
