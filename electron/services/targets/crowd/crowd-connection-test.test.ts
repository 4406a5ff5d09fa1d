import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrowdEmulator, type RunningCrowdEmulator } from '../../../emulator/crowd';
import { demoTargetStarters } from '../../../emulator/demo-targets';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { VirtualClock } from '../remote/virtual-clock';
import { crowdDriver } from './crowd-driver';
import { testCrowdConnection, type CrowdConnectionReport } from './crowd-connection-test';

const clock = new VirtualClock();
let crowd: RunningCrowdEmulator;
let jira: RunningJiraEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  crowd = await startCrowdEmulator({ clock });
  jira = await startJiraEmulator({ clock });
  transport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await crowd.close();
  await jira.close();
});

const run = (
  o: Partial<{ baseUrl: string; applicationName: string; password: string; transport: HttpTransport; writeTest: boolean }> = {},
) =>
  testCrowdConnection({
    baseUrl: crowd.info.baseUrl,
    applicationName: crowd.info.applicationName,
    password: crowd.info.applicationPassword,
    transport,
    clock,
    ...o,
  });
const summary = (r: CrowdConnectionReport) => r.checks.map((c) => `${c.id}:${c.status}:${c.code}`);
const check = (r: CrowdConnectionReport, id: string) => r.checks.find((c) => c.id === id)!;

