import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running `entra-sync preview`: the real browser host over a fresh data folder. */
export interface PreviewHost {
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  /** Stops the host and starts it again on the same data folder (the app restarting). */
  restart(): Promise<void>;
}

async function startPreview(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; origin: string }> {
  const child = spawn(process.execPath, ['bin/entra-sync.js', 'preview', '--json', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Tests never write into a developer's system keychain: the target vault is the data folder's file.
    env: { ...process.env, ENTRA_SYNC_VAULT: 'file', ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`preview exited with ${code}: ${stderr}`)));
  });
  const { url, origin } = JSON.parse(line) as { url: string; origin: string };
  return { child, url, origin };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Where screenshots go: looked at by people, kept as CI artifacts. */
export const artifactsDir = join(process.cwd(), 'e2e-artifacts');

export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

export const test = base.extend<{
  host: PreviewHost;
  seedFiles: Readonly<Record<string, string>>;
  hostEnv: Readonly<Record<string, string>>;
}>({
  /** Files (name → content) written into the data folder before the host first opens it: `test.use({ seedFiles })`. */
  seedFiles: [{}, { option: true }],
  /** Extra environment of the host process, e.g. a fixed clock (`ENTRA_SYNC_TEST_NOW`) and zone (`TZ`). */
  hostEnv: [{}, { option: true }],
  host: async ({ seedFiles, hostEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esa-e2e-'));
    for (const [name, content] of Object.entries(seedFiles)) writeFileSync(join(dataDir, name), content);
    let running = await startPreview(dataDir, hostEnv);
    const host: PreviewHost = {
      get url() {
        return running.url;
      },
      get origin() {
        return running.origin;
      },
      dataDir,
      async restart() {
        await stop(running.child);
        running = await startPreview(dataDir, hostEnv);
      },
    };
    await use(host);
    await stop(running.child);
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
