/**
 * The validator against the emulated tenant over real HTTPS, with the real msal-node and Graph client:
 * one scenario per bad input or service state, each asserting the exact check, status and code, and that the
 * secret appears nowhere (report, progress, diagnostics text, logs).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { emulatorCloud, openSession, outcome, summary, type Session } from './validator-harness';

let emu: RunningEmulator;
const sessions: Session[] = [];
const addedSecrets: string[] = [];

const session = (opts?: Parameters<typeof openSession>[1]) => {
  const s = openSession(emu.info, opts);
  sessions.push(s);
  return s;
};
/** Adds a secret to the demo app for one test; removed afterwards. */
const addSecret = (options: { days?: number; hint?: string }) => {
  const created = emu.control.addSecret(options);
  addedSecrets.push(created.keyId);
  return created;
};
const allSecrets = () => [emu.info.clientSecret];

/** Asserts that no secret value appears in anything the session produced. */
function expectNoSecret(s: Session, extra: string[] = []): void {
  const text = s.everything();
  for (const secret of [...allSecrets(), ...extra]) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  emu = await startEmulator({ users: 25, groups: 6, seed: 4 });
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  for (const keyId of addedSecrets.splice(0)) emu.control.removeSecret(keyId);
  const c = emu.control;
  c.clearFaults();
  c.setTokenError(null);
  c.setLatency(0);
  c.denyAccess([]);
  c.setAppEnabled(true);
  c.revokeConsent();
  c.grantConsent(['Directory.Read.All']);
});

afterAll(async () => {
  await emu.close();
});