describe('testCrowdConnection against the demo Crowd', () => {
  it('passes for the application with product, version, where users go and no rate limit, writing nothing', async () => {
    crowd.control.resetCounters();
    const r = await run();
    expect(r).toMatchObject({ ok: true, product: 'Crowd Data Center', version: '6.1.2' });
    expect(summary(r)).toEqual([
      'reachable:pass:ok',
      'tls:pass:ok',
      'credential:pass:ok',
      'address:pass:ok',
      'admin:warning:write-unconfirmed',
      'apis:pass:ok',
      'directory:pass:first-writable-directory',
      'rate-limit:pass:no-rate-limit',
    ]);
    expect(check(r, 'directory').message).toMatch(
      /first writable directory of the application.*Applications → entra-sync → Directories/,
    );
    // The emulator counts every request: the test sent reads only.
    const sent = Object.keys(crowd.control.counters().requests);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((k) => !k.startsWith('GET '))).toEqual([]);
    expect(check(r, 'admin').message).toMatch(/^Not tested: Crowd's REST API does not tell an application/);
    expect(check(r, 'admin').fix).toMatch(/Applications → entra-sync → Permissions/);
    expect(check(r, 'admin').fix).toMatch(/creates one empty group named entra-sync-connection-test-.*deletes it at once/);
  });

  it('with the opt-in write test, creates one empty probe group, deletes it and names it in the verdict', async () => {
    crowd.control.resetCounters();
    const r = await run({ writeTest: true });
    expect(check(r, 'admin')).toMatchObject({ status: 'pass', code: 'ok' });
    expect(check(r, 'admin').message).toMatch(/created the empty group entra-sync-connection-test-[0-9a-f]{8} and deleted it/);
    const writes = Object.entries(crowd.control.counters().requests).filter(([k]) => !k.startsWith('GET '));
    expect(writes).toEqual([
      ['POST /group', 1],
      ['DELETE /group', 1],
    ]);
    expect(crowd.control.groups().some((g) => g.name.startsWith('entra-sync-connection-test'))).toBe(false);
  });

  it('for an application that may only read: the default test cannot tell (and says so), the write test fails it', async () => {
    const readOnly = { applicationName: crowd.info.readOnlyApplicationName, password: crowd.info.readOnlyApplicationPassword };
    const plain = await run(readOnly);
    expect(check(plain, 'admin')).toMatchObject({ status: 'warning', code: 'write-unconfirmed' });
    const r = await run({ ...readOnly, writeTest: true });
    expect(check(r, 'credential').status).toBe('pass');
    expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'not-admin' });
    expect(check(r, 'admin').message).toMatch(/the write test created nothing/);
    expect(check(r, 'admin').fix).toMatch(/Applications → read-only-app → Permissions/);
  });

  it('says a wrong password is 401 and never shows it', async () => {
    const r = await run({ password: 'not-the-password' });
    expect(r.ok).toBe(false);
    expect(check(r, 'credential')).toMatchObject({ status: 'fail', code: 'credential-rejected' });
    expect(check(r, 'credential').message).toMatch(/401/);
    expect(JSON.stringify(r)).not.toContain('not-the-password');
    expect(check(r, 'admin').status).toBe('skipped');
  });

  it('explains an address Crowd does not allow: add it under the application’s remote addresses', async () => {
    crowd.control.setAllowedAddresses(['192.0.2.10']);
    try {
      const r = await run();
      expect(check(r, 'address')).toMatchObject({ status: 'fail', code: 'address-refused' });
      expect(check(r, 'address').message).toMatch(/is not allowed to access/);
      expect(check(r, 'address').fix).toBe(
        "Crowd refuses this machine's address: add it under Applications → entra-sync → Remote addresses, then try again.",
      );
    } finally {
      crowd.control.setAllowedAddresses(null);
    }
  });

  it('with the write test, fails "no writable directory" when every directory of the application is read-only', async () => {
    crowd.control.setAllReadOnly(true);
    try {
      const r = await run({ writeTest: true });
      expect(check(r, 'admin')).toMatchObject({ status: 'fail', code: 'no-writable-directory' });
      expect(check(r, 'directory')).toMatchObject({ status: 'fail', code: 'no-writable-directory' });
    } finally {
      crowd.control.setAllReadOnly(false);
    }
  });

  it('says Jira (or a wrong context path) is not Crowd', async () => {
    const toJira = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {} });
    try {
      const r = await run({ baseUrl: jira.info.baseUrl, transport: toJira });
      expect(check(r, 'reachable')).toMatchObject({ status: 'fail', code: 'not-crowd' });
    } finally {
      await toJira.close();
    }
    const path = await run({ baseUrl: crowd.info.baseUrl.replace(/\/crowd$/, '/wrong') });
    expect(check(path, 'reachable').code).toBe('not-crowd');
  });

  it('says the certificate is untrusted when the private CA is not given', async () => {
    const bare = createHttpTransport({ env: {} });
    try {
      const r = await run({ transport: bare });
      expect(summary(r).slice(0, 2)).toEqual(['reachable:pass:ok', 'tls:fail:tls-untrusted']);
    } finally {
      await bare.close();
    }
  });

  it('reports the rate limit when a proxy announces one, and the driver presents the checks with titles and links', async () => {
    crowd.control.setRateLimit({ limit: 100, fillRate: 50, headers: true });
    try {
      const presented = await crowdDriver.test({
        baseUrl: crowd.info.baseUrl,
        credential: { username: crowd.info.readOnlyApplicationName, secret: crowd.info.readOnlyApplicationPassword },
        transport,
        clock,
        options: {},
      });
      expect(presented.product).toBe('Crowd Data Center');
      const rate = presented.checks.find((c) => c.id === 'rate-limit')!;
      expect(rate).toMatchObject({ code: 'rate-limited', title: 'Rate limiting' });
      expect(rate.message).toMatch(/50 requests per 1 s/);
      const admin = presented.checks.find((c) => c.id === 'admin')!;
      expect(admin).toMatchObject({ title: 'Permission to change users and groups', status: 'warning' });
      expect(admin.details).toContain('This test sent Crowd only reads (GET requests): nothing was created.');
      expect(admin.link?.url).toMatch(/atlassian\.com/);
    } finally {
      crowd.control.setRateLimit(null);
    }
  });

  it('the demo starter gives what the driver needs: its test passes with the starter’s application and CA', async () => {
    const started = await demoTargetStarters.crowd!({ ratePerSecond: 50 });
    const demo = createHttpTransport({ extraCaPem: started.info.caCertPem, env: {} });
    try {
      expect(started.info.username).toBe('entra-sync');
      const report = await crowdDriver.test({
        baseUrl: started.info.baseUrl,
        credential: { username: started.info.username!, secret: started.info.secret },
        transport: demo,
        clock,
        options: {},
      });
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => c.status)).not.toContain('fail');
    } finally {
      await demo.close();
      await started.close();
    }
  });
});
