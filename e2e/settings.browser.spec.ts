import type { Page } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, openPage, settle } from './sync-fixture';
import { demoSecretFromVault, stepHeading } from './wizard-support';

/** A step heading inside the settings' connection editor (one level under the section). */
const editorStep = (page: Page, name: string) => page.getByRole('heading', { level: 3, name });

/** The colour scheme the app applied to the document (follows the theme setting). */
function appliedScheme(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { style: { colorScheme: string } } } }).document.documentElement
        .style.colorScheme,
  );
}

async function openSettings(page: Page): Promise<void> {
  // Exact: "Sync settings" is another page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

test.describe('settings', () => {
  test('edit the connection (a wrong secret keeps the working one), switch to dark, leave the demo tenant', async ({
    page,
    host,
  }) => {
    await openDashboardOnDemo(page, host, { users: 30, groups: 5 });
    await openSettings(page);
    const connection = page.getByTestId('settings-connection');
    await expect(page.getByTestId('settings-connection-health')).toHaveText('Working');
    await expect(page.getByTestId('settings-demo-label')).toHaveText('DEMO');
    await expect(connection).toContainText('Demo tenant (emulated on this computer)');
    await expect(page.getByTestId('settings-secret')).toContainText('••••••');
    await expect(page.getByTestId('settings-version')).toContainText('Entra Sync Assistant');
    await expect(page.getByTestId('settings-data-dir')).toContainText(host.dataDir);
    // The browser host keeps secrets in a plain file: said plainly.
    await expect(page.getByTestId('secret-storage-facts')).toContainText('not encrypted');
    await expect(page.getByTestId('demo-leave-text')).toContainText('reopens setup at step 4');
    await snap(page, 'settings-light');
    await expectNoSeriousA11yIssues(page, 'settings');

    // Edit: the wizard's values step, a wrong secret, the wizard's test panel failing.
    await connection.getByRole('button', { name: 'Edit connection' }).click();
    const editor = page.getByTestId('connection-editor');
    await expect(editorStep(page, 'Enter the values')).toBeFocused();
    await expect(page.getByTestId('connection-in-use-note')).toContainText('stays until the new values pass');
    await snap(page, 'settings-edit-values-light');
    await page.getByTestId('secret-input').fill('abc8Q~' + 'x'.repeat(34));
    await editor.getByRole('button', { name: 'Next: test the connection' }).click();
    await expect(editorStep(page, 'Test the connection')).toBeVisible();
    const panel = page.getByTestId('validation-panel');
    await expect(panel.getByRole('status')).toContainText('The connection does not work yet', { timeout: 30_000 });
    await expect(editor.getByRole('button', { name: 'Done' })).toBeDisabled();
    // Edit connection has sections, not numbered steps: the link names the section.
    await expect(editor.getByRole('button', { name: 'Go to Create a client secret' })).toBeVisible();
    await expect(editor.getByRole('button', { name: /Go to step/ })).toHaveCount(0);
    await expect(page.getByTestId('settings-connection-health')).toHaveText('Working');
    await snap(page, 'settings-edit-failed-light');
    await expectNoSeriousA11yIssues(page, 'settings, failed edit');

    // The working connection is still the one in use: the dashboard says so, and a sync would use it.
    await openPage(page, 'Dashboard');
    await expect(page.getByTestId('connection-card').getByText('Working', { exact: true })).toBeVisible();
    const inUse = await invoke<{ lastValidation?: { requiredPassed: boolean } }>(page, host, 'connection:get');
    expect(inUse.lastValidation?.requiredPassed).toBe(true);

    // Back in Settings the edit is still open (the secret is asked again); the right Value passes.
    await openSettings(page);
    await expect(editorStep(page, 'Enter the values')).toBeVisible();
    await expect(page.getByTestId('secret-input')).toHaveValue('');
    await page.getByTestId('secret-input').fill(demoSecretFromVault(host.dataDir));
    await editor.getByRole('button', { name: 'Next: test the connection' }).click();
    await expect(panel.getByRole('status')).toContainText('All checks passed', { timeout: 30_000 });
    await expect(page.getByTestId('connection-in-use-note')).toContainText('The new values are in use');
    await editor.getByRole('button', { name: 'Done' }).click();
    await expect(editor).toBeHidden();
    await expect(page.getByTestId('settings-last-validation')).toContainText('Working — tested just now');

    // Dark at once, without a reload, and saved.
    await page.getByRole('radio', { name: 'Dark', exact: true }).check();
    await expect.poll(() => appliedScheme(page)).toBe('dark');
    await expect.poll(async () => (await invoke<{ theme: string }>(page, host, 'app:getInfo')).theme).toBe('dark');
    await settle(page);
    await snap(page, 'settings-dark');
    await expectNoSeriousA11yIssues(page, 'settings, dark');
    await page.setViewportSize({ width: 900, height: 600 });
    await settle(page);
    await snap(page, 'settings-900x600-dark');
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    await expect.poll(() => appliedScheme(page)).toBe('light');
    await page.setViewportSize({ width: 1280, height: 860 });

    // Leave the demo tenant: no connection of one's own, so setup reopens at step 4 — after a confirmation.
    await page.getByRole('button', { name: 'Leave the demo tenant' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Leave the demo tenant?' });
    await expect(dialog).toContainText('reopens setup at step 4');
    await settle(page);
    // The viewport only: a full-page shot would show the dialog's backdrop over the first screen alone.
    await page.screenshot({ path: 'e2e-artifacts/settings-leave-demo-light.png' });
    await dialog.getByRole('button', { name: 'Leave the demo tenant' }).click();
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    await expect(page.getByText('DEMO tenant', { exact: true })).toHaveCount(0);
    await expect(page.getByTestId('tenant-input')).toHaveValue('');
    const left = await invoke<{ demo: boolean; tenantId: string; complete: boolean }>(page, host, 'connection:get');
    expect(left).toMatchObject({ demo: false, tenantId: '', complete: false });
    await expectNoSeriousA11yIssues(page, 'wizard after leaving the demo tenant');
  });

  test('choosing another provisioning model asks first, then opens the chooser', async ({ page, host }) => {
    await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
    await openSettings(page);
    await page.getByRole('button', { name: 'Choose another provisioning model' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Choose another provisioning model?' });
    await expect(dialog).toContainText('scheduled syncs keep running');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect((await invoke<{ model?: string }>(page, host, 'onboarding:get')).model).toBe('user-sync');

    await page.getByRole('button', { name: 'Choose another provisioning model' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Open the chooser' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    expect((await invoke<{ model?: string }>(page, host, 'onboarding:get')).model).toBeUndefined();
  });
});

test('trying the demo tenant from Settings keeps your own values aside and brings them back', async ({ page, host }) => {
  // A connection of the admin's own, not yet working (no secret), so nothing here ever calls Microsoft.
  const tenantId = '11111111-2222-4333-8444-555555555555';
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:saveDraft', {
    cloud: 'usgov',
    tenantId,
    clientId: '66666666-7777-4888-8999-aaaaaaaaaaaa',
    setup: { finished: true },
  });
  await page.reload();
  await openSettings(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByText('DEMO tenant', { exact: true })).toHaveCount(0);

  await page.getByTestId('settings-demo').getByRole('button', { name: 'Try with a demo tenant' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Switch to the demo tenant?' });
  await expect(ask).toContainText(`tenant ${tenantId}`);
  await expect(ask).toContainText('kept aside');
  await ask.getByRole('button', { name: 'Switch to the demo tenant' }).click();
  const demo = page.getByTestId('settings-demo');
  await expect(demo.getByTestId('validation-panel').getByRole('status')).toContainText('All checks passed', {
    timeout: 30_000,
  });
  // The DEMO labels follow at once: the navigation's and the page's.
  await expect(nav.getByText('DEMO tenant', { exact: true })).toBeVisible();
  await expect(page.getByTestId('settings-demo-label')).toHaveText('DEMO');
  await expect(page.getByTestId('settings-connection-health')).toHaveText('Working');
  await expect(page.getByTestId('demo-leave-text')).toContainText(`tenant ${tenantId}`);
  await snap(page, 'settings-demo-over-own-light');

  await demo.getByRole('button', { name: 'Leave the demo tenant' }).click();
  await page
    .getByRole('alertdialog', { name: 'Leave the demo tenant?' })
    .getByRole('button', { name: 'Leave the demo tenant' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('settings-connection')).toContainText(tenantId);
  await expect(page.getByTestId('settings-connection')).toContainText('US Government L4 (GCC High)');
  await expect(nav.getByText('DEMO tenant', { exact: true })).toHaveCount(0);
  await expect(page.getByTestId('settings-secret')).toContainText('Not saved');
  await expectNoSeriousA11yIssues(page, 'settings, own connection back');
});
