import type { Page } from '@playwright/test';
import { demoTargetStarters, type StartedDemoTarget } from '../electron/emulator/demo-targets';
import { targetProductInfo, type TargetProduct } from '../shared/targets';
import { expect, snap, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { chooseTargetProduct, expectNoSeriousA11yIssues, openDashboardOnDemo, openPage, settle } from './sync-fixture';

/**
 * Settings → Targets with Confluence and Bitbucket Data Center beside the demo tenant, each served over HTTPS with its
 * own CA as a product behind a private certificate authority is: each added through its own form (Confluence with a
 * personal access token; Bitbucket with an administrator's username and password and the choice of what "disable"
 * means there), tested, saved, and then one Sync now writes the tenant into both, each run in its history.
 */
test.use(onFixedClock);

const products = ['confluence', 'bitbucket'] as const satisfies readonly TargetProduct[];
const started = new Map<TargetProduct, StartedDemoTarget>();
test.beforeEach(async () => {
  for (const product of products) started.set(product, await demoTargetStarters[product]!());
});
test.afterEach(async () => {
  for (const s of started.values()) await s.close();
  started.clear();
});

async function addTarget(page: Page, product: TargetProduct, name: string) {
  const info = started.get(product)!.info;
  const section = page.getByTestId('settings-targets');
  const form = page.getByTestId('target-form');
  await chooseTargetProduct(page, section.getByTestId('targets-add'), targetProductInfo[product].label, form);
  await expect(form.getByRole('heading', { name: `Add a ${targetProductInfo[product].label} target` })).toBeVisible();
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByTestId('target-url').fill(info.baseUrl);
  if (info.username) await page.getByTestId('target-username').fill(info.username);
  await page.getByTestId('target-token').fill(info.secret);
  await page.getByTestId('target-use-ca').check();
  await page.getByTestId('target-ca').fill(info.caCertPem);
  return form;
}

test('add a Confluence and a Bitbucket target, test them, and one Sync now writes into both', async ({ page, host }) => {
  test.setTimeout(240_000);
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 30, groups: 5 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  const section = page.getByTestId('settings-targets');

  // Confluence: a personal access token; its rules in the form's words.
  let form = await addTarget(page, 'confluence', 'Confluence');
  await expect(form).toContainText('Confluence user names are lower case');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByTestId('target-verdict')).toContainText('All checks passed', { timeout: 60_000 });
  await settle(page);
  await snap(page, 'targets-confluence-tested-light');
  await page.getByTestId('target-save').click();
  await expect(form).toBeHidden();
  await expect(section.getByRole('listitem', { name: 'Confluence' })).toContainText('Confluence Data Center');

  // Bitbucket: username and password (its tokens cannot hold ADMIN), and what "disable" means there.
  form = await addTarget(page, 'bitbucket', 'Bitbucket');
  await expect(form).toContainText('HTTP access tokens cannot hold the global ADMIN permission');
  await expect(page.getByTestId('target-token')).toHaveAttribute('type', 'password');
  const disable = page.getByTestId('target-bitbucket-disable');
  await expect(
    disable.getByRole('radio', { name: /Remove the user from the groups that grant a Bitbucket licence/ }),
  ).toBeChecked();
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByTestId('target-verdict')).toContainText('All checks passed', { timeout: 60_000 });
  await settle(page);
  await snap(page, 'targets-bitbucket-tested-light');
  await expectNoSeriousA11yIssues(page, 'bitbucket target form');
  await page.getByTestId('target-save').click();
  await expect(form).toBeHidden();
  const bitbucketRow = section.getByRole('listitem', { name: 'Bitbucket' });
  await expect(bitbucketRow).toContainText(`Administrator username ${started.get('bitbucket')!.info.username}`);
  await expect(bitbucketRow).toContainText('disable removes the licence groups');
  await expect(page.locator('body')).not.toContainText(started.get('bitbucket')!.info.secret);
  await settle(page);
  await snap(page, 'targets-products-settings-light');

  // One Sync now: the embedded directory, Confluence and Bitbucket, each with its own run.
  await openPage(page, 'Dashboard');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('last-sync-status')).toHaveText('Succeeded', { timeout: 180_000 });
  // The last sync is the whole run, not the last target's row.
  await expect(page.getByTestId('last-sync-targets-summary')).toHaveText('All 3 targets succeeded');
  await openPage(page, 'History');
  const targets = page.getByTestId('run-row').getByTestId('run-target');
  await expect(targets).toHaveCount(3, { timeout: 60_000 });
  expect((await targets.allInnerTexts()).sort()).toEqual(['Bitbucket', 'Confluence', 'Embedded directory']);
  for (const status of await page.getByTestId('run-row').allInnerTexts()) expect(status).toContain('Succeeded');
  // Entra was read once for the three: its Graph requests are counted on one row, the other two say where.
  const requests = await page.getByTestId('run-row').getByTestId('run-graph-requests').allInnerTexts();
  expect(requests.filter((t) => / \(read shared by 3 targets\)$/.test(t))).toHaveLength(1);
  expect(requests.filter((t) => t === '0 (read counted on Embedded directory)')).toHaveLength(2);
  await settle(page);
  await snap(page, 'targets-products-history-light');
  // A run whose read was counted elsewhere says where, in its details.
  await page.getByTestId('run-row').filter({ hasText: 'Confluence' }).getByRole('button').click();
  await expect(page.getByRole('list', { name: 'Notes' })).toContainText(
    'Entra was read once for 3 targets; its Graph requests are counted on the run into Embedded directory, not again here.',
  );

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('settings-targets')).toBeVisible();
  await settle(page, 'dark');
  await snap(page, 'targets-products-settings-dark');
  await expectNoSeriousA11yIssues(page, 'targets with Confluence and Bitbucket, dark');
});
