import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../emulator/jira';
import type { CliIo } from '../command';
import { main } from '../index';

/**
 * `entra-sync sync --json` carries the remote pace the progress shows ("N requests/s, limited by Jira"), per target,
 * with the pacer's totals: against a demo Jira whose rate limit (20 requests/s, a bucket of 5) holds the sync back.
 */
let entra: RunningEmulator;
let jira: RunningJiraEmulator;
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  entra = await startEmulator({ users: 30, groups: 4, seed: 8 });
  jira = await startJiraEmulator({ rateLimit: { limit: 5, fillRate: 20, intervalSeconds: 1 } });
  root = mkdtempSync(join(tmpdir(), 'cli-sync-pace-'));
  const { info } = entra;
  env = {
    AZURE_TENANT_ID: info.tenantId,
    AZURE_CLIENT_ID: info.clientId,
    AZURE_CLIENT_SECRET: info.clientSecret,
    AZURE_AUTHORITY_HOST: info.authorityHost,
    ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
    NODE_EXTRA_CA_CERTS: info.caCertPath,
    ENTRA_SYNC_DATA_DIR: join(root, 'data'),
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
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface PaceJson {
  requestsPerSecond: number | null;
  limitedBy: string | null;
  requests: number;
  throttled: number;
  allowedPerSecond: number | null;
  waitedMs: number;
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { target: string; pace: PaceJson | null; dryRun: boolean; status: string });

describe('entra-sync sync --json: the pace of a rate-limited Jira', () => {
  it('prints the pace while applying and the totals per target; null for the embedded directory', async () => {
    const added = await cli(
      ['targets', 'add', 'jira', '--name', 'Slow Jira', '--url', jira.info.baseUrl, '--ca-cert', jira.info.caCertPath],
      { ENTRA_SYNC_TARGET_SECRET: jira.info.adminToken },
    );
    expect(added.code, added.stderr).toBe(0);

    // A dry run reads Jira but applies nothing: totals, and no pace while applying.
    const dry = lines((await cli(['sync', '--target', 'Slow Jira', '--dry-run', '--json'])).stdout);
    expect(dry).toHaveLength(1);
    expect(dry[0]!.pace).toMatchObject({ requestsPerSecond: null, limitedBy: null, allowedPerSecond: 20 });
    expect(dry[0]!.pace!.requests).toBeGreaterThan(0);

    const run = await cli(['sync', '--target', 'all', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [local, slow] = lines(run.stdout);
    expect(local).toMatchObject({ target: 'local', pace: null });
    expect(slow).toMatchObject({ target: 'Slow Jira', status: 'succeeded' });
    const pace = slow!.pace!;
    expect(pace.limitedBy).toBe('Jira');
    expect(pace.requestsPerSecond).toBeGreaterThan(0);
    expect(pace.allowedPerSecond).toBe(20);
    // Over 30 users created at 20 requests/s from a bucket of 5: the pacer waited for the rate limit.
    expect(pace.requests).toBeGreaterThan(30);
    expect(pace.waitedMs).toBeGreaterThan(0);
    expect(pace.throttled).toBeGreaterThanOrEqual(0);

    // Without --json, the summary of a target ends with its pace.
    const text = await cli(['sync', '--target', 'Slow Jira']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Pace: .*\d+ requests, \d+ answered 429\.$/m);
  });
});
