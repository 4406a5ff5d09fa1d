import type { Page } from '@playwright/test';
import { expect, snap, test, type PreviewHost } from './browser-host';
import { fixedNow, installFixedClock, onFixedClock } from './fixed-clock';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, settle } from './sync-fixture';

test.describe('dashboard', () => {
  test('Sync now shows progress and ends with the counts; connection, secret expiry and schedule are shown', async ({
    page,
    host,
  }) => {
    // Every answer of the demo tenant takes 100 ms, so the sync runs long enough to be seen running (it finished
    // before Cancel could be seen once on a fast CI machine).
    await openDashboardOnDemo(page, host, { users: 2000, groups: 80, latencyMs: 100 });
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
    await settle(page, 'dark');
    await snap(page, 'dashboard-after-sync-dark');
    await expectNoSeriousA11yIssues(page, 'dashboard, dark');

    // The smallest window the app supports.
    await page.setViewportSize({ width: 900, height: 600 });
    await settle(page);
    await snap(page, 'dashboard-900x600-dark');
  });

  test('a sync can be cancelled from the dashboard', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 5000, groups: 300, latencyMs: 100 });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-progress')).toBeVisible();
    await page.screenshot({ path: 'e2e-artifacts/dashboard-sync-progress-light.png' });
    await page.getByRole('button', { name: 'Cancel sync' }).click();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Cancelled', { timeout: 60_000 });
    // One true sentence, whether the cancel came before or during the apply; nothing that contradicts it.
    const oneSentence =
      /^The sync was cancelled (before any change was applied\. Run it again when you are ready\.|after [\d,]+ of [\d,]+ changes? (was|were) applied; they are kept\. Run it again to apply the rest\.)$/;
    const counts = page.getByTestId('last-sync-counts');
    await expect(counts).toHaveText(oneSentence);
    const card = page.getByTestId('sync-card');
    await expect(card).not.toContainText('already matched');
    await expect(card.getByTestId('error-help')).toHaveCount(0);
    const sentence = await counts.innerText();
    await card.getByRole('button', { name: 'Details' }).click();
    await expect(page.getByTestId('cancelled-run')).toHaveText(sentence);
    await expect(page.getByText('Why it stopped')).toHaveCount(0);
    await snap(page, 'run-details-cancelled-light');
  });
});

/**
 * The secret's countdown on a clock the test controls (services and page at 09:30 in Auckland, see fixed-clock.ts):
 * the card, the banner and the reminder toast say the same number of days, in colours that pass contrast.
 */
test.describe('dashboard: the secret countdown on a fixed clock', () => {
  // Reduced motion: toasts are on screen at their final colours for the screenshots and the scans.
  test.use({ ...onFixedClock, reducedMotion: 'reduce' });

  /** The demo tenant starts again with a secret ending in `days`: the reminder arrives while the page is open. */
  async function secretEndsIn(page: Page, host: PreviewHost, days: number) {
    await invoke(page, host, 'connection:stopDemo');
    await invoke(page, host, 'connection:startDemo', { users: 20, groups: 3, secretExpiresInDays: days });
    return page.locator('[data-testid^="notification-secret-expiry-"]');
  }

  test('a year-old secret reads 365 days left on the card and in the live test', async ({ page, host }) => {
    await installFixedClock(page);
    await openDashboardOnDemo(page, host, { users: 20, groups: 3, secretExpiresInDays: 365 });
    await expect(page.getByTestId('expiry-countdown')).toHaveText('365 days left');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'ok');
    const report = await invoke<{ checks: { id: string; message: string }[]; secret: { daysLeft: number } }>(
      page,
      host,
      'connection:test',
      {},
    );
    expect(report.secret.daysLeft).toBe(365);
    expect(report.checks.find((c) => c.id === 'expiry')?.message).toContain('(365 days left)');
  });

  test('within 30 days the countdown is amber, with the banner and toast saying the same days', async ({ page, host }) => {
    await installFixedClock(page);
    await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
    const toast = await secretEndsIn(page, host, 20);
    await expect(toast).toContainText('The client secret expires in 20 days');
    const card = page.getByTestId('expiry-card');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'amber');
    await expect(page.getByTestId('expiry-tone')).toHaveText('Expires soon');
    await expect(page.getByTestId('expiry-countdown')).toHaveText('20 days left');
    const banner = page.getByTestId('expiry-banner');
    await expect(banner).toHaveAttribute('data-level', 'soon');
    await expect(banner).toContainText('The client secret expires in 20 days');
    await expect(card.getByRole('button', { name: 'Rotate the secret: step by step' })).toBeVisible();
    // A schedule far enough away never fires during the test.
    await invoke(page, host, 'schedule:save', { enabled: true, cron: '0 2 1 1 *', timeZone: 'UTC' });
    const schedule = page.getByTestId('schedule-card');
    await expect(schedule.getByTestId('next-run')).toContainText(/^in /);
    // The time is told in the zone it is labelled with, not in the page's (Auckland).
    const year = fixedNow.getUTCFullYear();
    const next = fixedNow.getTime() < Date.UTC(year, 0, 1, 2) ? year : year + 1;
    await expect(schedule).toContainText(`Jan 1, ${next}, 2:00 AM (UTC)`);
    await snap(page, 'dashboard-expiry-amber-light');
    await expectNoSeriousA11yIssues(page, 'the dashboard, secret amber');

    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page, 'dark');
    await snap(page, 'dashboard-expiry-amber-dark');
    await expectNoSeriousA11yIssues(page, 'the dashboard, secret amber, dark');
  });

  test('within 7 days it is red; the toast says so too and the rotation steps are a click away', async ({ page, host }) => {
    await installFixedClock(page);
    await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
    const toast = await secretEndsIn(page, host, 3);
    await expect(toast).toContainText('The client secret expires in 3 days');
    const card = page.getByTestId('expiry-card');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'red');
    await expect(page.getByTestId('expiry-countdown')).toHaveText('3 days left');
    await expect(page.getByTestId('expiry-banner')).toHaveAttribute('data-level', 'urgent');
    await expect(page.getByTestId('expiry-banner')).toContainText('The client secret expires in 3 days');
    await snap(page, 'dashboard-expiry-red-light');
    await expectNoSeriousA11yIssues(page, 'the dashboard, secret red');

    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page, 'dark');
    await snap(page, 'dashboard-expiry-red-dark');
    await expectNoSeriousA11yIssues(page, 'the dashboard, secret red, dark');
    await card.getByRole('button', { name: 'Rotate the secret: step by step' }).click();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Dashboard');
  });

  test('an expired secret is red and says how long ago', async ({ page, host }) => {
    await installFixedClock(page);
    await openDashboardOnDemo(page, host, { users: 20, groups: 3, secretExpiresInDays: -2 });
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'red');
    await expect(page.getByTestId('expiry-tone')).toHaveText('Expired');
    await expect(page.getByTestId('expiry-countdown')).toHaveText('Expired 2 days ago');
    await expect(page.getByTestId('expiry-banner')).toHaveAttribute('data-level', 'expired');
    await expectNoSeriousA11yIssues(page, 'the dashboard, secret expired');
  });
});
