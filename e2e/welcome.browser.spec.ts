import { expect, snap, test } from './browser-host';

test.describe('choosing the provisioning model', () => {
  test('by mouse: answers lead to a recommendation, the choice survives a restart', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(
      page.getByRole('heading', { level: 1, name: 'How should users get from Entra ID into Atlassian?' }),
    ).toBeVisible();
    const cards = page.getByRole('region', { name: 'Provisioning models' });
    await expect(cards.getByRole('heading', { level: 2 })).toHaveText([
      'User Sync',
      'Just-in-Time provisioning',
      'Manual user management',
    ]);

    await page.getByRole('radio', { name: 'Yes, for permissions and licences' }).check();
    await page.getByRole('radio', { name: 'Jira (Software or Service Management)' }).check();
    await page.getByRole('radio', { name: 'No, or we are moving off it' }).check();
    await expect(page.getByText('Our recommendation: User Sync')).toBeVisible();
    await expect(page.getByTestId('model-card-user-sync').getByText('Recommended', { exact: true })).toBeVisible();
    await snap(page, 'welcome-light');

    // While LDAP has to stay, Manual is recommended for now, and nothing on its card says otherwise.
    await page.getByRole('radio', { name: 'Yes, and it has to stay for now' }).check();
    const manual = page.getByTestId('model-card-manual');
    await expect(manual.getByText('Recommended for now', { exact: true })).toBeVisible();
    await expect(manual).not.toContainText(/not recommended/i);
    await snap(page, 'welcome-manual-recommended-light');
    await page.getByRole('radio', { name: 'No, or we are moving off it' }).check();
    await expect(manual.getByText('Not recommended', { exact: true })).toBeVisible();

    // A product without User Sync moves the recommendation to Just-in-Time and says why.
    await page.getByRole('radio', { name: 'Another product (Bamboo, Crowd, …)' }).check();
    await expect(page.getByText('Our recommendation: Just-in-Time provisioning')).toBeVisible();
    await expect(page.getByText('User Sync is available for Jira, Confluence and Bitbucket only.')).toBeVisible();
    await page.getByRole('radio', { name: 'Confluence' }).check();

    await page.getByRole('button', { name: 'Choose User Sync' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();

    await host.restart();
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();
    await page.getByRole('button', { name: 'Choose another model' }).click();
    // The answers were kept too.
    await expect(page.getByRole('radio', { name: 'Confluence' })).toBeChecked();
  });

  test('by keyboard alone: Just-in-Time ends on a page that says what the app can and cannot do', async ({ page, host }) => {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Tab into the first question, choose "No" with the arrow key.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('radio', { name: 'Yes, for permissions and licences' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: 'No, users are enough' })).toBeChecked();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: 'Another product (Bamboo, Crowd, …)' })).toBeChecked();

    const jit = page.getByRole('button', { name: 'Choose Just-in-Time provisioning' });
    for (let i = 0; i < 20 && !(await jit.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(jit).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Just-in-Time provisioning' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'What it cannot do' })).toBeVisible();
    await expect(page.getByText('Translate group ids into group names')).toBeVisible();
    await snap(page, 'outcome-jit');

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Just-in-Time provisioning' })).toBeVisible();
  });

  test('follows a dark operating-system theme', async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const background = await page.evaluate(
      () => getComputedStyle(document.querySelector('.fui-FluentProvider')!).backgroundColor,
    );
    expect(background).not.toBe('rgb(255, 255, 255)');
    await snap(page, 'welcome-dark');
  });
});
