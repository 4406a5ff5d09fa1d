import { expect, snap, test } from './browser-host';
import { invoke, openDashboardOnDemo, openPage, settle } from './sync-fixture';

/**
 * Sync settings keep what the admin typed: leaving the page with unsaved changes asks (Save / Discard / Stay), the
 * window warns before it unloads, and a wrong safety-brake share is told in Fluent's field message, not the browser's
 * validation bubble, with no raw code on screen.
 */

const heading = (name: string) => ({ level: 1, name }) as const;

test('leaving Sync settings with unsaved changes asks: Stay, Discard, Save', async ({ page, host }) => {
  await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
  await openPage(page, 'Sync settings');
  await expect(page.getByRole('heading', heading('Sync settings'))).toBeVisible();
  const leaveGuests = page.getByRole('radio', { name: 'Leave guests out' });

  // Nothing changed: the page is left without a question.
  await openPage(page, 'History');
  await expect(page.getByRole('heading', heading('History'))).toBeVisible();
  await openPage(page, 'Sync settings');

  await leaveGuests.check();
  await openPage(page, 'Dashboard');
  const dialog = page.getByRole('alertdialog', { name: 'You have unsaved changes' });
  await expect(dialog).toBeVisible();
  await settle(page);
  await snap(page, 'sync-settings-unsaved-dialog');

  // Stay: still on the page, the change still there.
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', heading('Sync settings'))).toBeVisible();
  await expect(leaveGuests).toBeChecked();

  // Discard: the page opens, the stored settings are as before.
  await openPage(page, 'Dashboard');
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('heading', heading('Dashboard'))).toBeVisible();
  expect((await invoke<{ users: { guests: string } }>(page, host, 'sync:getPolicy')).users.guests).toBe('include');
  await openPage(page, 'Sync settings');
  await expect(page.getByRole('radio', { name: 'Include guests' })).toBeChecked();

  // Save: stored, then the page asked for opens.
  await leaveGuests.check();
  await openPage(page, 'History');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', heading('History'))).toBeVisible();
  expect((await invoke<{ users: { guests: string } }>(page, host, 'sync:getPolicy')).users.guests).toBe('exclude');

  // Saving by the page's own button leaves nothing to ask about: "Preview the effect" goes straight on.
  await openPage(page, 'Sync settings');
  await page.getByRole('radio', { name: 'Include guests' }).check();
  await page.getByRole('button', { name: 'Preview the effect with a dry run' }).click();
  await expect(page.getByRole('heading', heading('Plan preview'))).toBeVisible();
  await expect(dialog).toBeHidden();

  // Unsaved changes and the window is closed or reloaded: the browser's own warning.
  await openPage(page, 'Sync settings');
  await leaveGuests.check();
  const unload = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const warning = await unload;
  expect(warning.type()).toBe('beforeunload');
  await warning.accept();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a wrong safety-brake share is told in the field, not the browser's bubble (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openDashboardOnDemo(page, host, { users: 20, groups: 3 });
    await openPage(page, 'Sync settings');
    const share = page.getByLabel('Most users a sync may disable or delete (%)', { exact: true });
    await share.fill('150');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Enter a percentage from 0 to 100.')).toBeVisible();
    await expect(page.getByText('Some values need a fix: see the fields marked in red.')).toBeVisible();
    await expect(page.getByText('(invalid-policy)')).toHaveCount(0);
    // Nothing was stored.
    expect((await invoke<{ safety: { maxShare: number } }>(page, host, 'sync:getPolicy')).safety.maxShare).toBeLessThan(1);
    await share.scrollIntoViewIfNeeded();
    await settle(page, scheme);
    await snap(page, `sync-settings-brake-share-invalid-${scheme}`);
  });
}
