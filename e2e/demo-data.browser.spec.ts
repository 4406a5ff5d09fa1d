import type { Page } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, openPage, settle, syncAndWait } from './sync-fixture';

/**
 * Issue 13, items 1 and 2: the demo tenant's data lives apart from the admin's (labelled DEMO, removed on leaving,
 * resettable from Settings), and Plan preview never shows a stale plan as current.
 */
test.use(onFixedClock);

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

/** Light, then dark, of what the page shows now. */
async function snapBoth(page: Page, name: string): Promise<void> {
  await settle(page);
  await snap(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page, 'dark');
  await snap(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await settle(page, 'light');
}

test('the demo’s directory and history are its own, labelled DEMO, and gone on leaving; yours show untouched', async ({
  page,
  host,
}) => {
  await installFixedClock(page);
  // The admin's own connection (no secret yet, so nothing calls Microsoft), put aside by the demo.
  const tenantId = '11111111-2222-4333-8444-555555555555';
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:saveDraft', {
    tenantId,
    clientId: '66666666-7777-4888-8999-aaaaaaaaaaaa',
    setup: { finished: true },
  });
  await invoke(page, host, 'connection:startDemo', { users: 20, groups: 3 });
  await invoke(page, host, 'connection:test', {});
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await syncAndWait(page, host, 'sync:runNow');

  await openPage(page, 'Directory');
  await expect(page.getByTestId('page-demo-label')).toContainText('The demo tenant’s own directory');
  await expect(page.getByText(/^The embedded directory the sync writes to\. 20 users/)).toBeVisible();
  await snapBoth(page, 'demo-data-directory');
  await openPage(page, 'History');
  await expect(page.getByTestId('page-demo-label')).toContainText('Runs of the demo tenant');

  await openSettings(page);
  await page.getByTestId('settings-demo').getByRole('button', { name: 'Leave the demo tenant' }).click();
  const leave = page.getByRole('alertdialog', { name: 'Leave the demo tenant?' });
  await expect(leave).toContainText('The demo’s directory, sync history and plans are removed from this computer');
  await expect(leave).toContainText('your own directory and history show again exactly as they were');
  await settle(page);
  await page.screenshot({ path: 'e2e-artifacts/demo-data-leave-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page, 'dark');
  await page.screenshot({ path: 'e2e-artifacts/demo-data-leave-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await leave.getByRole('button', { name: 'Leave the demo tenant' }).click();
  await expect(page.getByTestId('settings-connection')).toContainText(tenantId);

  // The admin's own state: an empty directory and history, no DEMO label anywhere.
  await openPage(page, 'Directory');
  await expect(page.getByText(/^The embedded directory the sync writes to\. 0 users/)).toBeVisible();
  await expect(page.getByTestId('page-demo-label')).toHaveCount(0);
  await openPage(page, 'History');
  await expect(page.getByTestId('page-demo-label')).toHaveCount(0);
  expect((await invoke<{ total: number }>(page, host, 'sync:runs', {})).total).toBe(0);
  await openPage(page, 'Dashboard');
  await expect(page.getByTestId('demo-label')).toHaveCount(0);
  await expectNoSeriousA11yIssues(page, 'dashboard after leaving the demo tenant');
});

test('Settings resets the embedded directory and history after a confirmation that says what goes', async ({ page, host }) => {
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
  await syncAndWait(page, host, 'sync:runNow');
  await openSettings(page);
  const section = page.getByTestId('settings-directory-reset');
  await expect(section).toContainText('DEMO');
  await section.getByRole('button', { name: 'Reset the directory and history…' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Reset the directory and history?' });
  await expect(ask).toContainText('every synced user, group and membership');
  await expect(ask).toContainText('every run in the sync history, dry runs included');
  await settle(page);
  await page.screenshot({ path: 'e2e-artifacts/demo-data-reset-dialog-light.png' });
  await ask.getByRole('button', { name: 'Reset the directory and history' }).click();
  await expect(section.getByText('Removed 20 users, 3 groups and 1 run of history.')).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await snapBoth(page, 'demo-data-reset-done');
  expect(await invoke(page, host, 'directory:summary')).toMatchObject({ users: 0, groups: 0, memberships: 0 });
  expect((await invoke<{ total: number }>(page, host, 'sync:runs', {})).total).toBe(0);
});

test('Plan preview marks a plan outdated when a sync ran or the settings changed, and the settings button runs a new dry run', async ({
  page,
  host,
}) => {
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
  await syncAndWait(page, host, 'sync:runNow');
  await openPage(page, 'Plan preview');
  await page.getByRole('button', { name: 'Run a dry run' }).click();
  const result = page.getByTestId('plan-result');
  await expect(result.getByRole('heading', { level: 2 })).toContainText(': 0 changes');
  await expect(page.getByRole('button', { name: 'Apply with Sync now' })).toBeEnabled();
  await expect(page.getByTestId('plan-outdated')).toHaveCount(0);

  // A sync elsewhere (the scheduler, another window): the shown plan is outdated at once.
  await syncAndWait(page, host, 'sync:runNow');
  const outdated = page.getByTestId('plan-outdated');
  await expect(outdated).toContainText('This plan is outdated');
  await expect(outdated).toContainText('A sync has run since.');
  await expect(result.getByRole('heading', { level: 2 })).toContainText('(outdated)');
  await expect(page.getByRole('button', { name: 'Apply with Sync now' })).toBeDisabled();
  await snapBoth(page, 'demo-data-plan-outdated');
  await outdated.getByRole('button', { name: 'Run a new dry run' }).click();
  await expect(outdated).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Apply with Sync now' })).toBeEnabled();

  // Change the username rule and preview it: a new dry run runs on the saved settings, and says why names change.
  await openPage(page, 'Sync settings');
  await page.getByRole('combobox', { name: 'Username from' }).click();
  await page.getByRole('option', { name: 'Mail nickname (mailNickname)' }).click();
  // The page asks the history for the latest dry run while it starts a new one; that answer can come after the new
  // run has finished and been shown (a fresh-clone CI saw it): hold it back until then, so the order is certain.
  const heading = result.getByRole('heading', { level: 2 });
  let heldBack = false;
  await page.route('**/api/invoke/sync%3Aruns', async (route) => {
    if (heldBack) return route.continue();
    heldBack = true;
    const answer = await route.fetch();
    await expect(heading).toContainText(': 20 changes');
    await route.fulfill({ response: answer });
  });
  const lateAnswer = page.waitForResponse((r) => r.url().endsWith('/api/invoke/sync%3Aruns'));
  await page.getByRole('button', { name: 'Preview the effect with a dry run' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plan preview' })).toBeVisible();
  await expect(heading).toContainText(': 20 changes');
  await lateAnswer;
  await page.unroute('**/api/invoke/sync%3Aruns');
  await expect(result.getByText(/username rule changed \(now from the mail nickname/).first()).toBeVisible();
  await expect(result.getByText(/Changed in Entra/)).toHaveCount(0);
  await expect(page.getByTestId('plan-outdated')).toHaveCount(0);
  await snapBoth(page, 'demo-data-plan-rule-changed');
  // Read once, not awaited into place: the late answer must not have put the earlier, outdated plan back.
  expect(await heading.textContent()).toContain(': 20 changes');
  expect(heldBack).toBe(true);

  // The settings changed again after that dry run: outdated, with the reason.
  const policy = await invoke<{ mapping: Record<string, unknown> }>(page, host, 'sync:getPolicy');
  await invoke(page, host, 'sync:savePolicy', { policy: { ...policy, mapping: { ...policy.mapping, username: 'upn' } } });
  await openPage(page, 'History');
  await openPage(page, 'Plan preview');
  await expect(page.getByTestId('plan-outdated')).toContainText('The settings changed since this dry run.');
  await expect(page.getByRole('button', { name: 'Apply with Sync now' })).toBeDisabled();
  await expectNoSeriousA11yIssues(page, 'plan preview, outdated');
});
