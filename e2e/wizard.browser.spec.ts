import { expect, snap, test } from './browser-host';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invoke } from './sync-fixture';
import { demoSecretFromVault, expectAccessible, setClipboard, stepHeading } from './wizard-support';

/** A Secret ID as the portal shows it: a GUID, the classic wrong paste. */
const secretId = '7c1e5b2a-4f3d-4e8a-9b6c-2d1f0e9a9d04';

for (const theme of ['light', 'dark'] as const) {
  test(`the whole wizard against the demo tenant, with the Secret ID pasted and fixed (${theme})`, async ({ page, host }) => {
    test.setTimeout(240_000);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Choose User Sync' }).click();

    // 1. Register — by keyboard alone: tick the checklist and go on.
    await expect(stepHeading(page, '1. Register the application')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open App registrations' })).toHaveAttribute(
      'href',
      /^https:\/\/entra\.microsoft\.com\/#view\/Microsoft_AAD_RegisteredApps\/ApplicationsListBlade/,
    );
    await expect(page.getByRole('img', { name: /Picture: registering the application/ })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Setup steps' });
    await expect(nav.getByRole('button', { name: /1\. Register the application Current step/ })).toHaveAttribute(
      'aria-current',
      'step',
    );
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await expectAccessible(page, `step 1 (${theme})`);
    await snap(page, `wizard-1-register-${theme}`);
    const boxes = page.getByRole('checkbox');
    for (let i = 0; i < 3; i++) {
      const box = boxes.nth(i);
      for (let n = 0; n < 40 && !(await box.evaluate((el) => el === el.ownerDocument.activeElement)); n++) {
        await page.keyboard.press('Tab');
      }
      await expect(box).toBeFocused();
      await page.keyboard.press('Space');
      await expect(box).toBeChecked();
    }
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');

    // 2. Permission: focus moves to the new step's heading.
    await expect(stepHeading(page, '2. Add the permission')).toBeFocused();
    await expect(page.getByText('Why application, not delegated?')).toBeVisible();
    await expect(nav.getByRole('button', { name: /1\. Register the application Done/ })).toBeVisible();
    await expectAccessible(page, `step 2 (${theme})`);
    await snap(page, `wizard-2-permission-${theme}`);
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // 3. Secret.
    await expect(stepHeading(page, '3. Create a client secret')).toBeVisible();
    // The lifetime advice as Microsoft gives it: less than 12 months; the portal's own cap is 24 months.
    await expect(
      page.getByText('Expires: less than 12 months, as Microsoft recommends (the portal allows up to 24 months).', {
        exact: false,
      }),
    ).toBeVisible();
    await expect(page.getByText('Copy the Value now: it is shown only once.').first()).toBeVisible();
    await expectAccessible(page, `step 3 (${theme})`);
    await snap(page, `wizard-3-secret-${theme}`);
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // 4. Values: empty, so Next waits; this host's vault is a plain file, so the app asks where to keep the secret.
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next: test the connection' })).toBeDisabled();
    await expect(page.getByText('This computer cannot protect the secret well')).toBeVisible();
    await page.getByRole('radio', { name: /Store it anyway/ }).check();
    await expectAccessible(page, `step 4 (${theme})`);
    await snap(page, `wizard-4-values-${theme}`);

    // "Try with a demo tenant" fills everything in and goes straight to testing.
    await page.getByRole('button', { name: 'Try with a demo tenant' }).click();
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    const panel = page.getByTestId('validation-panel');
    await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('DEMO tenant', { exact: true })).toBeVisible();

    // The wrong turn: back to the values, the Secret ID pasted instead of the Value — caught on paste.
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    await expect(page.getByTestId('tenant-input')).not.toHaveValue('');
    const secretField = page.getByTestId('secret-input');
    await expect(secretField).toHaveAttribute('type', 'password');
    await setClipboard(page, secretId);
    await secretField.focus();
    await page.keyboard.press('ControlOrMeta+V');
    await expect(page.getByTestId('secret-id-pasted')).toContainText('That is the Secret ID, not the secret’s Value');
    await expect(
      page.getByText('This is the Secret ID: a GUID that only names the secret, not the secret’s Value that signs in.'),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next: test the connection' })).toBeDisabled();
    await expectAccessible(page, `step 4 with the Secret ID pasted (${theme})`);
    await snap(page, `wizard-4-secret-id-caught-${theme}`);

    // Fixed: the real Value, pasted with the paste button; revealed and hidden again.
    const value = demoSecretFromVault(host.dataDir);
    await secretField.fill('');
    await setClipboard(page, value);
    await page.getByRole('button', { name: 'Paste the client secret Value from the clipboard' }).click();
    await expect(secretField).toHaveValue(value);
    await expect(page.getByTestId('secret-id-pasted')).toBeHidden();
    await page.getByRole('button', { name: 'Show the secret' }).click();
    await expect(secretField).toHaveAttribute('type', 'text');
    await page.getByRole('button', { name: 'Hide the secret' }).click();
    await expect(secretField).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Next: test the connection' }).click();

    // 5. Test: each check live, then Next.
    await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
    await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
    for (const id of ['inputs', 'tenant', 'app', 'secret', 'permission', 'users', 'groups', 'expiry']) {
      await expect(panel.getByTestId(`check-${id}`)).toHaveAttribute('data-status', 'pass');
    }
    await expect(panel.getByTestId('check-users')).toContainText('users can be read');
    await expect(page.locator('body')).not.toContainText(value);
    await expectAccessible(page, `step 5 (${theme})`);
    await snap(page, `wizard-5-test-${theme}`);
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // 6. Schedule: presets, the expression in words, the next five runs, an invalid expression refused.
    await expect(stepHeading(page, '6. Schedule')).toBeVisible();
    // The connection is done: the page no longer says "Connect your Entra tenant".
    await expect(page.getByRole('heading', { level: 1, name: 'Start syncing' })).toBeVisible();
    await expect(page.getByRole('switch', { name: /Scheduled synchronisation is on/ })).toBeChecked();
    await page.getByRole('radio', { name: 'Every 4 hours' }).check();
    await expect(page.getByTestId('cron-input')).toHaveValue('0 */4 * * *');
    await expect(page.getByRole('list', { name: 'Next five runs' }).getByRole('listitem')).toHaveCount(5);
    await page.getByTestId('cron-input').fill('61 * * * *');
    await expect(page.getByRole('radio', { name: 'Custom cron expression' })).toBeChecked();
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await expect(page.getByText(/minute|invalid|61/i).first()).toBeVisible();
    await page.getByRole('radio', { name: 'Weekdays at 02:00' }).check();
    await expect(page.getByTestId('cron-words')).not.toBeEmpty();
    await expect(page.getByRole('list', { name: 'Next five runs' }).getByRole('listitem')).toHaveCount(5);
    await expectAccessible(page, `step 6 (${theme})`);
    await snap(page, `wizard-6-schedule-${theme}`);
    await page.getByRole('button', { name: 'Next', exact: true }).click();

    // 7. First sync: a dry run (counts and the list), then Sync now with progress.
    await expect(stepHeading(page, '7. First sync')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Go to the dashboard' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Sync now' })).toBeDisabled();
    await page.getByRole('button', { name: 'Start the dry run' }).click();
    const dry = page.getByTestId('dry-run-result');
    await expect(dry).toContainText('changes planned', { timeout: 60_000 });
    await expect(dry.getByTestId('count-create-user')).not.toHaveAccessibleName(/: 0$/);
    await expectAccessible(page, `step 7 dry run (${theme})`);
    await snap(page, `wizard-7-dry-run-${theme}`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('sync-result')).toContainText('The first sync is done', { timeout: 60_000 });
    await expect(page.getByTestId('applied-create-user')).toContainText(/^\d+ × Create user$/);
    await expect(page.getByTestId('applied-add-member')).toBeVisible();
    await expectAccessible(page, `step 7 synced (${theme})`);
    await snap(page, `wizard-7-synced-${theme}`);
    await page.getByRole('button', { name: 'Go to the dashboard' }).click();

    // The main window, labelled DEMO; and it stays there after a restart (the demo tenant starts again).
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByText('DEMO tenant', { exact: true })).toBeVisible();
    await snap(page, `wizard-done-dashboard-${theme}`);
    await host.restart();
    await page.goto(host.url);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

    // The secret (the one pasted, and the demo's) is in the vault file only: not in settings, logs or the database.
    for (const file of filesUnder(host.dataDir).filter((f) => !f.endsWith('secrets.json'))) {
      expect(readFileSync(file).toString('latin1'), file).not.toContain(value);
    }
    expect(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')).toContain('"secretHint"');
  });
}

