import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../emulator/jira';
import type { CliIo } from '../command';
import { main } from '../index';

/**
 * `entra-sync targets settings NAME` from a fresh data folder with the demo Jira added: shown inherited, changed
 * (own settings, e-mail matching, protected groups, group deletion) in one write that the settings file and the app's
 * `targets:getSync` agree on, wrong values refused with nothing written; then `sync --target all`, whose one read of
 * Entra is counted on the embedded directory's row only.
 */
let entra: RunningEmulator;
let jira: RunningJiraEmulator;
let root: string;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  entra = await startEmulator({ users: 20, groups: 5, seed: 41 });
  jira = await startJiraEmulator();
  root = mkdtempSync(join(tmpdir(), 'cli-target-settings-'));
  dataDir = join(root, 'data');
  const { info } = entra;
  env = {
    AZURE_TENANT_ID: info.tenantId,
    AZURE_CLIENT_ID: info.clientId,
    AZURE_CLIENT_SECRET: info.clientSecret,
    AZURE_AUTHORITY_HOST: info.authorityHost,
    ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
    NODE_EXTRA_CA_CERTS: info.caCertPath,
    ENTRA_SYNC_VAULT: 'file',
  };
  const added = await cli(
    ['targets', 'add', 'jira', '--name', 'Demo Jira', '--url', jira.info.baseUrl, '--ca-cert', jira.info.caCertPath],
    { ENTRA_SYNC_TARGET_SECRET: jira.info.adminToken },
  );
  expect(added.code, added.stderr).toBe(0);
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
  return { code, stdout, stderr };
}

const json = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const settingsFile = () => readFileSync(join(dataDir, 'settings.json'), 'utf8');
const storedTarget = () =>
  (JSON.parse(settingsFile()) as { targets: Record<string, unknown>[] }).targets.find((t) => t.name === 'Demo Jira')!;

describe('entra-sync targets settings NAME', () => {
  it('shows, then changes in one write, the settings Sync settings → "Settings for" shows', async () => {
    const shown = await cli(['targets', 'settings', 'demo jira', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(json(shown.stdout)[0]).toMatchObject({
      name: 'Demo Jira',
      product: 'jira',
      inherit: true,
      matchByEmail: false,
      protectedGroups: [],
      deleteVanishedGroups: false,
      adminGroups: ['jira-administrators', 'jira-system-administrators'],
      saved: false,
    });
    const text = await cli(['targets', 'settings', 'Demo Jira']);
    expect(text.stdout).toContain('sync settings: inherited, the global ones');
    expect(text.stdout).toContain('always protected: jira-administrators, jira-system-administrators, and the account');

    const changed = await cli([
      'targets',
      'settings',
      'Demo Jira',
      '--inherit',
      'off',
      '--match-by-email',
      'on',
      '--protect-group',
      'Team A',
      '--protect-group',
      'Finance ',
      '--protect-group',
      'JIRA-Administrators',
      '--delete-vanished-groups',
      'on',
      '--json',
    ]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(json(changed.stdout)[0]).toMatchObject({
      inherit: false,
      matchByEmail: true,
      // An administrator group is always protected: not kept twice.
      protectedGroups: ['Team A', 'Finance'],
      deleteVanishedGroups: true,
      saved: true,
    });
    // What the app reads: its own policy (the global one it started from), the rules beside it.
    expect(storedTarget()).toMatchObject({
      matchByEmail: true,
      protectedGroups: ['Team A', 'Finance'],
      deleteVanishedGroups: true,
      sync: JSON.parse(settingsFile()).sync,
    });

    const dropped = await cli(['targets', 'settings', 'Demo Jira', '--unprotect-group', 'team a']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toContain('protected groups: Finance\n');
    expect(dropped.stdout).toContain('sync settings: its own');

    const back = await cli(['targets', 'settings', 'Demo Jira', '--inherit', 'on', '--json']);
    expect(json(back.stdout)[0]).toMatchObject({ inherit: true, matchByEmail: true, protectedGroups: ['Finance'] });
    expect(storedTarget().sync).toBe('inherit');
  });

  it('refuses wrong values with a clear message and writes nothing, not even the valid flags beside them', async () => {
    const before = settingsFile();
    const refused = async (args: string[], code: number, message: string) => {
      const r = await cli(['targets', 'settings', ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toContain(message);
      expect(settingsFile()).toBe(before);
      return r;
    };
    await refused(
      ['Demo Jira', '--match-by-email', 'off', '--delete-vanished-groups', 'maybe'],
      2,
      '--delete-vanished-groups is on or off (not "maybe")',
    );
    await refused(['Demo Jira', '--inherit', 'yes'], 2, '--inherit is on or off');
    await refused(
      ['Demo Jira', '--protect-group', 'X', '--unprotect-group', 'Team Nobody'],
      1,
      '"Team Nobody" is not a protected group of "Demo Jira" (protected: Finance)',
    );
    await refused(
      ['Demo Jira', '--unprotect-group', 'jira-administrators'],
      1,
      'administrator groups, which the sync never touches',
    );
    await refused(['Demo Jira', '--protect-group', 'A', '--unprotect-group', 'a'], 2, '"A" is both protected and unprotected');
    await refused(['Demo Jira', '--protect-group', 'x'.repeat(256)], 2, 'at most 255 characters');
    await refused(['Demo Jira', '--colour', 'red'], 2, "Unknown option '--colour'");
    await refused(['local', '--inherit', 'off'], 1, 'The embedded directory (local) always syncs with the global sync settings');
    const elsewhere = await cli(['targets', 'list', '--match-by-email', 'on']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('--match-by-email goes with `targets settings NAME`');
    const unknown = await refused(['Nobody', '--match-by-email', 'on', '--json'], 1, 'No target is called "Nobody"');
    expect(json(unknown.stdout)[0]).toEqual({ error: { code: 'target-not-found', message: expect.stringContaining('Nobody') } });
  });

  it('sync --target all counts its one Entra read on the embedded directory row, the Jira row says where it is counted', async () => {
    const all = await cli(['sync', '--target', 'all', '--dry-run', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const [local, remote] = json(all.stdout) as { runId: string; target: string; graphRequests: number; sharedRead: unknown }[];
    expect([local!.target, remote!.target]).toEqual(['local', 'Demo Jira']);
    expect(local!.graphRequests).toBeGreaterThan(0);
    expect(remote!.graphRequests).toBe(0);
    const shared = { targets: 2, countedOnRunId: local!.runId, countedOnTargetId: 'local' };
    expect(local!.sharedRead).toEqual(shared);
    expect(remote!.sharedRead).toEqual(shared);

    const text = await cli(['sync', '--target', 'all', '--dry-run']);
    expect(text.stdout).toContain('Entra was read once for 2 targets; its Graph requests are counted on this run only.');
    expect(text.stdout).toMatch(
      /Target Demo Jira:\nRun \S+: succeeded \(dry run\), \w+ read, \d+ ms, 0 Graph requests\.\nEntra was read once for 2 targets; its Graph requests are counted on the run into local, not again here\./,
    );
  });
});
