import type { Page } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues as expectAccessible } from './sync-fixture';

/** The schedule after setup: change it, pause and resume it, start at login; what the tray reads is the same status. */

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
    await expect(page.getByTestId('schedule-status')).toContainText('Off');
    await page.getByRole('switch', { name: /Scheduled synchronisation is/ }).check();
    await page.getByRole('radio', { name: 'Every 4 hours' }).check();
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await expect(page.getByTestId('cron-words')).toHaveText('Every 4 hours (00:00, 04:00, 08:00, 12:00, 16:00 and 20:00)');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    const status = page.getByTestId('schedule-status');
    await expect(status).toContainText('On');
    // The next run is shown in the schedule's zone: a multiple of 4 hours there.
    await expect(status).toContainText(/(12|4|8):00\s?[AP]M \(Europe\/Berlin\)/);
    await snap(page, `schedule-page-${scheme}`);
    await expectAccessible(page, 'the schedule page');

    await page.getByRole('button', { name: 'Pause the schedule' }).click();
    await expect(status).toContainText('Paused');
    expect((await invoke<{ paused: boolean; nextRunAt: string | null }>(page, host.origin, 'schedule:get')).nextRunAt).toBeNull();
    await page.getByRole('button', { name: 'Resume the schedule' }).click();
    await expect(status).toContainText('On');

    await page.getByRole('switch', { name: 'Start with the computer, in the tray (desktop app)' }).check();
    await expect
      .poll(async () => (await invoke<{ startAtLogin: boolean }>(page, host.origin, 'schedule:get')).startAtLogin)
      .toBe(true);

    // A bad expression says why and cannot be saved.
    await page.getByTestId('cron-input').fill('61 * * * *');
    await expect(page.getByText(/This is not a cron pattern the app understands/).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save the schedule' })).toBeDisabled();
  });
}
