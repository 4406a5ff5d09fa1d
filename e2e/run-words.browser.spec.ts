import type { Page } from '@playwright/test';
import { expect, snap, test, type PreviewHost } from './browser-host';
import { invoke, openDashboardOnDemo, settle } from './sync-fixture';

/**
 * A run is labelled by what it did: the first real sync after the wizard's dry run reads only Entra's changes (none)
 * yet applies the whole plan, and its page says both without contradiction; an applied plan is never "would".
 */

async function finished(page: Page, host: PreviewHost, runId: string) {
  await expect
    .poll(async () => (await invoke<{ run: { status: string } }>(page, host, 'sync:run', { runId })).run.status, {
      timeout: 60_000,
    })
    .not.toBe('running');
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the first real sync after a dry run is told as what it did (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openDashboardOnDemo(page, host, { users: 30, groups: 4 });
    // The wizard's dry run reads everything and keeps Entra's delta links.
    const dry = await invoke<{ runId: string }>(page, host, 'sync:dryRun', { full: false });
    await finished(page, host, dry.runId);

    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded', { timeout: 60_000 });
    const card = page.getByTestId('sync-card');
    await expect(card).toContainText('changes since the last read');
    await expect(card).not.toContainText('changes only');
    await card.getByRole('button', { name: 'Details' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Sync run' })).toBeVisible();
    await expect(page.getByText('Read from Entra')).toBeVisible();
    await expect(page.getByText('Changes since the last read', { exact: true })).toBeVisible();
    const notes = page.getByRole('list', { name: 'Notes' });
    await expect(notes).toContainText(
      'Read only what changed in Entra since the last read: 0 users and 0 groups. The plan compares all of Entra, as last read, with the directory.',
    );
    await expect(notes).not.toContainText('Delta read');
    // The plan was applied: it is told as what was planned, not as what it "would" do.
    await expect(page.getByText(/Its plan was to disable 0 users and delete 0 users/)).toBeVisible();
    await expect(page.getByText(/It would disable/)).toHaveCount(0);
    await settle(page, scheme);
    await snap(page, `run-details-applied-${scheme}`);
  });
}
