import { expect, snap, test } from './browser-host';
import { invoke, openPage, settle } from './sync-fixture';
import { expectAccessible, stepHeading } from './wizard-support';

/**
 * Name conflicts, as a new admin meets them: the demo tenant's two groups named "Marketing" are left out by the first
 * sync — the result says so, with both object ids and their Entra admin center pages — and resolving it with the
 * duplicate group name rule makes the next dry run create both.
 */
for (const scheme of ['light', 'dark'] as const) {
  test(`the first sync shows the two "Marketing" groups, and the rule resolves them (${scheme})`, async ({ page, host }) => {
    // Two syncs and two dry runs; the shared machine can be slow.
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await invoke(page, host, 'connection:startDemo', { users: 40, groups: 8 });
    await invoke(page, host, 'connection:test', {});
    await invoke(page, host, 'connection:saveDraft', {
      setup: { step: 'first-sync', completed: ['register', 'permission', 'secret', 'values', 'test', 'schedule'] },
    });
    await page.reload();
    await expect(stepHeading(page, '7. First sync')).toBeVisible();

    // The dry run already says what would be left out.
    await page.getByRole('button', { name: 'Start the dry run' }).click();
    const dry = page.getByTestId('dry-run-result');
    await expect(dry.getByTestId('run-conflicts')).toContainText('these Entra objects would not be synced as they are', {
      timeout: 60_000,
    });

    // The first sync: applied, and the two groups it skipped are named with their ids and admin-center links.
    await page.getByRole('button', { name: 'Sync now' }).click();
    const result = page.getByTestId('sync-result');
    const conflicts = result.getByTestId('run-conflicts');
    await expect(conflicts).toContainText('1 name conflict: these Entra objects were not synced as they are', {
      timeout: 60_000,
    });
    await expect(conflicts).toContainText('2 Entra groups would get the group name “Marketing”: none of them is synced under it');
    const links = conflicts.getByRole('link', { name: /in the Entra admin center/ });
    await expect(links).toHaveCount(2);
    const ids: string[] = [];
    for (const link of await links.all()) {
      const href = (await link.getAttribute('href')) ?? '';
      const match =
        /^https:\/\/entra\.microsoft\.com\/#view\/Microsoft_AAD_IAM\/GroupDetailsMenuBlade\/~\/Overview\/groupId\/(.+)$/.exec(
          href,
        );
      expect(match, href).not.toBeNull();
      ids.push(match![1]!);
      await expect(conflicts).toContainText(`object id ${match![1]}`);
    }
    expect(new Set(ids).size).toBe(2);
    await expect(page.locator('main')).not.toContainText('group-name-conflict');
    await expect(page.locator('main')).not.toContainText('in the mapping');
    await expectAccessible(page, `first sync with conflicts (${scheme})`);
    await settle(page, scheme);
    await snap(page, `conflicts-first-sync-${scheme}`);

    // Resolve: the rule that appends the start of the object id.
    await conflicts.getByRole('button', { name: 'Resolve them…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve the name conflicts' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: /Add the start of the object id to each/ }).check();
    // An override may not take the name in dispute.
    await dialog.getByTestId(`override-${ids[0]}`).fill('marketing');
    await expect(dialog).toContainText('is already taken by another object');
    await expect(dialog.getByRole('button', { name: 'Save to Sync settings' })).toBeDisabled();
    await dialog.getByTestId(`override-${ids[0]}`).fill('');
    await expectAccessible(page, `resolve dialog (${scheme})`);
    await settle(page, scheme);
    await snap(page, `conflicts-resolve-dialog-${scheme}`);
    await dialog.getByRole('button', { name: 'Save to Sync settings' }).click();
    await expect(dialog).toBeHidden();
    await expect(conflicts.getByRole('status')).toHaveText('Saved: the next dry run or sync uses the new names.');
    const policy = await invoke<{ names: { duplicateGroups: string; groupOverrides: object } }>(page, host, 'sync:getPolicy');
    expect(policy.names).toMatchObject({ duplicateGroups: 'appendShortId', groupOverrides: {} });

    // The next dry run creates both, under names of their own, and has no conflict left.
    await page.getByRole('button', { name: 'Run the dry run again' }).click();
    await expect(dry.getByTestId('count-create-group')).toHaveAccessibleName('Create group: 2', { timeout: 60_000 });
    await expect(dry.getByTestId('run-conflicts')).toHaveCount(0);
    for (const id of ids) await expect(dry).toContainText(`Marketing (${id.slice(0, 8)})`);
    await settle(page, scheme);
    await snap(page, `conflicts-resolved-dry-run-${scheme}`);
  });
}