describe('validator against the demo tenant', () => {
  it('passes every check for good credentials, with counts and the expiry from Graph', async () => {
    const s = session();
    const report = await s.run();
    expect(summary(report)).toEqual([
      'inputs:pass:ok',
      'tenant:pass:ok',
      'app:pass:ok',
      'secret:pass:ok',
      'permission:pass:ok',
      'users:pass:ok',
      'groups:pass:ok',
      'expiry:pass:ok',
    ]);
    expect(report.ok).toBe(true);
    expect(report.done).toBe(true);
    expect(report.checks.find((c) => c.id === 'users')?.message).toContain('25 users');
    expect(report.checks.find((c) => c.id === 'groups')?.message).toMatch(/6 groups can be read, with their names/);
    expect(report.secret).toMatchObject({ source: 'graph', expiresAt: new Date(emu.info.secretExpiresAt).toISOString() });
    expect(report.secret.daysLeft).toBeGreaterThan(360);
    expect(report.secretHint).toBe(`${emu.info.clientSecret.slice(0, 3)}••••••`);
    // 1 token + permission probe + users + groups + application.
    expect(report.requests).toBe(5);
    // Progress: every check went through running before its final state.
    const seen = s.progress.map((p) => `${p.check.id}:${p.check.status}`);
    expect(seen).toContain('permission:running');
    expect(s.progress.at(-1)?.report.checks.every((c) => c.status !== 'pending')).toBe(true);
    expectNoSecret(s);
  });

  describe('bad inputs, caught before any request', () => {
    it.each([
      ['an empty tenant', { tenant: '' }, 'tenant-missing'],
      ['a tenant that is neither GUID nor domain', { tenant: 'my tenant' }, 'tenant-invalid'],
      ['an Application ID that is not a GUID', { clientId: 'Entra Sync' }, 'client-id-invalid'],
      ['an empty secret', { secret: '   ' }, 'secret-missing'],
    ])('%s', async (_name, overrides, code) => {
      const s = session();
      const before = emu.control.counters().tokensIssued;
      const report = await s.run(overrides);
      expect(outcome(report, 'inputs')).toEqual({ status: 'fail', code });
      expect(report.checks.slice(1).every((c) => c.status === 'skipped' && c.code === 'skipped-after-failure')).toBe(true);
      expect(report.checks[1]?.message).toMatch(/^Skipped: /);
      expect(report.requests).toBe(0);
      expect(emu.control.counters().tokensIssued).toBe(before);
      expectNoSecret(s);
    });

    it('the Secret ID pasted instead of the Value: fail, pointing at Certificates & secrets', async () => {
      const s = session();
      const report = await s.run({ secret: emu.info.secretId });
      expect(outcome(report, 'inputs')).toEqual({ status: 'fail', code: 'secret-id-instead-of-value' });
      const inputs = report.checks[0];
      expect(inputs?.fix).toContain('Value');
      expect(inputs?.link?.url).toContain(`/~/Credentials/appId/${emu.info.clientId}/`);
      expect(report.requests).toBe(0);
      expectNoSecret(s);
    });

    it('a secret wrapped in spaces and quotes: trimmed, reported, and the rest passes', async () => {
      const s = session();
      const report = await s.run({ secret: `  "${emu.info.clientSecret}"\n`, tenant: ` ${emu.info.tenantId} ` });
      expect(outcome(report, 'inputs')).toEqual({ status: 'warning', code: 'inputs-trimmed' });
      expect(report.checks[0]?.message).toContain('Client secret');
      expect(outcome(report, 'secret')).toEqual({ status: 'pass', code: 'ok' });
      expect(report.ok).toBe(true);
      expectNoSecret(s);
    });

    it('an unusual secret shape is only a warning; Entra then refuses it', async () => {
      const s = session();
      const odd = 'not-really+a/secret=value';
      const report = await s.run({ secret: odd });
      expect(outcome(report, 'inputs')).toEqual({ status: 'warning', code: 'secret-shape-unusual' });
      expect(outcome(report, 'secret')).toEqual({ status: 'fail', code: 'secret-invalid' });
      expectNoSecret(s, [odd]);
    });
  });

  describe('Entra refuses the token (AADSTS)', () => {
    it('unknown tenant id (90002): tenant fails, the rest is skipped', async () => {
      const s = session();
      const report = await s.run({ tenant: '0b5e0b5e-1111-4222-8333-444455556666' });
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'tenant-not-found' });
      expect(outcome(report, 'app')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
      expect(report.checks.find((c) => c.id === 'tenant')?.details).toContain('AADSTS90002');
      expectNoSecret(s);
    });

    it('unknown tenant domain (90002)', async () => {
      const s = session();
      const report = await s.run({ tenant: 'fabrikam.onmicrosoft.com' });
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'tenant-not-found' });
      expectNoSecret(s);
    });

    it('tenant in another national cloud (90038): wrong cloud', async () => {
      emu.control.setTokenError(90038);
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'wrong-cloud' });
      expect(report.checks.find((c) => c.id === 'tenant')?.link?.url).toContain('national-cloud');
      expectNoSecret(s);
    });

    it('Graph of another cloud as token audience (500011)', async () => {
      const s = session();
      const report = await s.run({ cloud: emulatorCloud(emu.info, 'https://graph.microsoft.us') });
      expect(outcome(report, 'tenant')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'secret')).toEqual({ status: 'fail', code: 'resource-not-found' });
      expectNoSecret(s);
    });

    it('unknown application (700016): tenant passes, app fails', async () => {
      const s = session();
      const report = await s.run({ clientId: '12345678-aaaa-4bbb-8ccc-1234567890ab' });
      expect(outcome(report, 'tenant')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'app')).toEqual({ status: 'fail', code: 'app-not-found' });
      expect(outcome(report, 'secret')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
      expectNoSecret(s);
    });

    it('disabled application (7000112)', async () => {
      emu.control.setAppEnabled(false);
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'app')).toEqual({ status: 'fail', code: 'app-disabled' });
      expectNoSecret(s);
    });

    it('wrong secret value (7000215): link to Certificates & secrets of this app', async () => {
      const s = session();
      const wrong = `${emu.info.clientSecret.slice(0, 39)}${emu.info.clientSecret.endsWith('x') ? 'y' : 'x'}`;
      const report = await s.run({ secret: wrong });
      expect(outcome(report, 'app')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'secret')).toEqual({ status: 'fail', code: 'secret-invalid' });
      expect(report.checks.find((c) => c.id === 'secret')?.link?.url).toContain(`/~/Credentials/appId/${emu.info.clientId}/`);
      expectNoSecret(s, [wrong]);
    });

    it('expired secret (7000222)', async () => {
      const created = addSecret({ days: 30 });
      emu.control.expireSecret(created.keyId);
      const s = session();
      const report = await s.run({ secret: created.secretText });
      expect(outcome(report, 'secret')).toEqual({ status: 'fail', code: 'secret-expired' });
      expect(report.checks.find((c) => c.id === 'secret')?.fix).toMatch(/create a new client secret/i);
      expectNoSecret(s, [created.secretText]);
    });

    it('blocked by Conditional Access (53003)', async () => {
      emu.control.setTokenError(53003);
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'secret')).toEqual({ status: 'fail', code: 'conditional-access-blocked' });
      expectNoSecret(s);
    });
  });

  describe('permissions and consent', () => {
    it('no admin consent: permission fails, users and groups skipped, expiry unknown', async () => {
      emu.control.revokeConsent();
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'secret')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'permission')).toEqual({ status: 'fail', code: 'consent-missing' });
      const permission = report.checks.find((c) => c.id === 'permission');
      expect(permission?.fix).toMatch(/Grant admin consent/);
      expect(permission?.link?.url).toContain('/~/CallAnAPI/');
      expect(permission?.details).toContain('The token carries no roles.');
      expect(outcome(report, 'users')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
      expect(outcome(report, 'groups')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
      expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiry-unknown' });
      expect(report.secret.source).toBe('unknown');
      expectNoSecret(s);
    });

    it('consent granted mid-way: a plain run keeps the cached token, a re-test fetches a fresh one and passes', async () => {
      emu.control.revokeConsent();
      const s = session();
      expect(outcome(await s.run(), 'permission').code).toBe('consent-missing');
      emu.control.grantConsent(['Directory.Read.All']);
      const issued = emu.control.counters().tokensIssued;
      // Without skipCache the token issued before consent is reused: still no roles.
      const cached = await s.run();
      expect(outcome(cached, 'permission').code).toBe('consent-missing');
      expect(emu.control.counters().tokensIssued).toBe(issued);
      const retest = await s.run({}, { retest: true });
      expect(emu.control.counters().tokensIssued).toBe(issued + 1);
      expect(retest.retest).toBe(true);
      expect(summary(retest).every((line) => line.endsWith(':pass:ok'))).toBe(true);
      expectNoSecret(s);
    });

    it('a re-test while consent is still missing mentions the propagation delay', async () => {
      emu.control.revokeConsent();
      const s = session();
      const report = await s.run({}, { retest: true });
      expect(outcome(report, 'permission').code).toBe('consent-missing');
      expect(report.checks.find((c) => c.id === 'permission')?.message).toMatch(/few minutes/);
    });

    it('only User.Read.All: permission partial, groups refused (Authorization_RequestDenied), expiry unknown', async () => {
      emu.control.revokeConsent();
      emu.control.grantConsent(['User.Read.All']);
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'permission')).toEqual({ status: 'warning', code: 'permission-partial' });
      expect(outcome(report, 'users')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'groups')).toEqual({ status: 'fail', code: 'permission-insufficient' });
      expect(report.checks.find((c) => c.id === 'groups')?.message).toContain('User.Read.All');
      expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiry-unknown' });
      expectNoSecret(s);
    });
  });

  describe('secret expiry', () => {
    it('expiry unreadable (403 on /applications): unknown, asks for the date; a date the admin gives is used', async () => {
      emu.control.denyAccess(['applications']);
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'permission')).toEqual({ status: 'pass', code: 'ok' });
      expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiry-unknown' });
      expect(report.checks.find((c) => c.id === 'expiry')?.fix).toMatch(/Enter the expiry date/);
      expect(report.secret).toEqual({ expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] });
      const manual = await s.run({ manualExpiresAt: '2099-01-01' });
      expect(outcome(manual, 'expiry')).toEqual({ status: 'pass', code: 'ok' });
      expect(manual.secret.source).toBe('manual');
      expectNoSecret(s);
    });

    it('several secrets with the same hint: all candidates listed, the earliest assumed', async () => {
      const twin = addSecret({ days: 100, hint: emu.info.clientSecret.slice(0, 3) });
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiry-ambiguous' });
      expect(report.secret.candidates.map((c) => c.keyId).sort()).toEqual([emu.info.secretId, twin.keyId].sort());
      expect(report.secret.expiresAt).toBe(new Date(twin.endDateTime).toISOString());
      expect(report.secret.daysLeft).toBeGreaterThanOrEqual(99);
      expectNoSecret(s, [twin.secretText]);
    });

    it('a secret expiring within 30 days: warning with days left', async () => {
      const soon = addSecret({ days: 10 });
      const s = session();
      const report = await s.run({ secret: soon.secretText });
      expect(outcome(report, 'expiry')).toEqual({ status: 'warning', code: 'secret-expiring-soon' });
      expect(report.secret.daysLeft).toBeGreaterThanOrEqual(9);
      expect(report.secret.daysLeft).toBeLessThanOrEqual(10);
      expect(report.ok).toBe(true);
      expectNoSecret(s, [soon.secretText]);
    });
  });

  describe('network and service failures are named', () => {
    it('certificate not trusted', async () => {
      const s = session({ trustCa: false });
      const report = await s.run();
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'network-tls-untrusted' });
      expect(report.checks.find((c) => c.id === 'tenant')?.message).not.toMatch(/fetch failed/);
      expectNoSecret(s);
    });

    it('slow beyond the timeout', async () => {
      emu.control.setLatency(1_500);
      const s = session({ timeoutMs: 300 });
      const report = await s.run();
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'network-timeout' });
      expectNoSecret(s);
    });

    it('connection reset at the token endpoint', async () => {
      emu.control.setFaults({ rateReset: 1, scope: 'token' });
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'network-reset' });
      expectNoSecret(s);
    });

    it('token endpoint throttled (429)', async () => {
      emu.control.setFaults({ rate429: 1, scope: 'token', retryAfterSeconds: 30 });
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'throttled' });
      expectNoSecret(s);
    });

    it('Graph throttled (429 with a long Retry-After): reported, not waited out', async () => {
      emu.control.setFaults({ rate429: 1, scope: 'graph', retryAfterSeconds: 30 });
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'permission')).toEqual({ status: 'fail', code: 'throttled' });
      expect(report.checks.find((c) => c.id === 'permission')?.message).toContain('Retry-After 30 s');
      expect(outcome(report, 'users')).toEqual({ status: 'skipped', code: 'skipped-after-failure' });
      expectNoSecret(s);
    });

    it('Graph unavailable (503)', async () => {
      emu.control.setFaults({ rate503: 1, scope: 'graph', retryAfterSeconds: 30 });
      const s = session();
      const report = await s.run();
      expect(outcome(report, 'permission')).toEqual({ status: 'fail', code: 'service-unavailable' });
      expectNoSecret(s);
    });

    it('tenant stopped (connection refused)', async () => {
      const gone = await startEmulator({ users: 10, groups: 2 });
      const s = openSession(gone.info);
      sessions.push(s);
      await gone.close();
      const report = await s.run({}, {});
      expect(outcome(report, 'tenant')).toEqual({ status: 'fail', code: 'network-refused' });
      expect(report.checks.slice(2).every((c) => c.status === 'skipped')).toBe(true);
      expect(s.everything()).not.toContain(gone.info.clientSecret);
    });
  });
});
