import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, openPage, settle } from './sync-fixture';

/**
 * Sync settings for one target: beside the demo tenant the demo Jira is added, then given its own settings (only the
 * Sales and Marketing groups, Marketing 1 protected, matching by e-mail); its dry run follows them while the global
 * settings stay as they were, and switching back to "Use the global settings" is one switch.
 */
test('a target gets its own sync settings, its dry run follows them, and it can inherit again', async ({ page, host }) => {
  test.setTimeout(120_000);
  await openDashboardOnDemo(page, host, { users: 30, groups: 6 });
  const demo = await invoke<{ id: string; name: string }>(page, host, 'targets:startDemo', { product: 'jira' });
  await openPage(page, 'Sync settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Sync settings' })).toBeVisible();

  const picker = page.getByTestId('settings-for');
  await expect(picker).toHaveText('All targets (the global settings)');
  await picker.click();
  await page.getByRole('option', { name: `${demo.name} (Jira)` }).click();
  const rules = page.getByTestId('target-rules');
  await expect(rules.getByRole('heading', { name: demo.name })).toBeVisible();
  const inherit = page.getByTestId('target-inherit');
  await expect(inherit).toBeChecked();
  // Inheriting: the policy cards are not shown, only the target's own rules.
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeHidden();
  await expect(rules).toContainText('Always protected: jira-administrators, jira-system-administrators');

  await inherit.uncheck();
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  // Switching to another scope waits until the changes are saved or discarded.
  await expect(picker).toBeDisabled();
  await expect(page.getByText('Save or discard the changes first')).toBeVisible();
  // "Discard changes" puts back the saved settings (inheriting) and frees the picker.
  await page.getByTestId('target-protected-groups').fill('jira-helpdesk');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(inherit).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeHidden();
  await expect(picker).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Discard changes' })).toBeHidden();
  await expect(page.getByTestId('target-protected-groups')).not.toHaveValue(/jira-helpdesk/);
  await inherit.uncheck();
  await expect(picker).toBeDisabled();
  await page.getByRole('radio', { name: 'Groups whose name matches a pattern' }).check();
  await page.getByRole('textbox', { name: 'Name pattern' }).fill('Sales*, Marketing*');
  await rules.getByRole('checkbox', { name: /Match an existing Jira account by e-mail/ }).check();
  await page.getByTestId('target-protected-groups').fill('Marketing 1\njira-helpdesk');
  await settle(page);
  await snap(page, 'target-sync-settings-own-light');
  await expectNoSeriousA11yIssues(page, 'sync settings for a target');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved. The next sync uses these settings.')).toBeVisible();
  await expect(picker).toHaveText(`${demo.name} (Jira, own settings)`);

  const stored = await invoke<{ inherit: boolean; protectedGroups: string[]; policy: { groups: { namePattern: string } } }>(
    page,
    host,
    'targets:getSync',
    { id: demo.id },
  );
  expect(stored).toMatchObject({ inherit: false, protectedGroups: ['Marketing 1', 'jira-helpdesk'] });
  expect(stored.policy.groups.namePattern).toBe('Sales*, Marketing*');
  // The global settings are untouched.
  expect((await invoke<{ groups: { scope: string } }>(page, host, 'sync:getPolicy')).groups.scope).toBe('all');

  // The dry run of this target follows its own settings.
  await page.getByRole('button', { name: 'Preview the effect with a dry run' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plan preview' })).toBeVisible();
  const groupRows = page.getByTestId('plan-item').filter({ hasText: 'Create group' });
  await expect(groupRows.first()).toBeVisible({ timeout: 60_000 });
  for (const text of await groupRows.allInnerTexts()) expect(text).toMatch(/Sales|Marketing/);
  await expect(groupRows.filter({ hasText: 'All Employees' })).toHaveCount(0);
  await expect(groupRows.filter({ hasText: 'Marketing 1' })).toHaveCount(0);
  await settle(page);
  await snap(page, 'target-sync-settings-plan-light');

  // And back to the global settings.
  await openPage(page, 'Sync settings');
  await picker.click();
  await page.getByRole('option', { name: `${demo.name} (Jira, own settings)` }).click();
  await inherit.check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(picker).toHaveText(`${demo.name} (Jira)`);
  expect((await invoke<{ inherit: boolean }>(page, host, 'targets:getSync', { id: demo.id })).inherit).toBe(true);
});
