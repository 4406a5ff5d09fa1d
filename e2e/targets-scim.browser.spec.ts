import { demoTargetStarters, type StartedDemoTarget } from '../electron/emulator/demo-targets';
import type { RunningAtlassianScim } from '../electron/emulator/scim';
import { expect, snap, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { chooseTargetProduct, expectNoSeriousA11yIssues, openDashboardOnDemo, openPage, settle } from './sync-fixture';

/**
 * Settings → Targets → SCIM 2.0 with the Atlassian Cloud preset, against the demo Atlassian Cloud user provisioning
 * API (HTTPS with its own CA, its rules: deactivated users hidden from lists, a single `eq` filter, pages of 100):
 * the form knows the preset's address, the test reads the service's configuration, and a sync provisions the tenant.
 */
test.use(onFixedClock);

let scim: StartedDemoTarget;
test.beforeEach(async () => {
  scim = await demoTargetStarters.scim!();
});
test.afterEach(async () => {
  await scim.close();
});

test('add a SCIM target with the Atlassian Cloud preset, test it and sync into it', async ({ page, host }) => {
  test.setTimeout(180_000);
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 30, groups: 5 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  const section = page.getByTestId('settings-targets');
  const form = page.getByTestId('target-form');
  await chooseTargetProduct(page, section.getByTestId('targets-add'), 'SCIM 2.0', form);
  await expect(form.getByRole('heading', { name: 'Add a SCIM 2.0 target' })).toBeVisible();

  // The preset: Atlassian Cloud, its address started for the admin, the directory id still to add.
  await expect(page.getByTestId('target-scim-preset').getByRole('radio', { name: /Atlassian Cloud/ })).toBeChecked();
  const url = page.getByTestId('target-url');
  await expect(url).toHaveValue('https://api.atlassian.com/scim/directory/');
  await url.focus();
  await url.blur();
  await expect(form).toContainText('Add your directory id after /scim/directory/');
  await url.fill(scim.info.baseUrl);
  await expect(form).not.toContainText('Add your directory id');
  await page.getByTestId('target-token').fill(scim.info.secret);
  await expect(page.getByTestId('target-token')).toHaveAttribute('type', 'password');
  await page.getByTestId('target-use-ca').check();
  await page.getByTestId('target-ca').fill(scim.info.caCertPem);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByTestId('target-verdict')).toContainText('All checks passed', { timeout: 60_000 });
  await settle(page);
  await snap(page, 'targets-scim-tested-light');
  await expectNoSeriousA11yIssues(page, 'scim target form');
  await page.getByTestId('target-save').click();
  await expect(form).toBeHidden();
  const row = section.getByRole('listitem', { name: 'Atlassian Cloud' });
  await expect(row).toContainText('SCIM 2.0 · Atlassian Cloud');
  await expect(page.locator('body')).not.toContainText(scim.info.secret);

  // A dry run into it, then Sync now from the plan.
  await openPage(page, 'Plan preview');
  await page.getByTestId('plan-target').click();
  await page.getByRole('option', { name: 'Atlassian Cloud' }).click();
  await page.getByRole('button', { name: 'Run a dry run' }).click();
  await expect(page.getByTestId('plan-result')).toContainText('Into Atlassian Cloud', { timeout: 60_000 });
  const cloud = scim.emulator as RunningAtlassianScim;
  const before = cloud.directory.listUsers(null).length;
  await page.getByRole('button', { name: 'Apply with Sync now' }).click();
  await expect(page.getByText('Succeeded').first()).toBeVisible({ timeout: 120_000 });
  expect(cloud.directory.listUsers(null).length).toBeGreaterThan(before);
  await settle(page);
  await snap(page, 'targets-scim-synced-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await openPage(page, 'History');
  await expect(page.getByTestId('run-target').first()).toHaveText('Atlassian Cloud');
  await settle(page, 'dark');
  await snap(page, 'targets-scim-history-dark');
  await expectNoSeriousA11yIssues(page, 'history with a SCIM target, dark');
});
