import { expect, snap, test } from './browser-host';
import { invoke, settle } from './sync-fixture';
import { stepHeading } from './wizard-support';

/** An admin whose app registration exists skips the portal checklists and lands on the values, where a masked secret is caught. */
for (const scheme of ['light', 'dark'] as const) {
  test(`"I already have an app registration" goes to the values step (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await page.reload();
    await expect(stepHeading(page, '1. Register the application')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();
    await settle(page, scheme);
    await snap(page, `wizard-existing-app-${scheme}`);

    await page.getByRole('button', { name: 'I already have an app registration' }).click();
    await expect(stepHeading(page, '4. Enter the values')).toBeVisible();
    const setup = await invoke<{ step: string; completed: string[]; checklist: Record<string, boolean> }>(
      page,
      host,
      'connection:getSetup',
    );
    expect(setup.step).toBe('values');
    expect(setup.completed).toEqual(expect.arrayContaining(['register', 'permission', 'secret']));
    // Nothing was ticked on the admin's behalf: the live test is what checks the registration.
    expect(Object.values(setup.checklist).filter(Boolean)).toHaveLength(0);

    // The portal's masked value pasted as the secret is recognised for what it is.
    await page.getByTestId('secret-input').fill('Q4a***');
    await page.getByTestId('secret-input').blur();
    await expect(page.getByText(/^This is a masked secret \(such as “Q4a\*\*\*”\)/)).toBeVisible();
  });
}
