import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { VirtualClock } from '../remote/virtual-clock';
import { testJiraConnection, type JiraConnectionReport } from './jira-connection-test';

const clock = new VirtualClock();
let jira: RunningJiraEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  jira = await startJiraEmulator({ clock });
  transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await jira.close();
});

const check = (r: JiraConnectionReport, id: string) => r.checks.find((c) => c.id === id);

describe('testJiraConnection against the demo Jira', () => {
  it('passes every check for an administrator token and reports the product, version and rate limit', async () => {
    jira.control.setRateLimit({ limit: 100, fillRate: 50, intervalSeconds: 1 });
    try {
      const r = await testJiraConnection({ baseUrl: jira.info.baseUrl, token: jira.info.adminToken, transport, clock });
      expect(r).toMatchObject({ ok: true, product: 'Jira Data Center', version: '10.3.6' });
      expect(r.checks.map((c) => `${c.id}:${c.status}:${c.code}`)).toEqual([
        'reachable:pass:ok',
        'tls:pass:ok',
        'token:pass:ok',
        'admin:pass:ok',
        'apis:pass:ok',
        'rate-limit:pass:rate-limited',
      ]);
      expect(check(r, 'rate-limit')?.message).toMatch(/50 requests per 1 s/);
    } finally {
      jira.control.setRateLimit(null);
    }
  });

  it('explains a rejected token, and skips what depends on it', async () => {
    const r = await testJiraConnection({ baseUrl: jira.info.baseUrl, token: 'wrong-token-value', transport, clock });
    expect(r.ok).toBe(false);
    expect(check(r, 'token')).toMatchObject({ status: 'fail', code: 'token-rejected' });
    expect(check(r, 'token')?.message).toMatch(/401.*expired, revoked or mistyped/);
    expect(check(r, 'token')?.fix).toMatch(/Personal Access Tokens/);
    expect(check(r, 'admin')?.status).toBe('skipped');
    expect(JSON.stringify(r)).not.toContain('wrong-token-value');
  });

  it('fails the administrator check for a plain user’s token', async () => {
    const r = await testJiraConnection({ baseUrl: jira.info.baseUrl, token: jira.info.userToken, transport, clock });
    expect(check(r, 'token')?.status).toBe('pass');
    expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'not-admin' });
  });

  it('says the certificate is untrusted when the private CA is not given', async () => {
    const bare = createHttpTransport({ env: {} });
    try {
      const r = await testJiraConnection({ baseUrl: jira.info.baseUrl, token: jira.info.adminToken, transport: bare, clock });
      expect(check(r, 'tls')).toMatchObject({ status: 'fail', code: 'tls-untrusted' });
      expect(check(r, 'tls')?.fix).toMatch(/CA/);
    } finally {
      await bare.close();
    }
  });

  it('says a wrong context path is not Jira', async () => {
    const r = await testJiraConnection({
      baseUrl: jira.info.baseUrl.replace(/\/jira$/, '/wiki'),
      token: jira.info.adminToken,
      transport,
      clock,
    });
    expect(check(r, 'reachable')).toMatchObject({ status: 'fail', code: 'not-jira' });
  });

  it('warns that an older Jira only has user/search', async () => {
    const old = await startJiraEmulator({ clock, version: '9.12.0' });
    const t = createHttpTransport({ extraCaPem: old.info.caCertPem, env: {} });
    try {
      const r = await testJiraConnection({ baseUrl: old.info.baseUrl, token: old.info.adminToken, transport: t, clock });
      expect(r.ok).toBe(true);
      expect(check(r, 'apis')).toMatchObject({ status: 'warning', code: 'user-search-only' });
      expect(check(r, 'rate-limit')?.code).toBe('no-rate-limit');
    } finally {
      await t.close();
      await old.close();
    }
  });
});
