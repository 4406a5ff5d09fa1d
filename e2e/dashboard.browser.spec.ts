import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, settle } from './sync-fixture';

test.describe('dashboard', () => {
  test('Sync now shows progress and ends with the counts; connection, secret expiry and schedule are shown', async ({
    page,
    host,
  }) => {
    await openDashboardOnDemo(page, host, { users: 2000, groups: 80 });
    await expect(page.getByTestId('demo-label')).toHaveText('DEMO');
    const connection = page.getByTestId('connection-card');
    await expect(connection.getByText('Working', { exact: false }).first()).toBeVisible();
    await expect(page.getByTestId('expiry-countdown')).toContainText('days left');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'ok');
    await expect(page.getByTestId('sync-card')).toContainText('No sync has run yet');
    await snap(page, 'dashboard-before-sync-light');

    await page.getByRole('button', { name: 'Sync now' }).click();
    const progress = page.getByTestId('sync-progress');
    await expect(progress).toBeVisible();
    await expect(page.getByRole('progressbar', { name: /Sync progress/ })).toBeAttached();
    await expect(page.getByRole('button', { name: 'Cancel sync' })).toBeVisible();

    await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(progress).toBeHidden();
    const summary = await invoke<{ users: number; groups: number; memberships: number }>(page, host, 'directory:summary');
    expect(summary.users).toBeGreaterThan(500);
    const counts = page.getByTestId('last-sync-counts');
    await expect(counts).toContainText(`${summary.users.toLocaleString('en-US')} × create user`);
    await expect(counts).toContainText(`${summary.groups.toLocaleString('en-US')} × create group`);
    await expect(counts).toContainText(`${summary.memberships.toLocaleString('en-US')} × add member`);
    await expect(page.getByTestId('recent-runs').getByRole('row')).toHaveCount(2);
    await snap(page, 'dashboard-after-sync-light');
    await expectNoSeriousA11yIssues(page, 'dashboard');

    // "Test again" runs the live checks against the demo tenant.
    await connection.getByRole('button', { name: 'Test again' }).click();
    await expect(connection.getByRole('status')).toContainText('All checks passed', { timeout: 30_000 });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded');
    await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
    await expect(connection.getByRole('button', { name: 'Test again' })).toBeEnabled();
    await settle(page);
    await snap(page, 'dashboard-after-sync-dark');
    await expectNoSeriousA11yIssues(page, 'dashboard, dark');

    // The smallest window the app supports.
    await page.setViewportSize({ width: 900, height: 600 });
    await settle(page);
    await snap(page, 'dashboard-900x600-dark');
  });

  test('a sync can be cancelled from the dashboard', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 5000, groups: 300 });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-progress')).toBeVisible();
    await page.screenshot({ path: 'e2e-artifacts/dashboard-sync-progress-light.png' });
    await page.getByRole('button', { name: 'Cancel sync' }).click();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Cancelled', { timeout: 60_000 });
    await expect(page.getByTestId('error-help')).toContainText('(cancelled)');
    await expect(page.getByTestId('error-help')).toContainText('What to do');
  });

  test('the secret countdown turns amber within 30 days', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 20, groups: 3, secretExpiresInDays: 20 });
    const card = page.getByTestId('expiry-card');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'amber');
    await expect(page.getByTestId('expiry-countdown')).toContainText(/^(19|20) days left$/);
    await expect(card.getByRole('button', { name: 'Rotate the secret: step by step' })).toBeVisible();
    // A schedule far enough away never fires during the test.
    await invoke(page, host, 'schedule:save', { enabled: true, cron: '0 2 1 1 *', timeZone: 'UTC' });
    const schedule = page.getByTestId('schedule-card');
    await expect(schedule.getByTestId('next-run')).toContainText(/^in /);
    await expect(schedule).toContainText('(UTC)');
    await snap(page, 'dashboard-expiry-amber-light');
  });

  test('the secret countdown is red within 7 days; the rotation steps are a click away', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 20, groups: 3, secretExpiresInDays: 3 });
    const card = page.getByTestId('expiry-card');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'red');
    await expect(page.getByTestId('expiry-countdown')).toContainText(/^(2|3) days?( \d+ h)? left$/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page);
    await snap(page, 'dashboard-expiry-red-dark');
    await card.getByRole('button', { name: 'Rotate the secret: step by step' }).click();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Dashboard');
  });
});
