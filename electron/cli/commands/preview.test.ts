import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { previewCommand } from './preview';

/** `entra-sync preview` over a data folder whose files were found damaged: said in the terminal at start. */
describe('entra-sync preview', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'esa-preview-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the settings and vault notices on stderr and keeps stdout to the one JSON line', async () => {
    // A renderer of its own, so the test does not depend on `npm run build` having run before the unit tests.
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>test</title>');
    writeFileSync(join(dir, 'settings.json'), '{"ui": ');
    writeFileSync(join(dir, 'secrets.json'), '{"connection.clientSecret": "YWJj');
    let stdout = '';
    let stderr = '';
    let stop!: () => void;
    let served!: () => void;
    const up = new Promise<void>((resolve) => (served = resolve));
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
        served();
      },
      stderr: (text) => void (stderr += text),
      env: { ENTRA_SYNC_RENDERER_DIR: renderer },
      stopSignal: new Promise<void>((resolve) => (stop = resolve)),
    };
    const exit = previewCommand.run(['--json', '--data-dir', dir], io);
    await up;
    stop();
    expect(await exit).toBe(0);

    expect(JSON.parse(stdout)).toMatchObject({ dataDir: dir });
    expect(stderr).toMatch(/^Warning: The settings file was damaged.*Backup: .*settings\.json\.corrupt-.*\.json$/m);
    expect(stderr).toMatch(
      /^Warning: The saved secrets could not be read.*Enter the client secret again.*secrets\.json\.corrupt-/m,
    );
  });
});
