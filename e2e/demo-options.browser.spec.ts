import { expect, snap, test } from './browser-host';
import { invoke, settle } from './sync-fixture';

/** The demo options in Settings: a demo whose secret expires soon, so the expiry warnings can be seen in the app. */
for (const scheme of ['light', 'dark'] as const) {
  test(`the demo tenant can start with a secret that expires in 20 days (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
    await page.reload();
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();

    const days = page.getByTestId('demo-secret-days');
    await expect(days).toHaveValue('365');
    await days.fill('20');
    await days.press('Enter');
    await expect(days).toHaveValue('20');
    await settle(page, scheme);
    await snap(page, `settings-demo-options-${scheme}`);
    await page.getByRole('button', { name: 'Try with a demo tenant' }).click();
    await expect(page.getByTestId('settings-demo-label')).toHaveText('DEMO');

    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'amber');
    await expect(page.getByTestId('expiry-countdown')).toHaveText(/^(19|20) days left$/);
  });
}
