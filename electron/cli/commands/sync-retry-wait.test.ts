import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * The terminal host as a cron job runs it: its own process, the tenant elsewhere. While it waits out a Retry-After
 * nothing else may hold its event loop (no request is open), so the wait itself must, or the process ends mid-run
 * with nothing said and an exit status that is not the run's.
 */
describe('entra-sync waiting out a Retry-After in its own process', () => {
  let emulator: Emulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ users: 20, groups: 4, seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'entra-sync-retry-wait-'));
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    const { info } = emulator;
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'entra-sync.js'), ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        AZURE_TENANT_ID: info.tenantId,
        AZURE_CLIENT_ID: info.clientId,
        AZURE_CLIENT_SECRET: info.clientSecret,
        AZURE_AUTHORITY_HOST: info.authorityHost,
        ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
        NODE_EXTRA_CA_CERTS: info.caCertPath,
        ENTRA_SYNC_DATA_DIR: join(dir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stdout + stderr).not.toContain(info.clientSecret);
    return { code, stdout, stderr };
  }

  it('validate waits out a 429 and reports the checks', { timeout: 120_000 }, async () => {
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 2 });
    const { code, stdout, stderr } = await run(['validate']);
    // Without the wait holding the loop: exit 13 (an unsettled top-level await) after the sign-in line.
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^\[PASS\] Client secret expiry/m);
    expect(stdout).not.toMatch(/^\[FAIL\]/m);
  });

  it('sync waits out a 429 on /users, finishes the run and exits 0', { timeout: 120_000 }, async () => {
    // The first read of /users answers 429 with Retry-After: 2, so the run sleeps 2 s with no request open.
    emulator.control.setFaults({ atRequest: { 1: '429' }, retryAfterSeconds: 2, paths: ['/users'] });
    const { code, stdout, stderr } = await run(['sync', '--json', '--db', join(dir, 'sync.db')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', applied: { 'create-user': 20 } });
  });
});
