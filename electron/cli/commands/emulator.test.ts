import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetProducts } from '../../../shared/targets';
import { demoTargetStarters } from '../../emulator/demo-targets';
import { staticAuthorityConfig } from '../../services/http/authority-metadata';
import { createHttpTransport } from '../../services/http/transport';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'entra-sync.js');

describe('entra-sync emulator', () => {
  it('prints exactly one JSON line, serves tokens, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'emulator', '--users', '20', '--groups', '3', '--seed', '5', '--no-consent', '--secret-expires-in-days', '30'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
        });
        void exited.then((code) => reject(new Error(`emulator exited early (${code}): ${stderr}`)));
      });
      const info = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(info)).toEqual([
        'authorityHost',
        'graphBaseUrl',
        'tenantId',
        'clientId',
        'clientSecret',
        'secretExpiresAt',
        'caCertPath',
      ]);
      const days = (Date.parse(info.secretExpiresAt as string) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThan(31);
      expect(stderr).not.toContain(info.clientSecret);

      const transport = createHttpTransport({ extraCaPem: readFileSync(info.caCertPath as string, 'utf8'), env: {} });
      try {
        const { ConfidentialClientApplication } = await import('@azure/msal-node');
        const msal = new ConfidentialClientApplication({
          auth: {
            clientId: info.clientId as string,
            clientSecret: info.clientSecret as string,
            ...staticAuthorityConfig(info.authorityHost as string, info.tenantId as string),
          },
          system: { networkClient: transport.msalNetworkClient },
        });
        const result = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
        const claims = JSON.parse(
          Buffer.from((result?.accessToken ?? '').split('.')[1] as string, 'base64url').toString(),
        ) as Record<string, unknown>;
        // --no-consent: a token, but no roles.
        expect(claims.tid).toBe(info.tenantId);
        expect(claims).not.toHaveProperty('roles');
      } finally {
        await transport.close();
      }

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      expect(existsSync(info.caCertPath as string)).toBe(false);
    } finally {
      clearTimeout(killer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects bad options with a usage error', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--users', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('--users must be an integer from 10 to 200000');
  });

  it('serves every demo product asked for, each with its address, sign-in and CA in the line, and stops them', async () => {
    const products = targetProducts.filter((p) => demoTargetStarters[p]);
    let line = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { emulatorCommand } = await import('./emulator');
    const run = emulatorCommand.run(['--users', '10', '--groups', '2', ...products.map((p) => `--${p}`), '--jira-rate', '7'], {
      stdout: (text) => {
        line += text;
      },
      stderr: () => {},
      env: {},
      stopSignal: stopped,
    });
    await expect.poll(() => line.includes('\n'), { timeout: 30_000 }).toBe(true);
    const info = JSON.parse(line) as Record<string, Record<string, string>>;
    for (const product of products) {
      const entry = info[product]!;
      expect(entry.url, product).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
      expect(existsSync(entry.caCertPath!), product).toBe(true);
      // Bitbucket and Crowd sign in with a username and password, the others with a token.
      if (product === 'bitbucket' || product === 'crowd') {
        expect(entry.username, product).toBeTruthy();
        expect(entry.password, product).toBeTruthy();
      } else expect(entry.token, product).toBeTruthy();
      const transport = createHttpTransport({ extraCaPem: readFileSync(entry.caCertPath!, 'utf8'), env: {} });
      try {
        const answer = await transport.fetch(entry.url!);
        expect(answer.status, product).toBeLessThan(500);
      } finally {
        await transport.close();
      }
    }
    stop();
    expect(await run).toBe(0);
    // Stopped: each product's server and its certificate files are gone.
    for (const product of products) expect(existsSync(info[product]!.caCertPath!), product).toBe(false);
  });

  it('says a product’s rate goes with the product', async () => {
    const { emulatorCommand } = await import('./emulator');
    await expect(
      emulatorCommand.run(['--jira-rate', '5'], {
        stdout: () => {},
        stderr: () => {},
        env: {},
        stopSignal: new Promise(() => {}),
      }),
    ).rejects.toThrow('--jira-rate goes with --jira.');
  });
});
