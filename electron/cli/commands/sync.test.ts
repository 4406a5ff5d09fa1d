import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrng } from '../../emulator/prng';
import { openDatabase } from '../../services/sync/database';
import { directorySnapshot, startSyncFixture, type SyncFixture } from '../../services/sync/test-support';
import { main } from '../index';
import type { CliIo } from '../command';

/** `entra-sync sync` against a demo tenant through the environment variables, as an admin's cron job would run it. */
describe('entra-sync sync', () => {
  let f: SyncFixture;
  let env: Record<string, string>;
  let n = 0;

  beforeAll(async () => {
    f = await startSyncFixture({ users: 3000, groups: 300, seed: 3 });
    const { info } = f.emulator;
    env = {
      AZURE_TENANT_ID: info.tenantId,
      AZURE_CLIENT_ID: info.clientId,
      AZURE_CLIENT_SECRET: info.clientSecret,
      AZURE_AUTHORITY_HOST: info.authorityHost,
      ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
      NODE_EXTRA_CA_CERTS: info.caCertPath,
      ENTRA_SYNC_DATA_DIR: join(f.dir, 'data'),
    };
  });
  afterAll(async () => {
    await f.close();
  });

  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env,
      stopSignal: new Promise(() => {}),
    };
    const code = await main(['sync', ...args], io);
    return { code, stdout, stderr };
  }

  it('syncs, prints the JSON summary, exits 0; a dry run changes nothing; the secret is never printed', async () => {
    const db = join(f.dir, `cli-${++n}.db`);
    const dry = await cli(['--dry-run', '--json', '--db', db]);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as {
      plan: Record<string, number>;
      applied: Record<string, number>;
      blocked: boolean;
      mode: string;
    };
    expect(planned).toMatchObject({ mode: 'full', blocked: false, applied: { 'create-user': 0 } });
    expect(planned.plan['create-user']).toBe(3000);

    const run = await cli(['--json', '--db', db]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['runId', 'mode', 'plan', 'applied', 'blocked', 'durationMs', 'graphRequests']),
    );
    expect(json).toMatchObject({ status: 'succeeded', mode: 'delta', applied: { 'create-user': 3000 } });
    expect(json.graphRequests).toBeGreaterThan(0);

    const text = await cli(['--db', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/succeeded, delta read/);
    for (const out of [dry, run, text]) expect(out.stdout + out.stderr).not.toContain(f.emulator.info.clientSecret);
  });

  it('exits 3 when the safety brake holds the plan, and applies it once with --confirm', async () => {
    const db = join(f.dir, `cli-${++n}.db`);
    expect((await cli(['--db', db])).code).toBe(0);
    const policyFile = join(f.dir, 'narrow.json');
    const group = f.emulator.control.groups().find((g) => g.displayName === 'All Employees')!;
    // A narrowed user scope and a group-name pattern typo: both kinds of removal, each over its own limit.
    writeFileSync(
      policyFile,
      JSON.stringify({
        sync: {
          users: { scope: 'requiredGroups', requiredGroupIds: [group.id] },
          groups: { scope: 'namePattern', namePattern: 'jria-*' },
        },
      }),
    );
    const asJson = await cli(['--db', db, '--policy', policyFile, '--json']);
    expect(asJson.code).toBe(3);
    const brake = (JSON.parse(asJson.stdout) as { plan: Record<string, number>; brake: Record<string, unknown> | null }).brake!;
    const planned = (JSON.parse(asJson.stdout) as { plan: Record<string, number> }).plan;
    expect(planned['delete-group']).toBeGreaterThan(5);
    expect(brake).toMatchObject({
      code: 'threshold-exceeded',
      risk: { disabling: planned['disable-user'], deletingGroups: planned['delete-group'], groupShare: 1 },
    });
    expect((brake.crossed as { subject: string }[]).map((c) => c.subject)).toEqual(expect.arrayContaining(['users', 'groups']));

    const held = await cli(['--db', db, '--policy', policyFile]);
    expect(held.code).toBe(3);
    const groups = planned['delete-group']!.toLocaleString('en-US');
    expect(held.stdout).toContain(
      `Held by the safety brake: This plan would disable ${planned['disable-user']!.toLocaleString('en-US')} users and delete 0 users`,
    );
    expect(held.stdout).toContain(`delete ${groups} groups (100% of ${groups} synced groups) and remove 0 memberships`);
    expect(held.stdout).toContain(`groups deleted: ${groups} (100% of synced groups), more than the limits of 5 groups and 10%`);
    expect(held.stdout).toContain('users disabled or deleted: ');
    expect(held.stdout).not.toMatch(/threshold-exceeded/);
    const runId = /--confirm (\S+)/.exec(held.stdout)![1]!;
    expect((await cli(['--db', db, '--policy', policyFile, '--confirm', runId])).code).toBe(0);
    expect((await cli(['--db', db, '--policy', policyFile, '--confirm', runId])).code).toBe(1);
  });

  it('reports usage errors and missing credentials with exit 2', async () => {
    expect((await cli(['--nope'])).code).toBe(2);
    const saved = env;
    env = { ...env, AZURE_CLIENT_SECRET: '' };
    const missing = await cli(['--dry-run']);
    env = saved;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('AZURE_CLIENT_SECRET');
  });

  it('converges after the sync process is killed at random points during apply (4 trials)', async () => {
    const referenceDb = join(f.dir, 'reference.db');
    expect((await cli(['--db', referenceDb])).code).toBe(0);
    const ref = openDatabase(referenceDb);
    const reference = directorySnapshot(ref);
    ref.close();
    const prng = createPrng(7);
    let interrupted = 0;
    for (let trial = 0; trial < 4; trial++) {
      const db = join(f.dir, `killed-${trial}.db`);
      const killed = await runAndKill(['sync', '--db', db], { ...process.env, ...env }, Math.floor(prng.next() * 600));
      const check = openDatabase(db);
      const run = check.prepare(`SELECT status, item_count FROM sync_runs ORDER BY started_at LIMIT 1`).get() as
        { status: string; item_count: number } | undefined;
      check.close();
      if (killed && run?.status === 'running') interrupted++;
      const rerun = await cli(['--json', '--db', db]);
      expect(rerun.code, rerun.stderr).toBe(0);
      const after = openDatabase(db);
      expect(directorySnapshot(after), `trial ${trial}`).toEqual(reference);
      after.close();
    }
    // The kills landed inside the apply at least once (timing varies; every trial still had to converge).
    expect(interrupted).toBeGreaterThan(0);
  }, 240_000);
});

/** Runs the CLI in a child process and SIGKILLs it `delayMs` after it reports the apply phase. */
function runAndKill(args: string[], env: NodeJS.ProcessEnv, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'entra-sync.js'), ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let armed = false;
    let killed = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (!armed && chunk.toString().includes('applying')) {
        armed = true;
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      resolve(killed && signal === 'SIGKILL');
    });
  });
}