test('leaving mid-way and coming back restores everything except the secret', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Choose User Sync' }).click();
  for (const step of ['1. Register the application', '2. Add the permission', '3. Create a client secret']) {
    await expect(stepHeading(page, step)).toBeVisible();
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
  await page.getByLabel('Microsoft cloud').selectOption('usgov');
  await page.getByTestId('tenant-input').fill('contoso.onmicrosoft.us');
  await page.getByTestId('client-input').fill('not-a-guid');
  await expect(page.getByText('The Application (client) ID is not a GUID.')).toBeVisible();
  await page.getByTestId('secret-input').fill('Abc8Q~' + 'abcdefghijklmnopqrstuvwxyz01234567'.slice(0, 34));
  // Saved a moment after typing stops (wait until the core has the values); then the app is closed and opened again.
  await expect
    .poll(() => invoke<{ cloud: string; tenantId: string; clientId: string }>(page, host, 'connection:get'))
    .toMatchObject({ cloud: 'usgov', tenantId: 'contoso.onmicrosoft.us', clientId: 'not-a-guid' });
  await host.restart();
  await page.goto(host.url);

  await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
  await expect(page.getByLabel('Microsoft cloud')).toHaveValue('usgov');
  await expect(page.getByTestId('tenant-input')).toHaveValue('contoso.onmicrosoft.us');
  await expect(page.getByTestId('client-input')).toHaveValue('not-a-guid');
  await expect(page.getByTestId('secret-input')).toHaveValue('');
  const nav = page.getByRole('navigation', { name: 'Setup steps' });
  await expect(nav.getByRole('button', { name: /3\. Create a client secret Done/ })).toBeVisible();
  await nav.getByRole('button', { name: /1\. Register the application/ }).click();
  for (const box of await page.getByRole('checkbox').all()) await expect(box).toBeChecked();
  // Portal links follow the chosen cloud.
  await expect(page.getByRole('link', { name: 'Open App registrations' })).toHaveAttribute(
    'href',
    /^https:\/\/entra\.microsoft\.us\//,
  );
});

