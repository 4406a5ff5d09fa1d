/**
 * `entra-sync validate` and `entra-sync expiry` through the real CLI entry, credentials from the environment
 * (Azure SDK names) pointing at the emulated tenant over HTTPS, the CA trusted through NODE_EXTRA_CA_CERTS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { startFakeGraph } from '../../services/graph/fake-graph-server';
import type { CliIo } from '../command';
import { main } from '../index';

let emu: RunningEmulator;
const added: string[] = [];

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AZURE_TENANT_ID: emu.info.tenantId,
    AZURE_CLIENT_ID: emu.info.clientId,
    AZURE_CLIENT_SECRET: emu.info.clientSecret,
    AZURE_AUTHORITY_HOST: emu.info.authorityHost,
    ENTRA_GRAPH_BASE_URL: emu.info.graphBaseUrl,
    NODE_EXTRA_CA_CERTS: emu.info.caCertPath,
    ...over,
  };
}

async function cli(argv: string[], environment: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: environment,
    stopSignal: new Promise(() => {}),
  };
  const code = await main(argv, io);
  const secret = environment.AZURE_CLIENT_SECRET;
  if (secret) {
    expect(stdout).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }
  expect(stdout + stderr).not.toContain(emu.info.clientSecret);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  emu = await startEmulator({ users: 12, groups: 3, seed: 5 });
});
afterEach(() => {
  for (const keyId of added.splice(0)) emu.control.removeSecret(keyId);
  emu.control.denyAccess([]);
  emu.control.revokeConsent();
  emu.control.grantConsent(['Directory.Read.All']);
});
afterAll(async () => {
  await emu.close();
});

describe('entra-sync validate', () => {
  it('--json: exit 0 and the documented shape when every check passes', async () => {
    const { code, stdout } = await cli(['validate', '--json'], env());
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { ok: boolean; checks: Record<string, unknown>[]; secret: Record<string, unknown> };
    expect(Object.keys(json)).toEqual(['ok', 'checks', 'secret']);
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.id)).toEqual([
      'inputs',
      'tenant',
      'app',
      'secret',
      'permission',
      'users',
      'groups',
      'expiry',
    ]);
    expect(Object.keys(json.checks[0] ?? {})).toEqual(['id', 'status', 'code', 'message', 'fix', 'link', 'ms']);
    expect(Object.keys(json.secret)).toEqual(['expiresAt', 'daysLeft', 'source']);
    expect(json.secret.source).toBe('graph');
  });

  it('exit 1 for a wrong secret, naming the check and the fix, never printing the secret', async () => {
    const wrong = 'abc8Q~' + 'w'.repeat(34);
    const { code, stdout } = await cli(['validate'], env({ AZURE_CLIENT_SECRET: wrong }));
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[FAIL\] Sign-in with the client secret/);
    expect(stdout).toContain('Fix: Paste the secret’s Value');
    expect(stdout).toContain('abc••••••');
  });

  it('exit 1 with the consent fix and the API permissions link when consent is missing', async () => {
    emu.control.revokeConsent();
    const { code, stdout } = await cli(['validate'], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[FAIL\] Directory\.Read\.All with admin consent/);
    expect(stdout).toContain('/~/CallAnAPI/appId/');
    expect(stdout).toMatch(/\[SKIP\] Reading users: Skipped: needs the permission above\./);
  });

  it('without NODE_EXTRA_CA_CERTS the emulator’s certificate is named as untrusted', async () => {
    const { code, stdout } = await cli(['validate', '--json'], env({ NODE_EXTRA_CA_CERTS: undefined }));
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { checks: { id: string; status: string; code: string }[] };
    expect(json.checks[1]).toMatchObject({ id: 'tenant', status: 'fail', code: 'network-tls-untrusted' });
  });

  it('exit 2 for missing variables, naming them, and for a bad option', async () => {
    const missing = await cli(['validate'], env({ AZURE_CLIENT_SECRET: undefined, AZURE_TENANT_ID: '' }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Set AZURE_TENANT_ID, AZURE_CLIENT_SECRET');
    expect((await cli(['validate', '--timeout', 'soon'], env())).code).toBe(2);
    expect((await cli(['validate', '--nope'], env())).code).toBe(2);
  });

  it('exit 2 for an http:// Graph root or token host, before any check runs or passes', async () => {
    const issued = emu.control.counters().tokensIssued;
    const graphHttp = await cli(['validate'], env({ ENTRA_GRAPH_BASE_URL: emu.info.graphBaseUrl.replace('https:', 'http:') }));
    expect(graphHttp.code).toBe(2);
    expect(graphHttp.stderr).toContain('ENTRA_GRAPH_BASE_URL must start with https://');
    expect(graphHttp.stdout).not.toContain('PASS');
    const authorityHttp = await cli(
      ['validate'],
      env({ AZURE_AUTHORITY_HOST: emu.info.authorityHost.replace('https:', 'http:') }),
    );
    expect(authorityHttp.code).toBe(2);
    expect(authorityHttp.stderr).toContain('AZURE_AUTHORITY_HOST must start with https://');
    expect(emu.control.counters().tokensIssued).toBe(issued);
  });

  it('end to end against a flaky Graph: a 429 without Retry-After is retried and the run passes', async () => {
    const flaky = await startFakeGraph();
    const dir = mkdtempSync(join(tmpdir(), 'entra-sync-validate-'));
    try {
      const caPath = join(dir, 'ca.pem');
      writeFileSync(caPath, flaky.caCertPem);
      flaky.queue('/v1.0/users?$select=id&$top=1', [{ status: 429 }]);
      const { code, stdout } = await cli(['validate'], {
        AZURE_TENANT_ID: flaky.tenantId,
        AZURE_CLIENT_ID: flaky.clientId,
        AZURE_CLIENT_SECRET: flaky.clientSecret,
        AZURE_AUTHORITY_HOST: flaky.origin,
        ENTRA_GRAPH_BASE_URL: flaky.origin,
        NODE_EXTRA_CA_CERTS: caPath,
      });
      expect(stdout).toMatch(/\[PASS\] Directory\.Read\.All with admin consent/);
      expect(code).toBe(0);
      const probes = flaky.graphRequests().filter((r) => r.url === '/v1.0/users?$select=id&$top=1');
      expect(probes).toHaveLength(2);
      expect(probes.every((r) => r.authorization === `Bearer ${flaky.accessToken}`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await flaky.close();
    }
  });

  it('--demo tests an in-process demo tenant', async () => {
    const { code, stdout } = await cli(['validate', '--demo'], {});
    expect(code).toBe(0);
    expect(stdout).toContain('All checks passed');
  });
});

describe('entra-sync expiry', () => {
  it('exit 0 with more than 30 days left', async () => {
    const { code, stdout } = await cli(['expiry'], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/Client secret expires \d{4}-\d\d-\d\d: \d+ days left \(source: graph\)/);
  });

  it('counts calendar days, as the app does: a secret valid for a year has 365 days left, not 364', async () => {
    const year = emu.control.addSecret({ days: 365 });
    added.push(year.keyId);
    const text = await cli(['expiry'], env({ AZURE_CLIENT_SECRET: year.secretText }));
    expect(text.stdout).toMatch(/: 365 days left \(source: graph\)/);
    const json = await cli(['expiry', '--json'], env({ AZURE_CLIENT_SECRET: year.secretText }));
    expect(JSON.parse(json.stdout)).toMatchObject({ daysLeft: 365 });
  });

  it('exit 1 within 30 days', async () => {
    const soon = emu.control.addSecret({ days: 12 });
    added.push(soon.keyId);
    const { code, stdout } = await cli(['expiry', '--json'], env({ AZURE_CLIENT_SECRET: soon.secretText }));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ source: 'graph', code: 'secret-expiring-soon' });
  });

  it('exit 2 when expired', async () => {
    const old = emu.control.addSecret({ days: 12 });
    added.push(old.keyId);
    emu.control.expireSecret(old.keyId);
    const { code, stdout } = await cli(['expiry'], env({ AZURE_CLIENT_SECRET: old.secretText }));
    expect(code).toBe(2);
    expect(stdout).toContain('Client secret expiry: expired.');
  });

  it('exit 2 when unknown (403 on the app registration)', async () => {
    emu.control.denyAccess(['applications']);
    const { code, stdout } = await cli(['expiry', '--json'], env());
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      expiresAt: null,
      daysLeft: null,
      source: 'unknown',
      code: 'secret-expiry-unknown',
    });
  });
});
