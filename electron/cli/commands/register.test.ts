/**
 * `entra-sync register --device-code` and `rotate --device-code` against `entra-sync emulator --admin-auto-approve`
 * (the command itself, serving in this process): the connection it saves passes `entra-sync validate` without any
 * AZURE_* credential variable, a re-run reuses the application, rotation keeps validate passing, the secret is
 * printed only with --print-secret, and nothing of the admin's sign-in reaches the data folder or the output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { main } from '../index';
import { emulatorCommand } from './emulator';

let root: string;
let dataDir: string;
let stopEmulator: () => void;
let served: Promise<number>;
let line: { authorityHost: string; graphBaseUrl: string; tenantId: string; caCertPath: string };
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cli-register-'));
  dataDir = join(root, 'data');
  let stdout = '';
  const gotLine = new Promise<void>((resolve) => {
    served = emulatorCommand.run(['--admin-auto-approve', '--users', '12', '--groups', '2', '--seed', '31'], {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('\n')) resolve();
      },
      stderr: () => undefined,
      env: {},
      stopSignal: new Promise<void>((resolve) => {
        stopEmulator = resolve;
      }),
    });
  });
  await gotLine;
  line = JSON.parse(stdout) as typeof line;
  env = {
    AZURE_AUTHORITY_HOST: line.authorityHost,
    ENTRA_GRAPH_BASE_URL: line.graphBaseUrl,
    NODE_EXTRA_CA_CERTS: line.caCertPath,
  };
});
afterAll(async () => {
  stopEmulator();
  await served;
  rmSync(root, { recursive: true, force: true });
});

/** Runs the terminal; `stopWhen` is Ctrl+C pressed once stderr reads so. */
async function cli(args: string[], extraEnv: Record<string, string> = {}, stopWhen?: (stderr: string) => boolean) {
  let stdout = '';
  let stderr = '';
  let stop: () => void = () => undefined;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => {
      stderr += t;
      if (stopWhen?.(stderr)) stop();
    },
    env: { ...env, ...extraEnv },
    stopSignal: new Promise((resolve) => (stop = resolve)),
  };
  const code = await main([...args, '--data-dir', dataDir], io);
  outputs.push(stdout, stderr);
  return { code, stdout, stderr };
}

function dataFolderText(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(readFileSync(path, 'latin1'));
    }
  };
  walk(dataDir);
  return files.join('\n');
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

describe('entra-sync register --device-code', () => {
  let first: { tenantId: string; clientId: string; appObjectId: string; reused: boolean; secretExpiresAt: string };

  it('creates the registration, saves the connection, and entra-sync validate passes on it alone', async () => {
    const run = await cli(['register', '--device-code', '--json', '--name', 'CLI sync']);
    expect(run.code, run.stderr).toBe(0);
    first = JSON.parse(run.stdout) as typeof first;
    expect(Object.keys(first).sort()).toEqual(['appObjectId', 'clientId', 'reused', 'secretExpiresAt', 'tenantId']);
    expect(first).toMatchObject({ tenantId: line.tenantId, reused: false });
    expect(run.stderr).toMatch(
      /To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code/,
    );
    expect(run.stderr).toMatch(/Application\.ReadWrite\.All/);
    expect(run.stderr).toMatch(/DONE\] The connection works/);

    const validate = await cli(['validate', '--json']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true });
    const expiry = await cli(['expiry', '--json']);
    expect(expiry.code, expiry.stdout + expiry.stderr).toBe(0);
    const sync = await cli(['sync', '--dry-run']);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
  });

  it('never prints the secret without --print-secret, and keeps the admin tokens out of the data folder', () => {
    const saved = JSON.parse(readFileSync(join(dataDir, 'terminal-connection.json'), 'utf8')) as {
      clientId: string;
      secretKeyId: string;
    };
    expect(saved.clientId).toBe(first.clientId);
    expect(JSON.stringify(saved)).not.toMatch(/8Q~/);
    for (const text of outputs) expect(text).not.toMatch(/[A-Za-z0-9._~-]{3}8Q~[A-Za-z0-9._~-]{34}/);
    expect(dataFolderText()).not.toMatch(JWT);
    for (const text of outputs) expect(text).not.toMatch(JWT);
  });

  it('a second run reuses the application it created', async () => {
    const run = await cli(['register', '--device-code', '--json', '--name', 'CLI sync']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ clientId: first.clientId, appObjectId: first.appObjectId, reused: true });
  });

  it('Ctrl+C while the steps run stops them, says what was created, and removes it', async () => {
    const run = await cli(['register', '--device-code', '--json', '--name', 'CLI sync (Ctrl+C)'], {}, (text) =>
      text.includes('Creating the service principal'),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Cancelled while .*Created before it stopped: the application “CLI sync \(Ctrl\+C\)”/);
    expect(run.stderr).not.toMatch(/Granting Directory\.Read\.All/);
    expect(run.stderr).toMatch(/Removed: nothing of this run is left in the tenant/);
    // The connection saved before is still the one in use.
    const saved = JSON.parse(readFileSync(join(dataDir, 'terminal-connection.json'), 'utf8')) as { clientId: string };
    expect(saved.clientId).toBe(first.clientId);
  });

  it('prints the secret with --print-secret, with a warning on stderr', async () => {
    const run = await cli(['register', '--device-code', '--json', '--print-secret', '--name', 'CLI sync']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { clientSecret?: string };
    expect(out.clientSecret).toMatch(/^.{3}8Q~/);
    expect(run.stderr).toMatch(/WARNING: the client secret is printed/);
  });

  it('rotate --device-code replaces the saved secret, removes the old one, and validate still passes', async () => {
    const before = JSON.parse(readFileSync(join(dataDir, 'terminal-connection.json'), 'utf8')) as { secretKeyId: string };
    const run = await cli(['rotate', '--device-code', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { added: { keyId: string }; removed: { keyId: string } | null };
    expect(result.removed?.keyId).toBe(before.secretKeyId);
    const after = JSON.parse(readFileSync(join(dataDir, 'terminal-connection.json'), 'utf8')) as { secretKeyId: string };
    expect(after.secretKeyId).toBe(result.added.keyId);
    const validate = await cli(['validate', '--json']);
    expect(validate.code, validate.stdout).toBe(0);
  });

  it('refuses without --device-code and with a lifetime beyond 24 months', async () => {
    expect((await cli(['register'])).code).toBe(2);
    const long = await cli(['register', '--device-code', '--secret-months', '36']);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/1 to 24/);
  });
});
