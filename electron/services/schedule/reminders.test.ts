import { afterEach, describe, expect, it } from 'vitest';
import type { StoredSecretExpiry } from '../../../shared/contract/connection';
import type { ReminderStatus } from '../../../shared/contract/schedule';
import type { SettingsStore } from '../settings/settings-store';
import { FakeClock } from './fake-clock';
import { thresholdFor } from './reminder-policy';
import { createReminderService, type ReminderService } from './reminders';
import { recordingLogger, recordingNotifier, tempSettings, type TempSettings } from './test-support';

const hour = 3_600_000;
const day = 24 * hour;

let files: TempSettings | undefined;
let services: ReminderService[] = [];
afterEach(() => {
  for (const s of services) s.stop();
  services = [];
  files?.dispose();
  files = undefined;
});

function connect(settings: SettingsStore, hint: string, expiresAt: string | null, now: Date, expired = false): void {
  const secretExpiry: StoredSecretExpiry = {
    expiresAt,
    daysLeft: null,
    source: expiresAt ? 'graph' : 'unknown',
    candidates: [],
    checkedAt: now.toISOString(),
    secretHint: hint,
    expired,
  };
  settings.update((s) => ({
    ...s,
    connection: { ...s.connection, tenantId: 'tenant', clientId: 'app', secretHint: hint, secretStored: true, secretExpiry },
  }));
}

function setup(start: string) {
  files = tempSettings();
  const clock = new FakeClock(start);
  const notifier = recordingNotifier();
  const changes: ReminderStatus[] = [];
  /** Opens the settings file and a service on it: the app starting (again). */
  const boot = () => {
    const settings = files!.open(clock);
    const service = createReminderService({
      settings,
      clock,
      logger: recordingLogger(),
      notifier,
      onChange: (s) => void changes.push(s),
      timeZone: 'Europe/Berlin',
    });
    services.push(service);
    return { settings, service };
  };
  return { clock, notifier, changes, boot };
}

/** The reminder step of a notification id: 30, 14, 7, 3, 1, 0 or -1 (expired). */
const stepOf = (id: string) => Number(/-(-?\d+)$/.exec(id)?.[1]);

