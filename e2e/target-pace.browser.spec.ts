import { startJiraEmulator } from '../electron/emulator/jira';
import { expect, snap, test } from './browser-host';
import { invoke, openDashboardOnDemo, settle } from './sync-fixture';

/**
 * A Jira whose rate limit holds the sync back (4 requests per second here): while the sync writes to it, the progress
 * says how fast it goes and that Jira is what limits it, so a slow sync reads as Jira's rule, not as a hang.
 */
test('a rate-limited Jira: the progress says the pace and that Jira limits it', async ({ page, host }) => {
  test.setTimeout(180_000);
  const jira = await startJiraEmulator({ rateLimit: { limit: 4, fillRate: 4, intervalSeconds: 1 } });
  try {
    await openDashboardOnDemo(page, host, { users: 30, groups: 4 });
    const saved = await invoke<{ saved: boolean }>(page, host, 'targets:save', {
      name: 'Jira limited',
      baseUrl: jira.info.baseUrl,
      token: jira.info.adminToken,
      caCertPem: jira.info.caCertPem,
    });
    expect(saved.saved).toBe(true);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const progress = page.getByTestId('sync-progress');
    await expect(progress).toContainText(/\d+ requests?\/s, limited by Jira/, { timeout: 90_000 });
    // Which target this part of the run writes to.
    await expect(progress).toContainText('Jira limited: Applying changes');
    await settle(page);
    await snap(page, 'target-pace-progress-light');
    await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded', { timeout: 150_000 });
    expect(jira.control.users().length).toBeGreaterThan(30);
  } finally {
    await jira.close();
  }
});
