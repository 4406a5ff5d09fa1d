import { expect, snap, test } from './browser-host';
import { invoke, settle } from './sync-fixture';

/**
 * The dashboard before the connection works: no raw problem codes, a link that opens the connection setup (with the
 * focus on the opened page's heading), and a schedule that does not promise a run it cannot make.
 */
for (const scheme of ['light', 'dark'] as const) {
  test(`the dashboard without a working connection says what is missing and where to finish it (${scheme})`, async ({
    page,
    host,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    // Tenant and application entered, the secret never: the test records the inputs problem.
    await invoke(page, host, 'connection:test', {
      cloud: 'global',
      tenantId: '9f5f2d0c-1c1e-4d5a-9a0e-2b7c3e1f4b63 ',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    await invoke(page, host, 'schedule:save', { enabled: true, cron: '0 2 * * *', timeZone: 'UTC' });
    await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    const connection = page.getByTestId('connection-card');
    await expect(connection).toContainText('Problems: The values entered: no client secret entered.');
    await expect(connection).toContainText('Tenant 9f5f2d0c-1c1e-4d5a-9a0e-2b7c3e1f4b63 · App');
    await expect(page.locator('main')).not.toContainText('secret-missing');

    const schedule = page.getByTestId('schedule-card');
    await expect(schedule.getByText('Cannot run yet', { exact: true })).toBeVisible();
    await expect(schedule.getByTestId('schedule-stalled')).toHaveText(
      'No scheduled sync can run until the connection setup is finished: finish it, then the schedule runs as set.',
    );
    await expect(schedule.getByTestId('next-run')).toHaveCount(0);
    await settle(page, scheme);
    await snap(page, `dashboard-no-connection-${scheme}`);

    const sync = page.getByTestId('sync-card');
    await expect(sync).toContainText(
      'No sync can run yet: the connection is missing a value. Finish the connection setup to sync.',
    );
    await sync.getByRole('button', { name: 'Finish the connection setup' }).click();
    const heading = page.getByRole('heading', { level: 1, name: 'Settings' });
    await expect(heading).toBeFocused();
    await expect(page.getByTestId('connection-editor')).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Enter the values' })).toBeVisible();
    await expect(page.getByTestId('settings-connection')).not.toContainText('secret-missing');

    // A dashboard link to another page lands on that page's heading too.
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await schedule.getByRole('button', { name: 'Change the schedule' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Schedule' })).toBeFocused();
  });
}
