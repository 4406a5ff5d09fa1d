import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke } from './sync-fixture';

/** The files behind the app found damaged at start: said at the top of the screen, with where the copy went. */
test.describe('a damaged settings file', () => {
  test.use({ seedFiles: { 'settings.json': '{"onboarding": {"model": "user-sync"' } });

  test('starts on defaults and says the file was kept as a backup', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByText('Your settings could not be read as they were')).toBeVisible();
    await expect(page.getByText(/The settings file was damaged and could not be read/)).toBeVisible();
    await expect(page.getByText(`Backup: ${join(host.dataDir, 'settings.json.corrupt-')}`, { exact: false })).toBeVisible();
    // Defaults: the provisioning-model chooser, not the wizard the damaged file pointed at.
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await invoke(page, host, 'onboarding:get')).toEqual({ answers: {} });
    await snap(page, 'notice-settings-corrupt');
    await expectNoSeriousA11yIssues(page, 'settings corruption notice');
  });
});

test.describe('a damaged secret vault', () => {
  test.use({
    seedFiles: {
      'settings.json': JSON.stringify({
        schemaVersion: 1,
        onboarding: { model: 'user-sync', answers: {} },
        connection: {
          cloud: 'global',
          tenantId: 'contoso.onmicrosoft.com',
          clientId: '11111111-2222-3333-4444-555555555555',
          secretHint: 'abc••••••',
          secretStored: true,
          weakStorage: 'accepted',
        },
        setup: { step: 'values', completed: ['register', 'permission', 'secret'] },
      }),
      'secrets.json': '{"connection.clientSecret": "YWJj',
    },
  });

  test('says the secret is missing and where the damaged file went', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByText('Your saved client secret could not be read')).toBeVisible();
    await expect(page.getByText(/Enter the client secret again/)).toBeVisible();
    await expect(page.getByText(join(host.dataDir, 'secrets.json.corrupt-'), { exact: false })).toBeVisible();
    expect(await invoke(page, host, 'connection:get')).toMatchObject({ secretStored: false, complete: false });
    await snap(page, 'notice-vault-corrupt');
    await expectNoSeriousA11yIssues(page, 'vault notice');
  });
});

test.describe('settings written by a newer version', () => {
  const newer = JSON.stringify({ schemaVersion: 99, onboarding: { model: 'user-sync', answers: {} }, ui: { theme: 'light' } });
  test.use({ seedFiles: { 'settings.json': newer } });

  test('opens them read-only, says so, refuses changes and leaves the file as it was', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByText('Settings from a newer version are read-only')).toBeVisible();
    await expect(
      page.getByText(/written by a newer version \(v99\) of Entra Sync Assistant; this version will not change them/),
    ).toBeVisible();
    // What this version can read is in use: the wizard of the User Sync the file chose.
    await expect(page.getByText('Set up User Sync', { exact: false })).toBeVisible();
    await expect(invoke(page, host, 'ui:setPreferences', { theme: 'dark' })).rejects.toThrow(/settings-read-only/);
    expect(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')).toBe(newer);
    await snap(page, 'notice-settings-newer');
  });
});
