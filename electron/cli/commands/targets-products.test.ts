import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetProducts, type TargetProduct } from '../../../shared/targets';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { demoTargetStarters, type StartedDemoTarget } from '../../emulator/demo-targets';
import type { CliIo } from '../command';
import { main } from '../index';

/**
 * `entra-sync targets add PRODUCT` for every product beside Jira (Confluence, Bitbucket, Crowd, SCIM), each against
 * its demo product over HTTPS from a fresh data folder: the sign-in each needs (a username for Bitbucket and Crowd,
 * the Atlassian Cloud preset for SCIM), a wrong flag refused, then `sync --target NAME` writes into it — and the
 * secret is in no output and in no file of the data folder but the target vault.
 */
const products = targetProducts.filter((p) => p !== 'jira' && demoTargetStarters[p]);
let entra: RunningEmulator;
let root: string;
let env: Record<string, string>;
const started = new Map<TargetProduct, StartedDemoTarget>();
const outputs: string[] = [];

beforeAll(async () => {
  entra = await startEmulator({ users: 20, groups: 4, seed: 31 });
  for (const p of products) started.set(p, await demoTargetStarters[p]!());
  root = mkdtempSync(join(tmpdir(), 'cli-targets-products-'));
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
  for (const s of started.values()) await s.close();
  await entra.close();
  rmSync(root, { recursive: true, force: true });
});

async function cli(dataDir: string, args: string[], extraEnv: Record<string, string> = {}) {
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

describe('entra-sync targets add PRODUCT and sync --target into each demo product', () => {
  it.each(products)('%s: added with its own sign-in, synced into, the secret only in the vault', async (product) => {
    const demo = started.get(product)!;
    const dataDir = join(root, product);
    const secret = demo.info.secret;
    const add = [
      'targets',
      'add',
      product,
      '--name',
      `Demo ${product}`,
      '--url',
      demo.info.baseUrl,
      '--ca-cert',
      demo.caCertPath,
      ...(demo.info.username ? ['--username', demo.info.username] : []),
      ...(product === 'scim' ? ['--preset', 'atlassian-cloud'] : []),
    ];
    // A flag of another product is refused before anything is sent.
    const wrongFlag = product === 'bitbucket' ? ['--preset', 'atlassian-cloud'] : ['--disable-means', 'delete'];
    expect((await cli(dataDir, [...add, ...wrongFlag], { ENTRA_SYNC_TARGET_SECRET: secret })).code).toBe(2);
    if (demo.info.username) {
      const noUser = add.filter((a, i) => a !== '--username' && add[i - 1] !== '--username');
      const refused = await cli(dataDir, noUser, { ENTRA_SYNC_TARGET_SECRET: secret });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('needs --username');
    }

    const added = await cli(dataDir, [...add, '--json'], { ENTRA_SYNC_TARGET_SECRET: secret });
    expect(added.code, added.stderr + added.stdout).toBe(0);
    const saved = JSON.parse(added.stdout) as { saved: boolean; target: Record<string, unknown> };
    expect(saved.saved).toBe(true);
    expect(saved.target).toMatchObject({ product, ...(demo.info.username ? { username: demo.info.username } : {}) });
    if (product === 'scim') expect(saved.target.preset).toBe('atlassian-cloud');
    if (product === 'bitbucket') expect(saved.target.disableMeans).toBe('unlicense');

    const tested = await cli(dataDir, ['targets', 'test', `Demo ${product}`, '--json']);
    expect(tested.code, tested.stderr + tested.stdout).toBe(0);
    if (product === 'crowd') {
      // The test only reads unless asked: --write-test creates one empty probe group and deletes it.
      const admin = (out: string) =>
        (JSON.parse(out) as { checks: { id: string; code: string; message: string }[] }).checks.find((c) => c.id === 'admin')!;
      expect(admin(tested.stdout).code).toBe('write-unconfirmed');
      const written = await cli(dataDir, ['targets', 'test', `Demo ${product}`, '--write-test', '--json']);
      expect(written.code, written.stderr + written.stdout).toBe(0);
      expect(admin(written.stdout).code).toBe('ok');
      expect(admin(written.stdout).message).toMatch(
        /created the empty group entra-sync-connection-test-[0-9a-f]{8} and deleted it/,
      );
    }

    const synced = await cli(dataDir, ['sync', '--target', `Demo ${product}`, '--json']);
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    const run = JSON.parse(synced.stdout.trim().split('\n').at(-1)!) as {
      target: string;
      status: string;
      failedItems: number;
      applied: Record<string, number>;
    };
    expect(run).toMatchObject({ target: `Demo ${product}`, status: 'succeeded', failedItems: 0 });
    expect(run.applied['create-user']).toBeGreaterThan(0);
    // A second sync has nothing left to do there.
    const again = await cli(dataDir, ['sync', '--target', `Demo ${product}`, '--json']);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const plan = (JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { plan: Record<string, number> }).plan;
    expect(
      Object.values(plan).every((n) => n === 0),
      JSON.stringify(plan),
    ).toBe(true);

    for (const text of outputs) expect(text).not.toContain(secret);
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name !== 'target-secrets.json')
      .map((f) => join(f.parentPath, f.name));
    for (const file of files) expect(readFileSync(file).toString('latin1'), file).not.toContain(secret);
  });
});
