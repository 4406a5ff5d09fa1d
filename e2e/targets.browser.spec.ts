import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJiraEmulator, type RunningJiraEmulator } from '../electron/emulator/jira';
import { expect, snap, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { chooseTargetProduct, expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, openPage, settle } from './sync-fixture';

/**
 * Settings → Targets with the demo tenant and a demo Jira served over HTTPS with its own CA, as a Jira behind a
 * private certificate authority is: add the target with a wrong token first (the check says so, in words), fix it,
 * test it, save, dry-run into it, sync into it, and find the run in the history under that target.
 */
test.use(onFixedClock);

let jira: RunningJiraEmulator;
test.beforeEach(async () => {
  jira = await startJiraEmulator();
});
test.afterEach(async () => {
  await jira.close();
});

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

test('add a Jira target (a wrong token first), test it, dry-run and sync into it, see the run in its history', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000);
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 30, groups: 5 });
  const usersBefore = jira.control.users().length;
  await openSettings(page);

  const section = page.getByTestId('settings-targets');
  await expect(section.getByTestId('target-local')).toContainText('Embedded directory');
  await expect(section.getByTestId('target-local')).toContainText('Default');
  // "Add a target" offers the products this build syncs into.
  const form = page.getByTestId('target-form');
  await chooseTargetProduct(page, section.getByTestId('targets-add'), 'Jira Data Center', form);
  await expect(form.getByRole('heading', { name: 'Add a Jira Data Center target' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await form.getByRole('textbox', { name: 'Name' }).fill('Jira production');

  // The address is checked as it is typed: words and an example, before anything is sent.
  const url = page.getByTestId('target-url');
  await url.fill('jira.example.com/jira');
  await url.blur();
  await expect(form).toContainText('Start the address with https://');
  await url.fill(`${jira.info.baseUrl}/`);
  await expect(form).not.toContainText('Start the address with https://');

  // A wrong token, the private CA pasted.
  await page.getByTestId('target-token').fill('not-the-token');
  await expect(page.getByTestId('target-token')).toHaveAttribute('type', 'password');
  await page.getByTestId('target-use-ca').check();
  await page.getByTestId('target-ca').fill(jira.info.caCertPem);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByTestId('target-verdict')).toContainText('The connection does not work yet');
  const tokenCheck = form.getByTestId('check-token');
  await expect(tokenCheck).toHaveAttribute('data-status', 'fail');
  await expect(tokenCheck).toContainText('Jira did not accept the token: it is expired, revoked or mistyped');
  await expect(tokenCheck).toContainText('How to fix it:');
  await expect(tokenCheck.getByRole('link', { name: 'Personal access tokens' })).toBeVisible();
  await expect(tokenCheck).not.toContainText('AUTHENTICATED_FAILED');
  await expect(form.getByTestId('check-tls')).toHaveAttribute('data-status', 'pass');
  await expect(form.getByTestId('check-admin')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('target-save')).toBeDisabled();
  await expect(page.getByTestId('target-save-anyway')).toBeVisible();
  await settle(page);
  await snap(page, 'targets-token-failed-light');
  await expectNoSeriousA11yIssues(page, 'targets, failed test');

  // Another tab with the form half done asks first; Stay keeps every value typed.
  await openPage(page, 'Dashboard');
  const leave = page.getByRole('alertdialog', { name: 'You have unsaved changes' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Stay' }).click();
  await expect(leave).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveValue('Jira production');
  await expect(page.getByTestId('target-token')).toHaveValue('not-the-token');
  await expect(page.getByTestId('target-ca')).toHaveValue(jira.info.caCertPem);

  // The right token: every check passes, then Save. By keyboard: Enter on Test connection keeps the focus there
  // (not on the page's body), so Tab reaches Save next.
  await page.getByTestId('target-token').fill(jira.info.adminToken);
  await expect(form).toContainText('The values changed since the last test');
  await expect(page.getByTestId('target-save')).toBeDisabled();
  const testButton = form.getByRole('button', { name: 'Test connection' });
  await testButton.focus();
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('target-verdict')).toContainText('All checks passed');
  await expect(testButton).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('target-save')).toBeFocused();
  for (const id of ['reachable', 'tls', 'token', 'admin', 'apis', 'rate-limit'])
    await expect(form.getByTestId(`check-${id}`)).toHaveAttribute('data-status', 'pass');
  await settle(page);
  await snap(page, 'targets-test-passed-light');
  await page.getByTestId('target-save').click();
  await expect(form).toBeHidden();
  const row = section.getByRole('listitem', { name: 'Jira production' });
  await expect(row).toContainText(jira.info.baseUrl);
  await expect(row).toContainText(`Personal access token ••••${jira.info.adminToken.slice(-4)}`);
  await expect(row).toContainText('Test passed just now');
  await expect(row).toContainText('No sync yet');
  await expect(page.locator('body')).not.toContainText(jira.info.adminToken);

  // A dry run into Jira: planned, nothing written.
  await openPage(page, 'Plan preview');
  await page.getByTestId('plan-target').click();
  await page.getByRole('option', { name: 'Jira production' }).click();
  await expect(page.getByText('No plan yet')).toBeVisible();
  await page.getByRole('button', { name: 'Run a dry run' }).click();
  const plan = page.getByTestId('plan-result');
  await expect(plan).toContainText('Into Jira production', { timeout: 60_000 });
  await expect(plan.getByRole('heading', { level: 2 })).toContainText('Dry run of');
  expect(jira.control.users().length).toBe(usersBefore);

  // Sync now applies it to Jira and opens the run.
  await page.getByRole('button', { name: 'Apply with Sync now' }).click();
  await expect(page.getByText('Succeeded').first()).toBeVisible({ timeout: 60_000 });
  await expect(
    page
      .locator('dd, td, div')
      .filter({ hasText: /^Jira production$/ })
      .first(),
  ).toBeVisible();
  expect(jira.control.users().length).toBeGreaterThan(usersBefore);

  // The history names the target of every run.
  await openPage(page, 'History');
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.getByTestId('run-target')).toHaveText(['Jira production', 'Jira production']);
  await settle(page);
  await snap(page, 'targets-history-light');
  await expectNoSeriousA11yIssues(page, 'history with a Jira target');

  // Dark: the targets list and the history.
  await openSettings(page);
  await page.getByRole('radio', { name: 'Dark', exact: true }).check();
  await settle(page, 'dark');
  await expect(section.getByRole('listitem', { name: 'Jira production' })).toContainText('Last sync');
  await snap(page, 'targets-settings-dark');
  await expectNoSeriousA11yIssues(page, 'targets, dark');
  await section.getByRole('button', { name: 'Edit Jira production' }).click();
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByTestId('target-verdict')).toContainText('All checks passed');
  await settle(page, 'dark');
  await snap(page, 'targets-form-dark');
  await expectNoSeriousA11yIssues(page, 'target form, dark');
  // A changed name asked about on the way out; Discard leaves the target as it was.
  await form.getByRole('textbox', { name: 'Name' }).fill('Jira renamed');
  await openPage(page, 'History');
  await page.getByRole('alertdialog', { name: 'You have unsaved changes' }).getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await expect(page.getByTestId('run-target').first()).toHaveText('Jira production');
  await settle(page, 'dark');
  await snap(page, 'targets-history-dark');

  // The token is in the target vault only: not in the settings, the logs, the databases or the app's own vault.
  const files = readdirSync(host.dataDir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name !== 'target-secrets.json')
    .map((f) => join(f.parentPath, f.name));
  expect(files.length).toBeGreaterThan(2);
  for (const file of files) expect(readFileSync(file).toString('latin1'), file).not.toContain(jira.info.adminToken);
});

