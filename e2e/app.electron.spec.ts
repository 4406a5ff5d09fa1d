import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../scripts/electron-binary.js';

/** The Electron binary's path, or undefined where it could not be downloaded (our CI machines). */
const binary = findElectronBinary();

test.describe('the desktop window', () => {
  test.skip(!binary, 'skipped: no Electron binary on this machine (it is downloaded from GitHub, which is unreachable here)');

  test('opens securely on the model chooser and remembers the choice', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'esa-electron-'));
    const launch = () => electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${userData}`] });
    let app = await launch();
    const window = await app.firstWindow();
    await expect(
      window.getByRole('heading', { level: 1, name: 'How should users get from Entra ID into Atlassian?' }),
    ).toBeVisible();
    // Isolated and sandboxed: no Node in the page, and window.api is exactly the contract's two functions.
    const page = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((globalThis as unknown as { api: object }).api).sort(),
    }));
    expect(page).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'on'] });
    await window.getByRole('button', { name: 'Choose User Sync' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();
    await app.close();

    app = await launch();
    const again = await app.firstWindow();
    await expect(again.getByRole('heading', { level: 1, name: 'Connect your Entra tenant' })).toBeVisible();
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  });
});
