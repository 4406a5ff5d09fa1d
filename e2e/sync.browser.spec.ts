import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, openPage, settle, syncAndWait } from './sync-fixture';

/** The contrast ratio of an element's text against its tile's own background (WCAG relative luminance). */
async function tileTextContrast(tile: Locator): Promise<number> {
  return tile.evaluate((button) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r = 0, g = 0, b = 0] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const label = button.lastElementChild ?? button;
    const [hi, lo] = [luminance(getComputedStyle(label).color), luminance(getComputedStyle(button).backgroundColor)].sort(
      (a, b) => b - a,
    );
    return (hi! + 0.05) / (lo! + 0.05);
  });
}

interface Paged<T> {
  items: T[];
  total: number;
}

test.describe('sync screens', () => {
  test('plan preview, apply, run details with filters and CSV/JSON export, history list', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 400, groups: 30 });
    await openPage(page, 'Plan preview');
    await expect(page.getByRole('heading', { level: 1, name: 'Plan preview' })).toBeVisible();
    await expect(page.getByText('No plan yet')).toBeVisible();

    await page.getByRole('button', { name: 'Run a dry run' }).click();
    const result = page.getByTestId('plan-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    const users = await result.getByTestId('count-create-user').getAttribute('aria-label');
    expect(users).toMatch(/^Create user: [1-9]/);
    await expect(result.getByText(/Read 400 users and 30 groups from Entra ID/)).toBeVisible();
    await expect(page.getByTestId('plan-item').first()).toBeVisible();
    // Nothing was changed by the dry run.
    expect((await invoke<{ users: number }>(page, host, 'directory:summary')).users).toBe(0);
    await snap(page, 'sync-plan-preview-light');
    await expectNoSeriousA11yIssues(page, 'plan preview');
    // A zero tile is disabled, which axe skips: its label is still read, so it keeps 4.5:1 in both themes.
    const zeroTile = result.getByTestId('count-delete-user');
    await expect(zeroTile).toBeDisabled();
    expect(await tileTextContrast(zeroTile)).toBeGreaterThanOrEqual(4.5);
    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page, 'dark');
    expect(await tileTextContrast(zeroTile)).toBeGreaterThanOrEqual(4.5);
    await snap(page, 'sync-plan-preview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await settle(page, 'light');

    // Filter by kind through the tiles: only groups are listed.
    await result.getByTestId('count-create-group').click();
    await expect(page.getByTestId('plan-item').first()).toContainText('Create group');
    const kinds = await page.getByTestId('plan-item').locator('td').first().allTextContents();
    expect(kinds.every((k) => k === 'Create group')).toBe(true);
    await expect(page.getByTestId('plan-item').first()).toContainText('name:');

    await page.getByRole('button', { name: 'Apply with Sync now' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sync run' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('run-status')).toHaveText('Succeeded');
    await expect(page.getByTestId('plan-item').first()).toContainText('Applied');

    // Only failed items: there are none.
    await page.getByRole('combobox', { name: 'Outcome' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    await expect(page.getByText('No items match.')).toBeVisible();
    await page.getByRole('combobox', { name: 'Outcome' }).click();
    await page.getByRole('option', { name: 'Any outcome' }).click();
    await expect(page.getByTestId('plan-item').first()).toBeVisible();
    await snap(page, 'sync-run-details-light');
    await expectNoSeriousA11yIssues(page, 'run details');

    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export this run as CSV' }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toMatch(/^sync-run-.*\.csv$/);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText.replace(/^\ufeff/, '').split('\r\n')[0]).toBe(
      'seq,kind,label,reason,outcome,errorCode,errorMessage,before,after,key',
    );
    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export this run as JSON' }).click();
    const json = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8')) as {
      run: { status: string };
      items: unknown[];
    };
    expect(json.run.status).toBe('succeeded');
    expect(json.items.length).toBe(csvText.trim().split('\r\n').length - 1);

    await page.getByRole('button', { name: 'All runs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await expect(page.getByTestId('run-row')).toHaveCount(2);
    await snap(page, 'sync-history-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('run-row').first().getByRole('button').click();
    await expect(page.getByTestId('run-status')).toHaveText('Succeeded');
    await snap(page, 'sync-run-details-dark');
  });

  test('directory: search, memberships, and keyboard scrolling to the last of 3,000 users', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 3000, groups: 120 });
    await syncAndWait(page, host, 'sync:runNow');
    const all = await invoke<Paged<{ username: string }>>(page, host, 'directory:users', { offset: 0, limit: 1 });
    const lastUser = await invoke<Paged<{ username: string }>>(page, host, 'directory:users', {
      offset: all.total - 1,
      limit: 1,
    });
    const someone = await invoke<Paged<{ username: string; groupCount: number }>>(page, host, 'directory:users', {
      offset: 1234,
      limit: 1,
    });

    await openPage(page, 'Directory');
    await expect(page.getByTestId('directory-total')).toHaveText(`${all.total.toLocaleString('en-US')} users`);
    const table = page.getByRole('grid', { name: 'Users' });
    // Only the rows in view exist in the page.
    expect(await table.getByTestId('directory-row').count()).toBeLessThan(80);
    await snap(page, 'sync-directory-light');
    await expectNoSeriousA11yIssues(page, 'directory');

    await table.focus();
    await page.keyboard.press('End');
    await expect(table.getByText(lastUser.items[0]!.username, { exact: true }).first()).toBeVisible();

    const name = someone.items[0]!.username;
    await page.getByRole('textbox', { name: /Search users/ }).fill(name);
    await expect(page.getByTestId('directory-total')).toContainText(`match “${name}”`);
    const row = table.getByTestId('directory-row').filter({ hasText: name }).first();
    await row.click();
    const panel = page.getByTestId('membership-panel');
    await expect(panel.getByRole('heading', { name })).toBeVisible();
    await expect(panel).toContainText(/Member of \d+ groups/);

    await page.getByRole('tab', { name: /^Groups/ }).click();
    await page.getByRole('textbox', { name: /Search groups/ }).fill('');
    const groups = page.getByRole('grid', { name: 'Groups' });
    await groups.getByTestId('directory-row').first().click();
    await expect(page.getByTestId('membership-panel')).toContainText(/\d+ members/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page, 'dark');
    await snap(page, 'sync-directory-groups-dark');
    await page.setViewportSize({ width: 900, height: 600 });
    await settle(page);
    await page.screenshot({ path: 'e2e-artifacts/sync-directory-900x600-dark.png' });
  });

  test('a wrong filter is held by the safety brake; the admin confirms once', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 300, groups: 20 });
    await syncAndWait(page, host, 'sync:runNow');
    const synced = await invoke<{ users: number; groups: number }>(page, host, 'directory:summary');
    const groups = await invoke<{ items: { id: string; displayName: string; memberCount: number | null }[] }>(
      page,
      host,
      'sync:tenantGroups',
      {
        search: '',
        limit: 500,
      },
    );
    const small = groups.items
      .filter((g) => g.memberCount !== null && g.memberCount > 0)
      .sort((a, b) => a.memberCount! - b.memberCount!)[0]!;

    await openPage(page, 'Sync settings');
    await page.getByRole('radio', { name: 'Only members of required groups' }).check();
    await page.getByRole('textbox', { name: 'Find a group of the tenant' }).fill(small.displayName);
    await page
      .getByRole('group', { name: 'Groups of the tenant' })
      .getByRole('checkbox', { name: new RegExp(`^${small.displayName}`) })
      .first()
      .check();
    await expect(page.getByRole('toolbar', { name: 'Chosen required groups' })).toContainText(small.displayName);
    // The group-name pattern typo behind issue 10: every synced group would be deleted.
    await page.getByRole('radio', { name: 'Groups whose name matches a pattern' }).check();
    await page.getByRole('textbox', { name: /pattern/i }).fill('jria-*');
    const limits = page.getByRole('region', { name: 'Groups deleted' });
    await expect(limits.getByRole('spinbutton', { name: 'Most groups a sync may delete', exact: true })).toHaveValue('5');
    await expect(limits).toContainText('Default: 5 groups');
    await expect(page.getByRole('region', { name: 'Memberships removed' })).toContainText('Default: 500 memberships');
    await expect(page.getByRole('region', { name: 'Users disabled or deleted' })).toContainText('Default: 10%');
    await snap(page, 'sync-settings-light');
    await expectNoSeriousA11yIssues(page, 'sync settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Saved. The next sync uses these settings.')).toBeVisible();

    await openPage(page, 'Dashboard');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Held by the safety brake', { timeout: 60_000 });
    const brake = page.getByTestId('safety-brake');
    await expect(brake).toContainText('nothing was changed');
    await expect(brake).toContainText(
      new RegExp(`This plan would disable \\d+ users and delete 0 users \\([\\d.]+% of ${synced.users} synced users\\)`),
    );
    await expect(brake).toContainText(
      `delete ${synced.groups} groups (100% of ${synced.groups} synced groups) and remove 0 memberships`,
    );
    await expect(brake).toContainText(
      `groups deleted: ${synced.groups} (100% of synced groups), more than the limits of 5 groups and 10%`,
    );
    await expect(brake).toContainText(
      /users disabled or deleted: \d+ \([\d.]+% of synced users\), more than the limits of 50 users and 10%/,
    );
    await expect(brake).not.toContainText('threshold-exceeded');
    await snap(page, 'sync-brake-light');
    await expectNoSeriousA11yIssues(page, 'dashboard with the safety brake');
    await page.emulateMedia({ colorScheme: 'dark' });
    await settle(page, 'dark');
    await snap(page, 'sync-brake-dark');

    await brake.getByRole('button', { name: 'Confirm and apply once…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(/The sync will disable \d+ users and delete 0 users/);
    await expect(dialog).toContainText(
      `delete ${synced.groups} groups (100% of ${synced.groups} synced groups) and remove 0 memberships`,
    );
    await expect(dialog).toContainText(/Limits crossed:\s*users disabled or deleted: \d+/);
    await expect(dialog).toContainText(
      `groups deleted: ${synced.groups} (100% of synced groups), more than the limits of 5 groups and 10%`,
    );
    await expect(dialog).not.toContainText('threshold-exceeded');
    await expectNoSeriousA11yIssues(page, 'brake confirmation dialog');
    await page.screenshot({ path: 'e2e-artifacts/sync-brake-confirm-dark.png' });
    await dialog.getByRole('button', { name: 'Apply the removals' }).click();
    await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(page.getByTestId('last-sync-counts')).toContainText('× disable user');
    await expect(page.getByTestId('last-sync-counts')).toContainText('× delete group');
  });
});
