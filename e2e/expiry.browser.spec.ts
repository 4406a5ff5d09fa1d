import type { Page } from '@playwright/test';
import { expect, snap, test } from './browser-host';
import { installFixedClock, onFixedClock } from './fixed-clock';
import { expectNoSeriousA11yIssues as expectAccessible } from './sync-fixture';

/**
 * Secret expiry end to end in Chromium, on the real browser host and the demo tenant: the 7-day reminder arrives
 * as an in-page notification and a banner, its action opens the rotation steps, and a rotation (a new secret
 * minted in the demo tenant through its control API) ends on a dashboard where the secret is green again.
 * Services and page run on a clock the test controls (fixed-clock.ts), so "7 days" is 7 calendar days whenever it runs.
 */

// Reduced motion: toasts are at their final colours in the screenshots and scans, not mid-fade.
test.use({ ...onFixedClock, reducedMotion: 'reduce' });

/** Calls a contract channel the way the page does (the page's cookie carries the per-run token). */
async function invoke<T>(page: Page, origin: string, channel: string, args?: unknown): Promise<T> {
  const response = await page.request.post(`${origin}/api/invoke/${encodeURIComponent(channel)}`, { data: { args } });
  const envelope = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.code} ${envelope.error?.message}`);
  return envelope.value as T;
}

/** Demo tenant in use, setup finished: the app opens on its main window. */
async function setUpDemo(page: Page, origin: string, secretExpiresInDays: number): Promise<void> {
  await invoke(page, origin, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, origin, 'connection:startDemo', { secretExpiresInDays });
  await invoke(page, origin, 'connection:saveDraft', { setup: { finished: true } });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the 7-day reminder leads through a rotation to a green dashboard (${scheme})`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1180, height: 820 });
    await installFixedClock(page);
    await page.goto(host.url);
    await setUpDemo(page, host.origin, 365);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByTestId('expiry-banner')).toHaveCount(0);

    // The demo tenant starts again with a secret that expires in 7 days: the reminder fires while the page is open.
    await invoke(page, host.origin, 'connection:stopDemo');
    await invoke(page, host.origin, 'connection:startDemo', { secretExpiresInDays: 7 });
    const toast = page.locator('[data-testid^="notification-secret-expiry-"]');
    await expect(toast).toContainText('The client secret expires in 7 days');
    const banner = page.getByTestId('expiry-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('The client secret expires in 7 days');
    await expect(banner).toHaveAttribute('data-level', 'urgent');
    // The card counts the same days as the banner and the toast, in red.
    await expect(page.getByTestId('expiry-countdown')).toHaveText('7 days left');
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'red');
    // The toast never covers the banner's actions: each can be clicked where it is (nothing on top of it).
    const toastBox = await toast.boundingBox();
    for (const button of await banner.getByRole('button').all()) {
      const box = await button.boundingBox();
      const overlaps =
        !!toastBox &&
        !!box &&
        toastBox.x < box.x + box.width &&
        box.x < toastBox.x + toastBox.width &&
        toastBox.y < box.y + box.height &&
        box.y < toastBox.y + toastBox.height;
      expect(overlaps, `the toast covers "${await button.textContent()}"`).toBe(false);
      await button.click({ trial: true, timeout: 5_000 });
    }
    await snap(page, `expiry-banner-${scheme}`);
    await expectAccessible(page, 'the dashboard with the expiry banner');

    // The notification's action opens the rotation steps.
    await toast.getByRole('button', { name: 'Show the steps to replace the secret' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Replace the client secret' })).toBeVisible();
    await expect(page.getByTestId('rotation-current')).toContainText('Expires very soon');

    // 1. A new secret from the (emulated) portal; 2. paste its Value; 3. test and replace.
    await page.getByRole('button', { name: 'Create a new secret in the demo tenant' }).click();
    const value = await page.getByTestId('demo-new-secret').inputValue();
    expect(value).toMatch(/^.{3}8Q~.{34}$/);
    await page.getByTestId('secret-input').fill(value);
    await snap(page, `rotation-before-${scheme}`);
    await expectAccessible(page, 'the rotation steps');
    await page.getByRole('button', { name: 'Test and replace' }).click();
    await expect(page.getByTestId('rotation-replaced')).toBeVisible();
    await expect(page.getByTestId('validation-panel')).toContainText('All checks passed');
    // The pasted value is gone from the window once it is stored.
    await expect(page.getByTestId('secret-input')).toHaveCount(0);
    await expect(page.getByTestId('demo-new-secret')).toHaveCount(0);

    // 4. The old secret is still valid: the app reminds to delete it, here and on the dashboard.
    await expect(page.getByTestId('rotation-step-delete')).toContainText('Secret ID');
    await snap(page, `rotation-replaced-${scheme}`);
    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await expect(page.getByTestId('expiry-banner')).toHaveCount(0);
    await expect(page.getByTestId('old-secret-banner')).toBeVisible();
    await page.getByTestId('old-secret-banner').getByRole('button', { name: 'Show me where' }).click();
    await page.getByRole('button', { name: 'I deleted the old secret' }).click();
    await expect(page.getByTestId('rotation-step-delete')).toContainText('Rotation complete');

    await page.getByRole('tab', { name: 'Dashboard' }).click();
    await expect(page.getByTestId('old-secret-banner')).toHaveCount(0);
    await expect(page.getByTestId('expiry-tone')).toHaveAttribute('data-tone', 'ok');
    await snap(page, `dashboard-after-rotation-${scheme}`);
  });
}

test('snoozing hides the banner until the next threshold; an expired secret cannot be snoozed', async ({ page, host }) => {
  await installFixedClock(page);
  await page.goto(host.url);
  await setUpDemo(page, host.origin, 10);
  await page.reload();
  const banner = page.getByTestId('expiry-banner');
  await expect(banner).toContainText('The client secret expires in 10 days');
  await banner.getByRole('button', { name: /Remind me later: hide this until 7 days are left/ }).click();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(banner).toHaveCount(0);

  // Expired (a day ago on this clock): the banner is back, for good.
  await invoke(page, host.origin, 'connection:stopDemo');
  await invoke(page, host.origin, 'connection:startDemo', { secretExpiresInDays: -1 });
  await expect(banner).toHaveAttribute('data-level', 'expired');
  await expect(banner).toContainText('The client secret has expired');
  await expect(page.getByTestId('expiry-countdown')).toHaveText('Expired 1 day ago');
  await expect(banner.getByRole('button', { name: /Remind me later/ })).toHaveCount(0);
  await expect(invoke(page, host.origin, 'reminders:snooze')).rejects.toThrow('cannot-snooze-expired');
  await snap(page, 'expiry-banner-expired-light');
  await expectAccessible(page, 'the dashboard with an expired secret');
});
