import { expect, snap, test } from './browser-host';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoSeriousA11yIssues, invoke, settle } from './sync-fixture';
import { demoSecretFromVault, stepHeading } from './wizard-support';

/**
 * "Create it for me" on the demo tenant (which approves the admin sign-in as its Global Administrator): the plan,
 * the five steps, and the wizard going on at the schedule step with the new application as the connection; then
 * "Rotate the secret for me" from the dashboard to a green dashboard, the old secret's keyId and hint shown removed.
 */
for (const theme of ['light', 'dark'] as const) {
  test(`Create it for me reaches the schedule step, Rotate the secret for me a green dashboard (${theme})`, async ({
    page,
    host,
  }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Choose User Sync' }).click();
    await expect(stepHeading(page, '1. Register the application')).toBeVisible();

    // The plan, before anything is created.
    const card = page.getByTestId('setup-for-me');
    await card.getByRole('button', { name: 'Create it for me' }).click();
    const plan = page.getByTestId('setup-plan');
    await expect(plan.getByText('Application.ReadWrite.All')).toBeVisible();
    await expect(plan.getByText('AppRoleAssignment.ReadWrite.All')).toBeVisible();
    await expect(plan.getByText(/at most 24 months/)).toBeVisible();
    await expect(plan.getByRole('combobox', { name: 'Client secret valid for' })).toHaveText('12 months');
    await expect(plan.getByRole('radio', { name: /Microsoft’s own public client/ })).toBeChecked();
    await plan.getByRole('textbox', { name: 'Name of the application' }).fill('Sync (e2e)');
    await expect(plan.getByText('“Sync (e2e)”', { exact: false })).toBeVisible();
    await plan.getByRole('checkbox', { name: /Try it on the demo tenant/ }).check();
    await settle(page, theme);
    await expectNoSeriousA11yIssues(page, `Create it for me: plan (${theme})`);
    await snap(page, `setup-for-me-plan-${theme}`);

    await card.getByRole('button', { name: 'Sign in with the browser and create' }).click();
    // Stored, tested live, and the wizard goes on at the schedule step.
    await expect(stepHeading(page, '6. Schedule')).toBeVisible({ timeout: 60_000 });
    const connection = await invoke<{ demo: boolean; clientId: string; lastValidation?: { requiredPassed: boolean } }>(
      page,
      host,
      'connection:get',
    );
    expect(connection).toMatchObject({ demo: true, lastValidation: { requiredPassed: true } });
    // The connection is the application just created, not the demo tenant's own (the log names it when adopted).
    const log = readFileSync(join(host.dataDir, 'logs', 'main.log'), 'utf8');
    const adopted = log.split('\n').find((l) => l.includes('connection uses an application created by Set it up for me'));
    expect(adopted, log).toContain(connection.clientId);
    const steps = await invoke<{ completed: string[] }>(page, host, 'connection:getSetup');
    expect(steps.completed).toEqual(expect.arrayContaining(['register', 'permission', 'secret', 'values', 'test']));
    await settle(page, theme);
    await snap(page, `setup-for-me-schedule-${theme}`);

    // Rotate the secret for me, from the dashboard.
    await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    const before = (await invoke<{ secretHint: string }>(page, host, 'connection:get')).secretHint;
    await page.getByRole('button', { name: 'Rotate the secret for me' }).click();
    const rotate = page.getByTestId('rotate-for-me');
    await rotate.getByRole('radio', { name: 'Use a device code' }).check();
    await rotate.getByRole('button', { name: 'Rotate the secret for me' }).click();
    const done = page.getByTestId('rotated-for-me');
    await expect(done).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('rotated-removed')).toContainText(`Removed the old secret ${before}`);
    await expect(page.getByTestId('rotated-removed')).toContainText(/keyId [0-9a-f-]{36}/);
    await settle(page, theme);
    await expectNoSeriousA11yIssues(page, `Rotate the secret for me: done (${theme})`);
    await snap(page, `rotate-for-me-done-${theme}`);
    const after = await invoke<{ secretHint: string }>(page, host, 'connection:get');
    expect(after.secretHint).not.toBe(before);

    await done.getByRole('button', { name: 'Back to the dashboard' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByTestId('connection-card').getByText('Working', { exact: false }).first()).toBeVisible();
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'ok');
    await settle(page, theme);
    await snap(page, `rotate-for-me-dashboard-${theme}`);

    // The new secret is in the vault only: not in the settings, nor in the setup-for-me setting.
    const secret = demoSecretFromVault(host.dataDir);
    expect(secret.slice(0, 3)).toBe(after.secretHint.slice(0, 3));
    for (const file of ['settings.json', 'setup-for-me.json']) {
      const text = existsSync(join(host.dataDir, file)) ? readFileSync(join(host.dataDir, file), 'utf8') : '';
      expect(text).not.toContain(secret);
    }
  });
}
