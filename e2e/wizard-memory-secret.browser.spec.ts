import { startEmulator, type RunningEmulator } from '../electron/emulator';
import { expect, snap, test } from './browser-host';
import { invoke } from './sync-fixture';
import { expectAccessible, stepHeading } from './wizard-support';

/**
 * "Keep it only while the app runs": the secret entered in step 4 stays in the running app's memory, so a reload at
 * step 5 and "Test again" still use it; after the app restarts, the check asks to paste it again (not to create a
 * new one) and links to Enter the values. The tenant is an emulated one reached as Settings → Network's custom cloud,
 * so the connection is the admin's own, not the demo tenant's (whose secret is always stored).
 */
let emulator: RunningEmulator;

test.beforeEach(async () => {
  // The classic first try: the permission added, the admin consent not granted yet.
  emulator = await startEmulator({ users: 20, groups: 3, seed: 11, consent: false });
});

test.afterEach(async () => {
  await emulator.close();
});

for (const theme of ['light', 'dark'] as const) {
  test(`a secret kept only while the app runs survives a reload at step 5, and after a restart is asked for again (${theme})`, async ({
    page,
    host,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    const { info } = emulator;
    await page.goto(host.url);
    await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await invoke(page, host, 'network:save', {
      proxy: { mode: 'none', url: '', bypass: [] },
      caCertPem: info.caCertPem,
      customEndpoints: { authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, graphResource: '' },
    });
    await invoke(page, host, 'connection:saveDraft', {
      cloud: 'custom',
      setup: { step: 'values', completed: ['register', 'permission', 'secret'] },
    });
    await page.reload();

    // 4. The values, and "Keep it only while the app runs".
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    await page.getByTestId('tenant-input').fill(info.tenantId);
    await page.getByTestId('client-input').fill(info.clientId);
    await page.getByTestId('secret-input').fill(info.clientSecret);
    await page.getByRole('radio', { name: /Keep it only while the app runs/ }).check();
    await expect
      .poll(() => invoke<{ weakStorage: string }>(page, host, 'connection:get'))
      .toMatchObject({ weakStorage: 'declined' });
    await page.getByRole('button', { name: 'Next: test the connection' }).click();

    // 5. The secret is right; the consent is missing.
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    const panel = page.getByTestId('validation-panel');
    await expect(panel.getByText('The connection does not work yet')).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId('check-secret')).toHaveAttribute('data-status', 'pass');
    await expect(panel.getByTestId('check-permission')).toHaveAttribute('data-status', 'fail');

    // The consent is granted in the portal; the admin reloads the page and tests again: the running app has the secret.
    await emulator.control.grantConsent();
    await page.reload();
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    const hint = `${info.clientSecret.slice(0, 3)}••••••`;
    await expect(page.getByText(hint).first()).toBeVisible();
    await panel.getByRole('button', { name: 'Test again' }).click();
    await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId('check-inputs')).toHaveAttribute('data-status', 'pass');
    await expect(page.getByText('The secret is kept only while the app runs')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeEnabled();

    // Another reload: still there.
    await page.reload();
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    await panel.getByRole('button', { name: 'Test again' }).click();
    await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeEnabled();
    await expect(page.locator('body')).not.toContainText(info.clientSecret);

    // The app restarts: now the secret is really gone, and the check asks to paste it again.
    await host.restart();
    await page.goto(host.url);
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    await panel.getByRole('button', { name: /Test again|Test connection/ }).click();
    const inputs = panel.getByTestId('check-inputs');
    await expect(inputs).toHaveAttribute('data-status', 'fail', { timeout: 30_000 });
    await expect(inputs).toContainText('The client secret is no longer stored (you chose to keep it only while the app ran).');
    await expect(inputs).toContainText('Paste it again in Enter the values.');
    await expect(panel).not.toContainText(/create a new client secret/i);
    await expectAccessible(page, `secret gone after a restart (${theme})`);
    await snap(page, `wizard-5-secret-gone-${theme}`);
    await inputs.getByRole('button', { name: 'Go to step 4: Enter the values' }).click();
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    await expect(page.getByTestId('secret-input')).toHaveValue('');
  });
}
