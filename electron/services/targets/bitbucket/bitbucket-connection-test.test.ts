import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBitbucketEmulator, type RunningBitbucketEmulator } from '../../../emulator/bitbucket';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { VirtualClock } from '../remote/virtual-clock';
import { bitbucketDriver } from './bitbucket-driver';
import { testBitbucketConnection, type BitbucketConnectionReport } from './bitbucket-connection-test';

const clock = new VirtualClock();
let bb: RunningBitbucketEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  bb = await startBitbucketEmulator({ clock });
  transport = createHttpTransport({ extraCaPem: bb.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await bb.close();
});

const check = (r: BitbucketConnectionReport, id: string) => r.checks.find((c) => c.id === id);
const run = (username: string, password: string, baseUrl = bb.info.baseUrl, t = transport) =>
  testBitbucketConnection({ baseUrl, username, password, transport: t, clock });

describe('testBitbucketConnection against the demo Bitbucket', () => {
  it('passes for an administrator: product and version, licensing groups, read-only accounts, the rate limit', async () => {
    const r = await run(bb.info.adminUsername, bb.info.adminPassword);
    expect(r).toMatchObject({ ok: true, product: 'Bitbucket Data Center', version: '8.19.1' });
    expect(r.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'reachable:pass',
      'tls:pass',
      'credential:pass',
      'admin:pass',
      'apis:pass',
      'directory:pass',
      'rate-limit:pass',
    ]);
    expect(check(r, 'apis')?.message).toMatch(/removes them from the groups that grant the licence: contractors, stash-users/);
    expect(check(r, 'directory')).toMatchObject({ code: 'read-only-users' });
    expect(check(r, 'directory')?.message).toMatch(/Corporate LDAP \(read only\)/);
    expect(check(r, 'rate-limit')?.message).toMatch(/does not announce its rate limit/);
  });

  it('explains a wrong password, and skips what depends on it, without the password in the report', async () => {
    const r = await run(bb.info.adminUsername, 'wrong-password-value');
    expect(r.ok).toBe(false);
    expect(check(r, 'credential')).toMatchObject({ status: 'fail', code: 'credential-rejected' });
    expect(check(r, 'credential')?.message).toMatch(/password is wrong or changed, or basic authentication is turned off/);
    expect(check(r, 'admin')?.status).toBe('skipped');
    expect(JSON.stringify(r)).not.toContain('wrong-password-value');
  });

  it('says a non-administrator cannot manage users', async () => {
    const r = await run(bb.info.userUsername, bb.info.userPassword);
    expect(check(r, 'credential')?.status).toBe('pass');
    expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'not-admin' });
    expect(check(r, 'admin')?.fix).toMatch(/sys-admins/);
  });

  it('reads a 403 for a non-administrator the same way (the status is undocumented)', async () => {
    const strict = await startBitbucketEmulator({ clock, deniedStatus: 403 });
    const t = createHttpTransport({ extraCaPem: strict.info.caCertPem, env: {} });
    try {
      const r = await run(strict.info.userUsername, strict.info.userPassword, strict.info.baseUrl, t);
      expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'not-admin' });
      expect(check(r, 'admin')?.details).toContain('Bitbucket answered with HTTP status 403.');
    } finally {
      await t.close();
      await strict.close();
    }
  });

  it('says why an HTTP access token cannot do it (tokens cannot hold ADMIN), through the driver with its link', async () => {
    const r = await bitbucketDriver.test({
      baseUrl: bb.info.baseUrl,
      credential: { username: bb.info.adminUsername, secret: bb.info.adminAccessToken },
      transport,
      clock,
      options: {},
    });
    const admin = r.checks.find((c) => c.id === 'admin')!;
    expect(admin).toMatchObject({ status: 'fail', code: 'token-cannot-admin', title: 'Administrator rights' });
    expect(admin.message).toMatch(/HTTP access tokens cannot hold the global ADMIN permission/);
    expect(admin.link?.url).toMatch(/http-access-tokens/);
    expect(admin.details).toEqual(expect.arrayContaining([expect.stringMatching(/HTTP status 401/)]));
    expect(JSON.stringify(r)).not.toContain(bb.info.adminAccessToken);
  });

  it('says the certificate is untrusted when the private CA is not given', async () => {
    const bare = createHttpTransport({ env: {} });
    try {
      const r = await run(bb.info.adminUsername, bb.info.adminPassword, bb.info.baseUrl, bare);
      expect(check(r, 'tls')).toMatchObject({ status: 'fail', code: 'tls-untrusted' });
      expect(check(r, 'credential')?.status).toBe('skipped');
    } finally {
      await bare.close();
    }
  });

  it('says another product (a Jira) is not Bitbucket', async () => {
    let jira: RunningJiraEmulator | undefined;
    const t = createHttpTransport({ extraCaPem: bb.info.caCertPem, env: {} });
    try {
      jira = await startJiraEmulator({ clock });
      const jt = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {} });
      try {
        const r = await run(bb.info.adminUsername, bb.info.adminPassword, jira.info.baseUrl, jt);
        expect(check(r, 'reachable')).toMatchObject({ status: 'fail', code: 'not-bitbucket' });
      } finally {
        await jt.close();
      }
    } finally {
      await t.close();
      await jira?.close();
    }
  });

  it('reports a rate limit it met, learned from the 429s', async () => {
    bb.control.setRateLimit({ limit: 2, fillRate: 1, intervalSeconds: 1 });
    try {
      const r = await run(bb.info.adminUsername, bb.info.adminPassword);
      expect(r.ok).toBe(true);
      expect(check(r, 'rate-limit')).toMatchObject({ code: 'rate-limited' });
    } finally {
      bb.control.setRateLimit(null);
    }
  });
});
