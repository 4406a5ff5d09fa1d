import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/**
 * Helpers of the wizard and validation specs: an axe scan that fails on serious or critical violations, the step
 * heading, and the demo tenant's secret as the app stored it (what an admin would have copied from the portal).
 */

/** The one axe scan of every spec: serious or critical violations fail. */
export { expectNoSeriousA11yIssues as expectAccessible } from './sync-fixture';

/** The current step's heading, e.g. "4. Enter the values". */
export function stepHeading(page: Page, name: string) {
  return page.getByRole('heading', { level: 2, name });
}

/** The demo tenant's client secret Value, read from the app's file vault in its data folder. */
export function demoSecretFromVault(dataDir: string): string {
  const vault = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
  const encoded = vault['connection.clientSecret'];
  if (!encoded) throw new Error('no client secret in the vault');
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** Puts text on the clipboard of the page (the context must grant clipboard permissions). */
export async function setClipboard(page: Page, text: string): Promise<void> {
  // Runs in the page; typed loosely because the e2e project compiles without the DOM library.
  await page.evaluate((value) => {
    const nav = (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator;
    return nav.clipboard.writeText(value);
  }, text);
}
