/**
 * A failure at `ready` must not leave a white window or a process with nothing on screen: the built main process
 * logs why and exits with code 1. Its own file, so electron-log (one per process) writes to this run's folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBuiltMain } from './load-shell';

const root = mkdtempSync(join(tmpdir(), 'esa-shell-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every main.log under `dir`, joined: electron-log puts it under userData or logs depending on the platform. */
function logsUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'main.log')
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('the built Electron main process at start-up', () => {
  it('exits with code 1 and logs why when the app cannot start', async () => {
    // Electron refusing the window (no display, a GPU process that died) throws inside the ready callback.
    const shell = await startBuiltMain({ root, failWindows: 'the display server went away' });
    const unhandled = new Promise<never>((_, reject) =>
      process.once('unhandledRejection', (reason) =>
        reject(new Error(`start-up failed unhandled, without app.exit: ${String(reason)}`)),
      ),
    );
    await shell.app.becomeReady();

    expect(await Promise.race([shell.app.exited.promise, unhandled])).toBe(1);
    // The admin sees what happened and what to do, not just a process that went away.
    const [box] = shell.callsTo('dialog.showErrorBox');
    expect(box?.args[0]).toBe('Entra Sync Assistant could not start');
    expect(box?.args[1]).toMatch(/the display server went away[\s\S]*start the app again/);
    const log = logsUnder(root);
    expect(log).toContain('failed to start');
    expect(log).toContain('the display server went away');
  });
});
