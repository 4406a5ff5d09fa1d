import type { Page } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues as expectAccessible } from './sync-fixture';

/** The schedule after setup: change it, turn it off (paused) and on, start at login; the dashboard reads the same status. */

async function invoke<T>(page: Page, origin: string, channel: string, args?: unknown): Promise<T> {
  const response = await page.request.post(`${origin}/api/invoke/${encodeURIComponent(channel)}`, { data: { args } });
  const envelope = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.code} ${envelope.error?.message}`);
  return envelope.value as T;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the schedule page changes, pauses and resumes the schedule (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.goto(host.url);
    await invoke(page, host.origin, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await invoke(page, host.origin, 'connection:startDemo', {});
    await invoke(page, host.origin, 'connection:saveDraft', { setup: { finished: true } });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    await page.getByRole('tab', { name: 'Schedule' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Schedule' })).toBeVisible();
    const status = page.getByTestId('schedule-status');
    const onOff = page.getByRole('switch', { name: 'Scheduled synchronisation' });
    await expect(status).toContainText('Off');
    await expect(onOff).not.toBeChecked();
    // One on/off control, beside the state it changes: the form below has none of its own.
    await expect(page.getByRole('switch', { name: /Scheduled synchronisation is/ })).toHaveCount(0);
    await onOff.check();
    await expect(status.getByText('On', { exact: true })).toBeVisible();
    await expect(page.getByTestId('schedule-state-sentence')).toHaveText('On: syncs run at the times below.');
    await page.getByRole('radio', { name: 'Every 4 hours' }).check();
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await expect(page.getByTestId('cron-words')).toHaveText('Every 4 hours (00:00, 04:00, 08:00, 12:00, 16:00 and 20:00)');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(status).toContainText('On');
    // The next run is shown in the schedule's zone: a multiple of 4 hours there.
    await expect(status).toContainText(/(12|4|8):00\s?[AP]M \(Europe\/Berlin\)/);
    await snap(page, `schedule-page-${scheme}`);
    await expectAccessible(page, 'the schedule page');

    // Turning it off pauses it (as the tray does): the badge, the switch and its sentence agree, and so does the dashboard.
    await onOff.uncheck();
    await expect(status.getByText('Paused', { exact: true })).toBeVisible();
    await expect(onOff).not.toBeChecked();
    await expect(page.getByTestId('schedule-state-sentence')).toHaveText(
      'Paused: no scheduled sync runs until you turn it back on. Sync now still works.',
    );
    await expect(page.getByText('Scheduled synchronisation is on')).toHaveCount(0);
    const paused = await invoke<{ paused: boolean; enabled: boolean; nextRunAt: string | null }>(
      page,
      host.origin,
      'schedule:get',
    );
    expect(paused).toMatchObject({ paused: true, enabled: true, nextRunAt: null });
    await snap(page, `schedule-page-paused-${scheme}`);
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await expect(page.getByTestId('schedule-card')).toContainText('Paused: no scheduled sync runs until you turn it back on.');
    await page.getByRole('button', { name: 'Change the schedule' }).click();
    await expect(onOff).not.toBeChecked();
    await onOff.check();
    await expect(status.getByText('On', { exact: true })).toBeVisible();
    await expect(status).toContainText('(Europe/Berlin)');

    // The browser preview cannot start with the computer: the switch says so instead of pretending.
    const atLogin = page.getByRole('switch', { name: 'Start with the computer, in the tray' });
    await expect(atLogin).toBeDisabled();
    await expect(page.getByText('Only the desktop app can start with the computer.', { exact: false })).toBeVisible();

    // "Custom cron expression" can be chosen by clicking it, and hands over to the expression.
    await page.getByText('Custom cron expression').click();
    await expect(page.getByRole('radio', { name: 'Custom cron expression' })).toBeChecked();
    await expect(page.getByTestId('cron-input')).toBeFocused();

    // A bad expression says why and cannot be saved.
    await page.getByTestId('cron-input').fill('61 * * * *');
    await expect(page.getByText(/^The minute part “61” is not valid: use a number from 0 to 59/).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save the schedule' })).toBeDisabled();
  });
}
