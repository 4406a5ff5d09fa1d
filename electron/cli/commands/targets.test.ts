import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../emulator/jira';
import type { CliIo } from '../command';
import { main } from '../index';

/**
 * The terminal host from a fresh data folder against the demo tenant and the demo Jira: add (a wrong token refused
 * first), list, test, sync --target (dry run, apply, a second run empty), --target all, remove. The token must show
 * up nowhere — not in any output, not in any file of the data folder but the vault.
 */
let entra: RunningEmulator;
let jira: RunningJiraEmulator;
let root: string;
let dataDir: string;
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 25, groups: 6, seed: 21 });
  jira = await startJiraEmulator();
  root = mkdtempSync(join(tmpdir(), 'cli-targets-'));
  dataDir = join(root, 'fresh data');
  const { info } = entra;
  env = {
    AZURE_TENANT_ID: info.tenantId,
    AZURE_CLIENT_ID: info.clientId,
    AZURE_CLIENT_SECRET: info.clientSecret,
    AZURE_AUTHORITY_HOST: info.authorityHost,
    ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
    NODE_EXTRA_CA_CERTS: info.caCertPath,
  };
});
afterAll(async () => {
  await jira.close();
  await entra.close();
  rmSync(root, { recursive: true, force: true });
});

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...env, ...extraEnv },
    stopSignal: new Promise(() => {}),
  };
  const code = await main([...args, '--data-dir', dataDir], io);
  outputs.push(stdout, stderr);
  return { code, stdout, stderr };
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('entra-sync targets and sync --target against the demo Jira', () => {
  it('adds, tests, syncs and removes a Jira target; the token is in the vault and nowhere else', async () => {
    const token = jira.info.adminToken;
    const add = ['targets', 'add', 'jira', '--name', 'Demo Jira', '--url', jira.info.baseUrl, '--ca-cert', jira.info.caCertPath];

    // A wrong token: the test fails, nothing is saved, the failing check is printed.
    const wrong = await cli([...add, '--json'], { ENTRA_SYNC_TARGET_SECRET: 'not-the-token-1234' });
    expect(wrong.code).toBe(1);
    const refused = lines(wrong.stdout)[0] as { saved: boolean; report: { checks: { id: string; status: string }[] } };
    expect(refused.saved).toBe(false);
    expect(refused.report.checks).toContainEqual(expect.objectContaining({ id: 'token', status: 'fail' }));
    expect((lines((await cli(['targets', 'list', '--json'])).stdout)[0] as { targets: unknown[] }).targets).toHaveLength(1);

    // No token at all, and no terminal to type it at: a usage error, never a flag.
    expect((await cli(add)).code).toBe(2);

    const added = await cli([...add, '--json'], { ENTRA_SYNC_TARGET_SECRET: token });
    expect(added.code, added.stderr).toBe(0);
    expect(lines(added.stdout)[0]).toMatchObject({
      saved: true,
      target: { name: 'Demo Jira', tokenHint: `••••${token.slice(-4)}` },
    });

    const test = await cli(['targets', 'test', 'demo jira', '--json']);
    expect(test.code, test.stderr + test.stdout).toBe(0);
    const report = lines(test.stdout)[0] as { ok: boolean; product: string; version: string; checks: Record<string, unknown>[] };
    expect(report).toMatchObject({ ok: true, version: '10.3.6' });
    expect(Object.keys(report.checks[0]!).sort()).toEqual(['code', 'fix', 'id', 'message', 'status']);

    const dry = await cli(['sync', '--target', 'Demo Jira', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = lines(dry.stdout);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ target: 'Demo Jira', dryRun: true, status: 'succeeded' });
    expect((planned[0]!.plan as Record<string, number>)['create-user']).toBeGreaterThan(15);
    const seeded = jira.control.users().length;
    expect(jira.control.users()).toHaveLength(seeded);

    const run = await cli(['sync', '--target', 'Demo Jira', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const applied = lines(run.stdout)[0]!;
    expect(applied).toMatchObject({ target: 'Demo Jira', status: 'succeeded', failedItems: 0 });
    expect(jira.control.users().length).toBe(seeded + (applied.applied as Record<string, number>)['create-user']!);

    // --target all: the embedded directory and the Jira target, one line each; Jira has nothing left to do.
    const all = await cli(['sync', '--target', 'all', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const each = lines(all.stdout);
    expect(each.map((l) => l.target)).toEqual(['local', 'Demo Jira']);
    expect(Object.values(each[1]!.plan as Record<string, number>).every((n) => n === 0)).toBe(true);

    const listed = await cli(['targets', 'list']);
    expect(listed.stdout).toContain('Demo Jira');

    // The token: only in the vault. Nothing printed, no other file of the data folder (settings, sync.db + WAL).
    for (const text of outputs) expect(text).not.toContain(token);
    const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dataDir, f)).isFile());
    // The file vault keeps each secret base64-encoded: the token appears in no file in any form but there.
    const encoded = Buffer.from(token, 'utf8').toString('base64');
    const holding = files.filter((f) => {
      const bytes = readFileSync(join(dataDir, f));
      return bytes.includes(token) || bytes.includes(encoded);
    });
    expect(holding).toEqual(['target-secrets.json']);
    expect(files.filter((f) => readFileSync(join(dataDir, f)).includes(token))).toEqual([]);
    expect(files).toContain('settings.json');
    if (process.platform !== 'win32') expect(statSync(join(dataDir, 'target-secrets.json')).mode & 0o077).toBe(0);

    const removed = await cli(['targets', 'remove', 'Demo Jira']);
    expect(removed.code).toBe(0);
    expect((await cli(['targets', 'test', 'Demo Jira'])).code).toBe(1);
    expect(readFileSync(join(dataDir, 'target-secrets.json'), 'utf8')).not.toContain(encoded);
  });

  it('emulator --jira adds the demo Jira to its JSON line', async () => {
    let stdout = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let printed!: () => void;
    const line = new Promise<void>((resolve) => (printed = resolve));
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
        printed();
      },
      stderr: () => {},
      env: {},
      stopSignal: stopped,
    };
    const running = main(['emulator', '--users', '10', '--jira', '--jira-rate', '20'], io);
    await line;
    const info = JSON.parse(stdout) as { jira: { url: string; token: string; caCertPath: string } };
    expect(info.jira.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/jira$/);
    expect(info.jira.token.length).toBeGreaterThan(10);
    expect(readFileSync(info.jira.caCertPath, 'utf8')).toContain('BEGIN CERTIFICATE');
    stop();
    expect(await running).toBe(0);
  });
});