test('after the wizard’s first sync, “Where should users go?” adds the demo Jira beside the demo tenant', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await installFixedClock(page);
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:startDemo', { users: 20, groups: 3 });
  await invoke(page, host, 'connection:test', {});
  await invoke(page, host, 'connection:saveDraft', {
    setup: { step: 'first-sync', completed: ['register', 'permission', 'secret', 'values', 'test', 'schedule'] },
  });
  // A target set up before this run of the wizard (as after leaving the demo and setting up again).
  await invoke(page, host, 'targets:save', {
    product: 'jira',
    name: 'My Jira',
    baseUrl: jira.info.baseUrl,
    token: jira.info.adminToken,
    caCertPem: jira.info.caCertPem,
  });
  await page.reload();
  await page.getByRole('button', { name: 'Start the dry run' }).click();
  await expect(page.getByTestId('dry-run-result')).toContainText('changes planned', { timeout: 60_000 });
  await expect(page.getByTestId('where-users-go')).toBeHidden();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-result')).toContainText('The first sync is done', { timeout: 60_000 });

  const card = page.getByTestId('where-users-go');
  await expect(card.getByRole('heading', { name: 'Where should users go?' })).toBeVisible();
  // One button adds every demo product the build has, Jira first.
  // "Added" is only what this step added; the target there before is "already set up".
  const done = card.getByTestId('where-users-go-done');
  await expect(done).toContainText('My Jira already set up');
  await expect(done).not.toContainText('added');
  const addDemo = card.getByRole('button', { name: /^Add the demo Jira/ });
  await addDemo.click();
  await expect(done).toContainText(/Demo Jira.* added/);
  await expect(done).not.toContainText(/My Jira[^.]* added/);
  await expect(done).toContainText('My Jira already set up.');
  await expect(addDemo).toBeHidden();
  // At 1280 px the names wrap inside the green box instead of running past it.
  const overflow = await done.evaluate((bar) => {
    const text = document.createRange();
    text.selectNodeContents(bar);
    return text.getBoundingClientRect().right - bar.getBoundingClientRect().right;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await settle(page);
  await snap(page, 'targets-wizard-where-users-go-light');
  await expectNoSeriousA11yIssues(page, 'wizard, where should users go');
  // The Jira form is the same as in Settings → Targets.
  const opener = card.getByRole('button', { name: 'Add a target' });
  await chooseTargetProduct(page, opener, 'Jira Data Center', card.getByTestId('target-form'));
  await expect(card.getByTestId('target-token')).toHaveAttribute('type', 'password');

  // Typed values are asked about before another step opens: Stay keeps them; Save tests them, saves and moves on.
  await card.getByTestId('target-url').fill('https://jira.example.com/jira');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  const leave = page.getByRole('alertdialog', { name: 'You have unsaved changes' });
  await expect(leave).toBeVisible();
  await settle(page);
  await snap(page, 'targets-wizard-leave-asks-light');
  await leave.getByRole('button', { name: 'Stay' }).click();
  await expect(leave).toBeHidden();
  await expect(card.getByTestId('target-url')).toHaveValue('https://jira.example.com/jira');
  await card.getByRole('textbox', { name: 'Name' }).fill('Jira from the wizard');
  await card.getByTestId('target-url').fill(jira.info.baseUrl);
  await card.getByTestId('target-token').fill(jira.info.adminToken);
  await card.getByTestId('target-use-ca').check();
  await card.getByTestId('target-ca').fill(jira.info.caCertPem);
  // A save the service refuses (My Jira already syncs into this address) keeps the admin here with the reason.
  await page.getByTestId('step-link-schedule').click();
  await leave.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByTestId('target-error')).toContainText('already syncs into');
  await expect(page.getByRole('heading', { level: 2, name: /First sync$/ })).toBeVisible();
  const mine = await invoke<{ targets: { id: string; name: string }[] }>(page, host, 'targets:list');
  await invoke(page, host, 'targets:remove', { id: mine.targets.find((t) => t.name === 'My Jira')!.id });
  await page.getByTestId('step-link-schedule').click();
  await leave.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Schedule$/ })).toBeVisible({ timeout: 30_000 });
  await expect(card).toBeHidden();
  const saved = await invoke<{ targets: { name: string }[] }>(page, host, 'targets:list');
  expect(saved.targets.map((t) => t.name)).toContain('Jira from the wizard');
});