test('without clipboard permission, the paste buttons say to press Ctrl+V instead', async ({ page, host }) => {
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:saveDraft', {
    setup: { step: 'values', completed: ['register', 'permission', 'secret'] },
  });
  await page.reload();
  await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
  await page.getByRole('button', { name: 'Paste the Directory (tenant) ID from the clipboard' }).click();
  await expect(page.getByText(/press Ctrl\+V/).first()).toBeVisible();
  // Typing still works, and a GUID typed (not pasted) into the secret field is caught as well.
  await page.getByTestId('secret-input').fill('7c1e5b2a-4f3d-4e8a-9b6c-2d1f0e9a9d04');
  await page.getByTestId('secret-input').blur();
  await expect(
    page.getByText('This is the Secret ID: a GUID that only names the secret, not the secret’s Value that signs in.'),
  ).toBeVisible();
});

test('“Try with a demo tenant” on the welcome screen fills everything in and goes straight to testing', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Try with a demo tenant' }).click();
  await expect(stepHeading(page, '5. Test the connection')).toBeVisible();
  await expect(page.getByText('DEMO tenant', { exact: true })).toBeVisible();
  await expect(page.getByTestId('validation-panel').getByText('All checks passed')).toBeVisible({ timeout: 30_000 });
  const nav = page.getByRole('navigation', { name: 'Setup steps' });
  await expect(nav.getByRole('button', { name: /4\. Enter the values Done/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeEnabled();
  await nav.getByRole('button', { name: /4\. Enter the values/ }).click();
  await expect(page.getByTestId('tenant-input')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('secret-input')).toHaveAttribute('placeholder', /^Saved: .{3}••••••$/);
  await expectAccessible(page, 'values step in demo mode');
  await snap(page, 'wizard-4-values-demo-light');
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('usable at 900 × 600: the portal steps stack their picture under the instructions', async ({ page, host }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Choose User Sync' }).click();
  await expect(stepHeading(page, '1. Register the application')).toBeVisible();
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
      .document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: 'Enlarge' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await snap(page, 'wizard-1-register-enlarged-900x600-dark');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await snap(page, 'wizard-1-register-900x600-dark');
});
