import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTargetStarters } from '../../../emulator/demo-targets';
import { startConfluenceEmulator, type RunningConfluenceEmulator } from '../../../emulator/confluence';
import { startJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock } from '../../ports';
import { confluenceDriver } from './confluence-driver';
import { testConfluenceConnection, type ConfluenceConnectionReport } from './confluence-connection-test';

const clock = systemClock;
let cf: RunningConfluenceEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  cf = await startConfluenceEmulator({ rateLimit: { limit: 40, fillRate: 20, intervalSeconds: 1 } });
  transport = createHttpTransport({ extraCaPem: cf.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await cf.close();
});

const check = (r: ConfluenceConnectionReport, id: string) => r.checks.find((c) => c.id === id);
const run = (token: string, baseUrl = cf.info.baseUrl, t = transport) =>
  testConfluenceConnection({ baseUrl, token, transport: t, clock });

describe('testConfluenceConnection against the demo Confluence', () => {
  it('passes for an administrator: product and version, the APIs, where users go, the rate limit from the headers', async () => {
    const r = await run(cf.info.adminToken);
    expect(r).toMatchObject({ ok: true, product: 'Confluence Data Center', version: '9.2.1' });
    expect(r.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'reachable:pass',
      'tls:pass',
      'token:pass',
      'admin:pass',
      'apis:pass',
      'directory:pass',
      'rate-limit:pass',
    ]);
    expect(check(r, 'rate-limit')).toMatchObject({ code: 'rate-limited' });
    expect(check(r, 'rate-limit')?.message).toBe(
      'Rate limiting is in force: 20 requests per 1 s, bursts up to 40. The sync keeps to it.',
    );
  });

  it('explains a wrong token (401) and skips what depends on it, without the token in the report', async () => {
    const r = await run('wrong-token-value-123');
    expect(r.ok).toBe(false);
    expect(check(r, 'token')).toMatchObject({ status: 'fail', code: 'token-rejected' });
    expect(check(r, 'token')?.message).toMatch(/expired, revoked or mistyped/);
    expect(check(r, 'token')?.details?.[0]).toMatch(/HTTP 401/);
    expect(check(r, 'admin')?.status).toBe('skipped');
    expect(JSON.stringify(r)).not.toContain('wrong-token-value-123');
  });

  it('says a non-administrator cannot manage users', async () => {
    const r = await run(cf.info.userToken);
    expect(check(r, 'token')?.status).toBe('pass');
    expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'not-admin' });
    expect(check(r, 'admin')?.fix).toMatch(/confluence-administrators/);
  });

  it('on 8.3 says which operations are missing and what the sync does instead', async () => {
    const old = await startConfluenceEmulator({ version: '8.3.4' });
    const t = createHttpTransport({ extraCaPem: old.info.caCertPem, env: {} });
    try {
      const r = await run(old.info.adminToken, old.info.baseUrl, t);
      expect(r.ok).toBe(true);
      expect(check(r, 'apis')).toMatchObject({ status: 'warning', code: 'admin-api-missing' });
      expect(check(r, 'apis')?.message).toMatch(
        /create, update, disable\/enable and delete users .* came with 8\.4\. Instead, the sync reads users through group members/,
      );
    } finally {
      await t.close();
      await old.close();
    }
  });

  it('says the certificate is untrusted when the private CA is not given', async () => {
    const bare = createHttpTransport({ env: {} });
    try {
      const r = await run(cf.info.adminToken, cf.info.baseUrl, bare);
      expect(check(r, 'tls')).toMatchObject({ status: 'fail', code: 'tls-untrusted' });
      expect(check(r, 'token')?.status).toBe('skipped');
    } finally {
      await bare.close();
    }
  });

  it('says another product (a Jira) is not Confluence', async () => {
    const jira = await startJiraEmulator();
    const jt = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {} });
    try {
      const r = await run(cf.info.adminToken, jira.info.baseUrl, jt);
      expect(check(r, 'reachable')).toMatchObject({ status: 'fail', code: 'not-confluence' });
      expect(check(r, 'token')?.status).toBe('skipped');
    } finally {
      await jt.close();
      await jira.close();
    }
  });

  it("passes through the driver for the demo starter's token and CA, with titles and no link on a pass", async () => {
    const demo = await demoTargetStarters.confluence!();
    const t = createHttpTransport({ extraCaPem: demo.info.caCertPem, env: {} });
    try {
      const r = await confluenceDriver.test({
        baseUrl: demo.info.baseUrl,
        credential: { secret: demo.info.secret },
        transport: t,
        clock,
        options: {},
      });
      expect(r.ok).toBe(true);
      expect(r.checks.find((c) => c.id === 'token')).toMatchObject({ title: 'Personal access token', link: null });
    } finally {
      await t.close();
      await demo.close();
    }
  });
});