describe('reminders', () => {
  it('maps days left to thresholds', () => {
    expect([45, 31, 30, 15, 14, 8, 7, 4, 3, 2, 1, 0].map(thresholdFor)).toEqual([null, null, 30, 30, 14, 14, 7, 7, 3, 3, 1, 0]);
  });

  it('fires each threshold exactly once, at the moment it is reached, across daily restarts', async () => {
    const t = setup('2026-05-01T00:00:00Z');
    const expiresAt = '2026-06-30T12:00:00.000Z';
    const booted = t.boot();
    const { settings } = booted;
    let { service } = booted;
    connect(settings, 'abc••••••', expiresAt, t.clock.now());
    service.start();
    for (let i = 0; i < 62; i++) {
      await t.clock.advance(9 * hour);
      service.stop(); // quit and start again, twice a day, on the same settings file
      ({ service } = t.boot());
      service.start();
      await t.clock.advance(15 * hour);
    }
    const steps = t.notifier.sent.map((n) => stepOf(n.id));
    expect(steps).toEqual([30, 14, 7, 3, 1, 0, -1]);
    expect(t.notifier.sent.map((n) => n.title)).toEqual([
      'The client secret expires in 30 days',
      'The client secret expires in 14 days',
      'The client secret expires in 7 days',
      'The client secret expires in 3 days',
      'The client secret expires tomorrow',
      'The client secret expires today',
      'The client secret has expired',
    ]);
    expect(t.notifier.sent.every((n) => n.action === 'rotation')).toBe(true);
    expect(t.notifier.sent[5]?.body).toBe(
      'It expires on 2026-06-30 at 14:00. Create a new secret and replace it before then, or syncs will fail.',
    );
    expect(t.notifier.sent.at(-1)?.severity).toBe('error');
    expect(service.status()).toMatchObject({ level: 'expired', showBanner: true });
  });

  it('fires at the admin’s midnight when the day count crosses a threshold while running', async () => {
    const t = setup('2026-05-01T00:00:00Z');
    const { settings, service } = t.boot();
    connect(settings, 'abc••••••', '2026-05-14T12:00:00.000Z', t.clock.now()); // 13.5 days left
    service.start();
    expect(t.notifier.sent.map((n) => n.title)).toEqual(['The client secret expires in 13 days']);
    // Calendar days in Berlin: 7 days left from the local midnight starting 7 May (22:00 UTC the evening before).
    await t.clock.advanceTo('2026-05-06T21:59:59.999Z');
    expect(t.notifier.sent).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.notifier.sent).toHaveLength(2);
    expect(t.notifier.sent[1]?.title).toBe('The client secret expires in 7 days');
  });

  it('warns once, at the current threshold, after the laptop was off for a month', async () => {
    const t = setup('2026-05-01T00:00:00Z');
    const booted = t.boot();
    const { settings } = booted;
    let { service } = booted;
    connect(settings, 'abc••••••', '2026-06-30T12:00:00.000Z', t.clock.now());
    service.start();
    expect(t.notifier.sent).toHaveLength(0);
    service.stop();
    t.clock.sleep(55 * day); // off: 5 days left when it starts again
    ({ service } = t.boot());
    service.start();
    expect(t.notifier.sent.map((n) => n.title)).toEqual(['The client secret expires in 5 days']);
    expect(service.status()).toMatchObject({ level: 'urgent', threshold: 7, daysLeft: 5, showBanner: true });
    await t.clock.advance(3 * day);
    expect(t.notifier.sent.map((n) => stepOf(n.id))).toEqual([7, 3]);
  });

  it('snoozes the banner until the next threshold, across a restart; an expired secret cannot be snoozed', async () => {
    const t = setup('2026-05-01T00:00:00Z');
    const booted = t.boot();
    const { settings } = booted;
    let { service } = booted;
    connect(settings, 'abc••••••', '2026-05-14T00:00:00.000Z', t.clock.now()); // 13 days: threshold 14
    service.start();
    expect(service.status()).toMatchObject({ threshold: 14, showBanner: true, snoozed: false });
    expect(service.snooze()).toMatchObject({ threshold: 14, showBanner: false, snoozed: true });
    service.stop();
    ({ service } = t.boot());
    service.start();
    await t.clock.advance(5 * day); // 8 days left: still 14
    expect(service.status()).toMatchObject({ threshold: 14, showBanner: false });
    await t.clock.advance(day); // 7 days left
    expect(service.status()).toMatchObject({ threshold: 7, showBanner: true, snoozed: false });
    expect(t.notifier.sent.map((n) => stepOf(n.id))).toEqual([14, 7]);
    await t.clock.advance(8 * day);
    expect(service.status().level).toBe('expired');
    expect(() => service.snooze()).toThrow(expect.objectContaining({ code: 'cannot-snooze-expired' }));
    expect(t.changes.at(-1)?.level).toBe('expired');
  });

  it('moves the reminders to the new expiry after a rotation, and reminds to delete the old secret', async () => {
    const t = setup('2026-05-01T00:00:00Z');
    const { settings, service } = t.boot();
    connect(settings, 'old••••••', '2026-05-08T00:00:00.000Z', t.clock.now());
    service.start();
    expect(t.notifier.sent.map((n) => stepOf(n.id))).toEqual([7]);
    // The rotation stores the new secret; its validation records the new expiry for the new hint.
    const old = service.expiry();
    connect(settings, 'new••••••', '2027-05-01T00:00:00.000Z', t.clock.now());
    const status = service.recordReplaced({ hint: old.hint, expiresAt: old.expiresAt });
    expect(status).toMatchObject({ level: 'ok', threshold: null, showBanner: false, expiresAt: '2027-05-01T00:00:00.000Z' });
    expect(status.oldSecret).toMatchObject({ hint: 'old••••••', expiresAt: '2026-05-08T00:00:00.000Z' });
    expect(settings.get().reminders).toMatchObject({ expiresAt: '2027-05-01T00:00:00.000Z', fired: [] });
    // The old date passing is no longer a reminder; the new date's 30-day threshold is.
    await t.clock.advanceTo('2027-04-01T00:00:00.001Z');
    expect(t.notifier.sent.map((n) => n.title)).toEqual([
      'The client secret expires in 7 days',
      'The client secret expires in 30 days',
    ]);
    expect(t.notifier.sent[1]?.id).toContain('2027-05-01');
    expect(service.confirmOldDeleted().oldSecret).toBeNull();
  });

  it('ignores an expiry recorded for another secret, uses the manual date, and knows when nothing is set up', () => {
    const t = setup('2026-05-01T00:00:00Z');
    const { settings, service } = t.boot();
    expect(service.check()).toMatchObject({ configured: false, level: 'unknown', showBanner: false });
    connect(settings, 'abc••••••', '2026-05-03T00:00:00.000Z', t.clock.now());
    settings.update((s) => ({ ...s, connection: { ...s.connection, secretHint: 'xyz••••••' } }));
    expect(service.check()).toMatchObject({ configured: true, level: 'unknown', showBanner: true, source: 'unknown' });
    settings.update((s) => ({ ...s, connection: { ...s.connection, manualExpiresAt: '2026-08-01T00:00:00Z' } }));
    expect(service.check()).toMatchObject({ level: 'ok', source: 'manual', daysLeft: 92, showBanner: false });
    expect(t.notifier.sent).toHaveLength(0);
  });

  it('follows a date read again after a sync when it is newer than the last validation, for the same secret only', () => {
    const t = setup('2026-05-01T00:00:00Z');
    const { settings, service } = t.boot();
    connect(settings, 'abc••••••', '2026-05-05T00:00:00.000Z', new Date('2026-04-30T00:00:00Z'));
    expect(service.check()).toMatchObject({ threshold: 7, expiresAt: '2026-05-05T00:00:00.000Z' });
    const observed = (secretHint: string, checkedAt: string) =>
      settings.update((s) => ({
        ...s,
        reminders: { ...s.reminders, observed: { expiresAt: '2027-01-01T00:00:00.000Z', secretHint, checkedAt } },
      }));
    observed('xyz••••••', '2026-05-01T00:00:00.000Z');
    expect(service.check().expiresAt).toBe('2026-05-05T00:00:00.000Z');
    observed('abc••••••', '2026-04-29T00:00:00.000Z');
    expect(service.check().expiresAt).toBe('2026-05-05T00:00:00.000Z');
    observed('abc••••••', '2026-05-01T00:00:00.000Z');
    expect(service.check()).toMatchObject({ level: 'ok', expiresAt: '2027-01-01T00:00:00.000Z', source: 'graph' });
  });

  it('treats a secret Entra refused as expired even without a date', () => {
    const t = setup('2026-05-01T00:00:00Z');
    const { settings, service } = t.boot();
    connect(settings, 'abc••••••', null, t.clock.now(), true);
    const status = service.check();
    expect(status).toMatchObject({ level: 'expired', showBanner: true });
    expect(status.message).toContain('Entra refused it as expired');
    expect(t.notifier.sent).toHaveLength(1);
    expect(service.check()).toMatchObject({ level: 'expired' });
    expect(t.notifier.sent).toHaveLength(1);
  });
});
