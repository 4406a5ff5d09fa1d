import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlassianScim, type RunningAtlassianScim } from '../../../emulator/scim';
import { startScimmyServer, type RunningScimmyServer } from '../../../emulator/scim/scimmy-server';
import { createHttpTransport } from '../../http/transport';
import { systemClock } from '../../ports';
import { scimDriver } from './scim-driver';
import { testScimConnection } from './scim-connection-test';

/**
 * "Test connection" for SCIM against the demo Atlassian Cloud API and the scimmy server: everything passes on a good
 * setup, and each failure — token, address, certificate, no PATCH — is the right check with a fix. No `at`, no token
 * in any text.
 */

let cloud: RunningAtlassianScim;
let noPatch: RunningAtlassianScim;
let scimmy: RunningScimmyServer;

beforeAll(async () => {
  [cloud, noPatch, scimmy] = await Promise.all([startAtlassianScim(), startAtlassianScim({ patch: false }), startScimmyServer()]);
});
afterAll(async () => {
  await Promise.all([cloud.close(), noPatch.close(), scimmy.close()]);
});

async function run(
  service: { info: { baseUrl: string; caCertPem: string } },
  token: string,
  baseUrl = service.info.baseUrl,
  trust = true,
) {
  const transport = createHttpTransport({ ...(trust ? { extraCaPem: service.info.caCertPem } : {}), env: {}, timeoutMs: 10_000 });
  try {
    return await scimDriver.test({
      baseUrl,
      credential: { secret: token },
      transport,
      clock: systemClock,
      options: { scimPreset: 'atlassian-cloud' },
    });
  } finally {
    await transport.close();
  }
}
const check = (report: Awaited<ReturnType<typeof run>>, id: string) => report.checks.find((c) => c.id === id)!;

describe('SCIM connection test', () => {
  it('passes against Atlassian Cloud and reads what it declares', async () => {
    const report = await run(cloud, cloud.info.token);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['reachable', 'pass'],
      ['tls', 'pass'],
      ['token', 'pass'],
      ['config', 'pass'],
      ['discovery', 'pass'],
      ['users', 'pass'],
      ['groups', 'pass'],
    ]);
    expect(check(report, 'config').message).toContain(
      'PATCH supported, filter supported (at most 100 results), bulk not supported, ETag not supported, authentication oauthbearertoken',
    );
    expect('at' in report).toBe(false);
    expect(cloud.counters().requests).toMatchObject({ 'GET /Users': 1, 'GET /Groups': 1, 'GET /ServiceProviderConfig': 1 });
  });

  it('passes against the scimmy server (bulk and ETag as it declares them)', async () => {
    const transport = createHttpTransport({ extraCaPem: scimmy.info.caCertPem, env: {}, timeoutMs: 10_000 });
    try {
      const report = await testScimConnection({
        baseUrl: scimmy.info.baseUrl,
        token: scimmy.info.token,
        transport,
        clock: systemClock,
      });
      expect(report.ok).toBe(true);
      expect(report.serviceConfig).toMatchObject({ patch: true, bulk: true, filter: true });
    } finally {
      await transport.close();
    }
  });

  it('a wrong token fails the token check with where to make a new API key, and skips the rest', async () => {
    const wrong = 'not-the-key-0123456789';
    const report = await run(cloud, wrong);
    expect(report.ok).toBe(false);
    expect(check(report, 'token')).toMatchObject({
      status: 'fail',
      code: 'token-rejected',
      details: ['The service answered with HTTP status 401.'],
    });
    expect(check(report, 'token').fix).toContain('regenerate the API key');
    expect(check(report, 'token').link).not.toBeNull();
    expect(check(report, 'groups').status).toBe('skipped');
    expect(JSON.stringify(report)).not.toContain(wrong);
    expect(JSON.stringify(report)).not.toContain(cloud.info.token);
  });

  it('a wrong address is "not a SCIM service" with the directory URL to use', async () => {
    const report = await run(
      cloud,
      cloud.info.token,
      cloud.info.baseUrl.replace(/\/scim\/directory\/.*/, '/scim/directory/wrong'),
    );
    expect(check(report, 'reachable')).toMatchObject({ status: 'fail', code: 'not-scim' });
    expect(check(report, 'reachable').fix).toContain('https://api.atlassian.com/scim/directory/{directoryId}');
    const bad = await run(cloud, cloud.info.token, 'not a url');
    expect(check(bad, 'reachable').code).toBe('url-invalid');
  });

  it('an untrusted certificate fails the TLS check', async () => {
    const report = await run(cloud, cloud.info.token, cloud.info.baseUrl, false);
    expect(check(report, 'reachable').status).toBe('pass');
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'tls-untrusted' });
  });

  it('a service without PATCH warns that memberships cannot be changed', async () => {
    const report = await run(noPatch, noPatch.info.token);
    expect(report.ok).toBe(true);
    expect(check(report, 'config')).toMatchObject({ status: 'warning', code: 'no-patch' });
    expect(check(report, 'config').message).toContain('PUT of the whole account');
  });
});