test('Sync settings → Name conflicts lists the latest conflicts, and the group picker tells the twins apart', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:startDemo', { users: 40, groups: 8 });
  await invoke(page, host, 'connection:test', {});
  await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
  const { runId } = await invoke<{ runId: string }>(page, host, 'sync:dryRun', { full: true });
  await expect
    .poll(async () => (await invoke<{ state: string }>(page, host, 'sync:status')).state, { timeout: 60_000 })
    .toBe('idle');
  const list = await invoke<{ conflicts: { externalIds: string[] }[] }>(page, host, 'sync:runConflicts', { runId });
  const [first, second] = list.conflicts[0]!.externalIds;
  await page.reload();
  await openPage(page, 'Sync settings');
  const card = page.locator('#name-conflicts');
  await expect(card.getByRole('heading', { name: 'Conflicts of the latest run' })).toBeVisible();
  // Two overrides with one name: refused before anything is written.
  await card.getByTestId(`override-${first}`).fill('Marketing EMEA');
  await card.getByTestId(`override-${second}`).fill('marketing emea');
  await expect(card).toContainText('“Marketing EMEA” is already taken by another object');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Some values need a fix')).toBeVisible();
  expect((await invoke<{ names: { groupOverrides: object } }>(page, host, 'sync:getPolicy')).names.groupOverrides).toEqual({});
  await card.getByTestId(`override-${second}`).fill('Marketing US');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved. The next sync uses these settings.')).toBeVisible();
  expect((await invoke<{ names: { groupOverrides: object } }>(page, host, 'sync:getPolicy')).names.groupOverrides).toEqual({
    [first!]: 'Marketing EMEA',
    [second!]: 'Marketing US',
  });

  // The required-groups picker: the two "Marketing" entries carry their short ids and member counts.
  await page.getByRole('radio', { name: 'Only members of required groups' }).check();
  await page.getByRole('textbox', { name: 'Find a group of the tenant' }).fill('Marketing');
  const groups = page.getByRole('group', { name: 'Groups of the tenant' });
  for (const id of [first!, second!]) {
    await expect(
      groups.getByRole('checkbox', { name: new RegExp(`^Marketing.*id ${id.slice(0, 8)} · \\d+ members?$`) }),
    ).toHaveCount(1);
  }
  await snap(page, 'conflicts-sync-settings-light');
});

test('the dashboard, Plan preview and a run’s details show the conflicts of their run', async ({ page, host }) => {
  test.setTimeout(240_000);
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:startDemo', { users: 40, groups: 8 });
  await invoke(page, host, 'connection:test', {});
  await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
  for (const channel of ['sync:runNow', 'sync:dryRun'] as const) {
    await invoke(page, host, channel, { full: true });
    await expect
      .poll(async () => (await invoke<{ state: string }>(page, host, 'sync:status')).state, { timeout: 60_000 })
      .toBe('idle');
  }
  // A restart: the conflicts come from the history, not from the app's memory of recent runs.
  await host.restart();
  await page.goto(host.url);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openPage(page, 'Dashboard');
    const card = page.getByTestId('sync-card');
    await expect(card.getByTestId('run-conflicts')).toContainText('1 name conflict: these Entra objects were not synced');
    await expect(card.getByRole('link', { name: /in the Entra admin center/ })).toHaveCount(2);
    await settle(page, scheme);
    await snap(page, `conflicts-dashboard-${scheme}`);

    await openPage(page, 'Plan preview');
    const plan = page.getByTestId('plan-result');
    await expect(plan.getByTestId('run-conflicts')).toContainText('these Entra objects would not be synced');
    await settle(page, scheme);
    await snap(page, `conflicts-plan-preview-${scheme}`);

    await openPage(page, 'History');
    await page.getByTestId('run-row').last().getByRole('button').click();
    await expect(page.getByTestId('run-conflicts')).toContainText('these Entra objects were not synced');
    await expectAccessible(page, `run details with conflicts (${scheme})`);
    await settle(page, scheme);
    await snap(page, `conflicts-run-details-${scheme}`);
  }
});
