import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, type PreviewHost } from './browser-host';

/**
 * Helpers of the sync and dashboard specs: call the browser host's contract directly (as the page would), and
 * reach the dashboard on the demo tenant without walking the wizard (the wizard has its own spec).
 */

/** Invokes a contract channel with the page's session cookie; throws with the error's code when it fails. */
export async function invoke<T = unknown>(page: Page, host: PreviewHost, channel: string, args?: unknown): Promise<T> {
  const response = await page.request.post(`${host.origin}/api/invoke/${encodeURIComponent(channel)}`, { data: { args } });
  const envelope = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

/** Chooses User Sync, starts the demo tenant, tests it, marks the setup finished and opens the dashboard. */
export async function openDashboardOnDemo(
  page: Page,
  host: PreviewHost,
  demo: { users?: number; groups?: number; secretExpiresInDays?: number; latencyMs?: number } = {},
): Promise<void> {
  await page.goto(host.url);
  await invoke(page, host, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
  await invoke(page, host, 'connection:startDemo', demo);
  await invoke(page, host, 'connection:test', {});
  await invoke(page, host, 'connection:saveDraft', { setup: { finished: true } });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
}

/** Runs a sync through the contract and waits until the service is idle again. */
export async function syncAndWait(page: Page, host: PreviewHost, channel: 'sync:runNow' | 'sync:dryRun'): Promise<string> {
  const { runId } = await invoke<{ runId: string }>(page, host, channel, {});
  await expect
    .poll(async () => (await invoke<{ state: string }>(page, host, 'sync:status')).state, { timeout: 60_000 })
    .toBe('idle');
  return runId;
}

/** Opens a page of the main window through the side navigation. */
export async function openPage(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: label }).click();
}

/**
 * Waits until the app shows `scheme` (when given: it applies a colour-scheme change once React has rendered it) and
 * the transitions and animations running then have ended — Fluent's colour transitions after a theme switch, a
 * dialog's entrance — so a screenshot shows the final colours.
 */
export async function settle(page: Page, scheme?: 'light' | 'dark'): Promise<void> {
  if (scheme) await expect.poll(() => page.evaluate(() => document.documentElement.style.colorScheme)).toBe(scheme);
  await animationsFinished(page);
}

/**
 * Resolves when the page's finite animations have ended. `getAnimations()` applies pending style changes first, so
 * the transitions a change just caused are among those awaited.
 */
async function animationsFinished(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)))
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Fails with the serious or critical accessibility violations axe finds on the page as it is now. */
export async function expectNoSeriousA11yIssues(page: Page, where: string): Promise<void> {
  // Reduced motion, as some admins have it: Fluent's enter and exit motions then take 1 ms, so toasts and dialogs are
  // scanned at their final colours instead of mid-fade (other media settings, such as the colour scheme, stay).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // A toast or dialog still fading in has blended colours that axe reports as low contrast: let finite animations end.
  await animationsFinished(page);
  // Fluent's focus manager (tabster) puts aria-hidden <i tabindex=0 data-tabster-dummy> sentinels around tab lists and
  // tag groups that pass focus straight on; axe cannot know that, so they are left out of the scan.
  const results = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  const violations = [...results.violations];
  // Toasts float over the page, so axe cannot tell what lies behind their text and leaves their contrast
  // "incomplete": they are scanned again with the page beneath hidden, where their own background is all there is.
  if ((await page.locator('.fui-Toast').count()) > 0) {
    await page.evaluate(() => document.getElementById('root')?.style.setProperty('visibility', 'hidden'));
    try {
      const toasts = await new AxeBuilder({ page }).include('.fui-Toast').exclude('[data-tabster-dummy]').analyze();
      violations.push(...toasts.violations);
    } finally {
      await page.evaluate(() => document.getElementById('root')?.style.removeProperty('visibility'));
    }
  }
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on ${where}`).toEqual([]);
}

/**
 * Opens "Add a target", chooses the product and waits for its form. Under load a click on the menu item could land
 * and do nothing (a fresh-clone CI run kept the menu open, the item in it, for 15 s), so the item is clicked again,
 * and the menu reopened if it closed, until the form shows: a wait for the state, never for a fixed time.
 */
export async function chooseTargetProduct(page: Page, opener: Locator, label: string, form: Locator): Promise<void> {
  await expect(async () => {
    if (await form.isVisible()) return;
    const item = page.getByRole('menuitem', { name: label });
    if (!(await item.isVisible())) await opener.click({ timeout: 5_000 });
    await item.click({ timeout: 5_000 });
    await expect(form).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 45_000 });
}
