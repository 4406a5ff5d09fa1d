import type { Page } from '@playwright/test';
import { expect, snap, test, type PreviewHost } from './browser-host';
import { invoke } from './sync-fixture';
import { demoSecretFromVault, expectAccessible, stepHeading } from './wizard-support';

/** Opens the wizard on its test step against a demo tenant started with `demo` options (through the contract). */
async function openTestStep(page: Page, host: PreviewHost, demo: object) {
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:startDemo', { users: 40, groups: 6, ...demo });
  await invoke(page, host, 'connection:saveDraft', {
    setup: { step: 'test', completed: ['register', 'permission', 'secret', 'values'] },
  });
  await page.reload();
  await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test(`the validation panel: a failing configuration, then a passing one (${theme})`, async ({ page, host }) => {
    test.setTimeout(120_000);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    await page.emulateMedia({ colorScheme: theme });
    // A demo tenant whose app has no admin consent: the classic "added the permission, forgot to grant consent".
    await openTestStep(page, host, { consent: false });
    const panel = page.getByTestId('validation-panel');
    await expect(panel.getByText('Not tested yet')).toBeVisible();
    await panel.getByRole('button', { name: 'Test connection' }).click();

    await expect(panel.getByText('The connection does not work yet')).toBeVisible({ timeout: 30_000 });
    const permission = panel.getByTestId('check-permission');
    await expect(permission).toHaveAttribute('data-status', 'fail');
    await expect(permission.getByText('Failed', { exact: true })).toBeVisible();
    await expect(permission).toContainText('How to fix it:');
    await expect(permission.getByRole('link', { name: /API permissions/ })).toHaveAttribute('href', /\/CallAnAPI\/appId\//);
    for (const id of ['inputs', 'tenant', 'app', 'secret']) {
      await expect(panel.getByTestId(`check-${id}`)).toHaveAttribute('data-status', 'pass');
    }
    for (const id of ['users', 'groups']) {
      await expect(panel.getByTestId(`check-${id}`)).toHaveAttribute('data-status', 'skipped');
      await expect(panel.getByTestId(`check-${id}`)).toContainText('Skipped:');
    }
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await expectAccessible(page, `failing validation panel (${theme})`);
    await snap(page, `validation-failing-${theme}`);

    // Copy diagnostics: the report with the verdicts, and not the secret.
    await panel.getByRole('button', { name: 'Copy diagnostics' }).click();
    await expect(panel.getByText('Diagnostics copied, with the secret removed.')).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Copy diagnostics again (copied)' })).toHaveText('Copied');
    const copied = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(copied).toContain('[FAIL] Directory.Read.All with admin consent (permission: consent-missing');
    expect(copied).not.toContain(demoSecretFromVault(host.dataDir));

    // Every failure links back to the step that fixes it.
    await permission.getByRole('button', { name: 'Go to step 2: Add the permission' }).click();
    await expect(stepHeading(page, '2. Add the permission')).toBeVisible();

    // The passing configuration: the demo tenant as it comes (consent granted), from the values step.
    const nav = page.getByRole('navigation', { name: 'Setup steps' });
    await nav.getByRole('button', { name: /4\. Enter the values/ }).click();
    await page.getByRole('button', { name: 'Leave the demo tenant' }).click();
    await expect(page.getByTestId('tenant-input')).toHaveValue('');
    await page.getByRole('button', { name: 'Try with a demo tenant' }).click();
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId('check-permission')).toHaveAttribute('data-status', 'pass');
    await expect(panel.getByTestId('check-groups')).toContainText('groups can be read, with their names');
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeEnabled();
    await expectAccessible(page, `passing validation panel (${theme})`);
    await snap(page, `validation-passing-${theme}`);
  });
}

test('the checks arrive one by one while the test runs', async ({ page, host }) => {
  // 400 ms per answer: the token, then the Graph reads, each visible as it lands.
  await openTestStep(page, host, { latencyMs: 400 });
  const panel = page.getByTestId('validation-panel');
  await panel.getByRole('button', { name: 'Test connection' }).click();
  await expect(panel.getByRole('button', { name: 'Testing…' })).toBeDisabled();
  await expect(panel.getByTestId('check-secret')).toHaveAttribute('data-status', 'running');
  await expect(panel.getByTestId('check-secret')).toHaveAttribute('data-status', 'pass');
  await expect(panel.getByTestId('check-users')).not.toHaveAttribute('data-status', 'pass');
  await expect(panel.getByText(/\d of 8 checks done/)).toBeVisible();
  await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
});

test('an expired secret fails at sign-in and points to Certificates & secrets', async ({ page, host }) => {
  await openTestStep(page, host, { secretExpiresInDays: -3 });
  const panel = page.getByTestId('validation-panel');
  await panel.getByRole('button', { name: 'Test connection' }).click();
  const secret = panel.getByTestId('check-secret');
  await expect(secret).toHaveAttribute('data-status', 'fail', { timeout: 30_000 });
  await expect(secret.getByRole('link', { name: 'Open Certificates & secrets' })).toHaveAttribute(
    'href',
    /\/Credentials\/appId\//,
  );
  await expect(secret.getByRole('button', { name: 'Go to step 3: Create a client secret' })).toBeVisible();
  // The reminder service reads the expiry from the saved connection: it says expired.
  const summary = await invoke<{ secretExpiry?: { expired: boolean } }>(page, host, 'connection:get');
  expect(summary.secretExpiry?.expired).toBe(true);
});

test('usable at 900 × 600: the test step with its panel', async ({ page, host }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await openTestStep(page, host, {});
  await page.getByTestId('validation-panel').getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('validation-panel').getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
      .document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, 'validation-passing-900x600');
});
