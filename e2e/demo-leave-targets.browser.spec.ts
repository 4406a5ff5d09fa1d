import type { Page } from '@playwright/test';
import { expect, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { invoke, openDashboardOnDemo, settle } from './sync-fixture';

/**
 * Issue 12: Settings says where target tokens are kept (here, a container without a keychain: the owner-only file,
 * with its path), and leaving the demo tenant says, on the page and in the confirmation, that the demo Jira goes
 * with it — and it does.
 */
test.use(onFixedClock);

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

test('the vault sentence, and leaving the demo tenant names the demo Jira that goes with it', async ({ page, host }) => {
  test.setTimeout(120_000);
  await installFixedClock(page);
  await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
  const { name } = await invoke<{ name: string }>(page, host, 'targets:startDemoJira');
  await openSettings(page);

  const vault = page.getByTestId('targets-vault');
  await expect(vault).toContainText(
    /^No system keychain was found; tokens are kept in an owner-only file at .*target-secrets\.json \(not encrypted\)\./,
  );
  await vault.scrollIntoViewIfNeeded();
  await settle(page);
  await page.getByTestId('settings-targets').screenshot({ path: 'e2e-artifacts/targets-vault-light.png' });

  const goes = `The demo target “${name}” stops and is removed too, with its sync history`;
  await expect(page.getByTestId('demo-leave-text')).toContainText(goes);
  await page.getByTestId('settings-demo').getByRole('button', { name: 'Leave the demo tenant' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Leave the demo tenant?' });
  await expect(dialog).toContainText(goes);
  await expect(dialog).toContainText('targets you added yourself stay');
  await settle(page);
  await page.screenshot({ path: 'e2e-artifacts/demo-leave-targets-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page, 'dark');
  await page.screenshot({ path: 'e2e-artifacts/demo-leave-targets-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  await dialog.getByRole('button', { name: 'Leave the demo tenant' }).click();
  // No connection of one's own: setup reopens; the demo Jira is gone from the targets.
  await expect(dialog).toHaveCount(0);
  const left = await invoke<{ targets: { name: string; demo: boolean }[] }>(page, host, 'targets:list');
  expect(left.targets.filter((t) => t.demo)).toEqual([]);
});
