import { AuthError, ServerError } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTransport } from '../services/http/transport';
import { startEmulator } from './emulator';
import { emulatorMsal, emulatorTransport } from './test-support';
import type { RunningEmulator } from './types';

let emu: RunningEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  emu = await startEmulator({ users: 30, groups: 8, seed: 7 });
  transport = emulatorTransport(emu.info);
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});

const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

/** Acquires a token with a fresh msal client (no cache between cases) and returns the error it throws. */
async function tokenError(overrides: Parameters<typeof emulatorMsal>[2] = {}, scopes = [emu.info.scope]): Promise<ServerError> {
  const msal = emulatorMsal(emu.info, transport, overrides);
  const error = await msal.acquireTokenByClientCredential({ scopes }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServerError);
  const e = error as ServerError;
  // Secrets never travel back in an error.
  expect(`${e.message} ${e.errorMessage}`).not.toContain(emu.info.clientSecret);
  return e;
}

function expectAadsts(e: ServerError, code: number, error: string, status: number) {
  expect(e.errorCode).toBe(error);
  expect(Number(e.errorNo)).toBe(code);
  expect(e.status).toBe(status);
  expect(e.errorMessage).toContain(`AADSTS${code}:`);
  expect(e.errorMessage).toMatch(/Trace ID: [0-9a-f-]{36}/);
}

describe('token endpoint through msal-node', () => {
  it('issues a signed JWT with tid, appid, exp and the granted roles', async () => {
    const msal = emulatorMsal(emu.info, transport);
    const result = await msal.acquireTokenByClientCredential({ scopes: [emu.info.scope] });
    expect(result?.tokenType).toBe('Bearer');
    const claims = decode(result?.accessToken ?? '');
    expect(claims).toMatchObject({ tid: emu.info.tenantId, appid: emu.info.clientId, roles: ['Directory.Read.All'] });
    expect(typeof claims.exp).toBe('number');
    expect(emu.control.counters().requests['POST token']).toBeGreaterThan(0);
  });

  it('serves the discovery documents msal-node fetches when no static metadata is given', async () => {
    const { ConfidentialClientApplication } = await import('@azure/msal-node');
    const host = new URL(emu.info.authorityHost).host;
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: emu.info.clientId,
        clientSecret: emu.info.clientSecret,
        authority: `${emu.info.authorityHost}/${emu.info.tenantId}`,
        knownAuthorities: [host],
      },
      system: { networkClient: transport.msalNetworkClient },
    });
    const before = emu.control.counters().requests['GET openid-configuration'] ?? 0;
    const result = await msal.acquireTokenByClientCredential({ scopes: [emu.info.scope] });
    expect(decode(result?.accessToken ?? '').tid).toBe(emu.info.tenantId);
    expect(emu.control.counters().requests['GET openid-configuration']).toBe(before + 1);
  });

  it('leaves the roles claim out until consent is granted', async () => {
    const noConsent = await startEmulator({ users: 10, groups: 2, consent: false });
    const t = emulatorTransport(noConsent.info);
    try {
      const first = await emulatorMsal(noConsent.info, t).acquireTokenByClientCredential({ scopes: [noConsent.info.scope] });
      expect(decode(first?.accessToken ?? '')).not.toHaveProperty('roles');
      noConsent.control.grantConsent(['User.Read.All', 'Group.Read.All']);
      const second = await emulatorMsal(noConsent.info, t).acquireTokenByClientCredential({ scopes: [noConsent.info.scope] });
      expect(decode(second?.accessToken ?? '').roles).toEqual(['User.Read.All', 'Group.Read.All']);
    } finally {
      await t.close();
      await noConsent.close();
    }
  });

  it('answers an unknown tenant GUID with AADSTS90002', async () => {
    expectAadsts(await tokenError({ tenant: '11111111-2222-3333-4444-555555555555' }), 90002, 'invalid_request', 400);
  });

  it('answers an unknown domain with AADSTS90002 and accepts the tenant domain', async () => {
    expectAadsts(await tokenError({ tenant: 'nowhere.onmicrosoft.com' }), 90002, 'invalid_request', 400);
    const ok = await emulatorMsal(emu.info, transport, { tenant: emu.info.tenantDomain }).acquireTokenByClientCredential({
      scopes: [emu.info.scope],
    });
    expect(decode(ok?.accessToken ?? '').tid).toBe(emu.info.tenantId);
  });

  it('answers a malformed tenant identifier with AADSTS900023', async () => {
    expectAadsts(await tokenError({ tenant: 'not_a_tenant' }), 900023, 'invalid_request', 400);
  });

  it('answers an unknown application with AADSTS700016', async () => {
    const e = await tokenError({ clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    expectAadsts(e, 700016, 'unauthorized_client', 400);
    expect(e.errorMessage).toContain('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });

  it('answers a wrong secret, and the Secret ID sent as the secret, with AADSTS7000215', async () => {
    expectAadsts(await tokenError({ clientSecret: 'abc8Q~' + 'wrong'.repeat(7).slice(0, 34) }), 7000215, 'invalid_client', 401);
    const e = await tokenError({ clientSecret: emu.info.secretId });
    expectAadsts(e, 7000215, 'invalid_client', 401);
    expect(e.errorMessage).toContain('not the client secret ID');
  });

  it('answers a request without a secret with AADSTS7000218', async () => {
    const res = await transport.fetch(`${emu.info.authorityHost}/${emu.info.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.info.clientId,
        scope: emu.info.scope,
      }).toString(),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('answers an expired secret with AADSTS7000222', async () => {
    const added = emu.control.addSecret({ days: 30 });
    emu.control.expireSecret(added.keyId);
    expectAadsts(await tokenError({ clientSecret: added.secretText }), 7000222, 'invalid_client', 401);
    emu.control.removeSecret(added.keyId);
    expectAadsts(await tokenError({ clientSecret: added.secretText }), 7000215, 'invalid_client', 401);
  });

  it('starts with an already expired secret when asked', async () => {
    const expired = await startEmulator({ users: 10, groups: 2, secretExpiresInDays: -1 });
    const t = emulatorTransport(expired.info);
    try {
      const error = await emulatorMsal(expired.info, t)
        .acquireTokenByClientCredential({ scopes: [expired.info.scope] })
        .catch((e: unknown) => e);
      expect(Number((error as ServerError).errorNo)).toBe(7000222);
      expect(Date.parse(expired.info.secretExpiresAt)).toBeLessThan(Date.now());
    } finally {
      await t.close();
      await expired.close();
    }
  });

  it('answers a disabled application with AADSTS7000112', async () => {
    emu.control.setAppEnabled(false);
    try {
      expectAadsts(await tokenError(), 7000112, 'unauthorized_client', 400);
    } finally {
      emu.control.setAppEnabled(true);
    }
  });

  it('answers a scope without /.default with AADSTS1002012, two resources with 70011, another cloud with 500011', async () => {
    expectAadsts(await tokenError({}, ['https://graph.microsoft.com/User.Read.All']), 1002012, 'invalid_scope', 400);
    expectAadsts(await tokenError({}, [emu.info.scope, 'https://management.azure.com/.default']), 70011, 'invalid_scope', 400);
    const wrongCloud = await tokenError({}, ['https://graph.microsoft.us/.default']);
    expectAadsts(wrongCloud, 500011, 'invalid_resource', 400);
    expect(wrongCloud.errorMessage).toContain('https://graph.microsoft.us');
  });

  it('can force Conditional Access (53003) and wrong-cloud (90038) failures', async () => {
    emu.control.setTokenError(53003);
    expectAadsts(await tokenError(), 53003, 'invalid_grant', 400);
    emu.control.setTokenError(90038);
    expectAadsts(await tokenError(), 90038, 'invalid_request', 400);
    emu.control.setTokenError(null);
    expect(emu.control.counters().tokenErrors['53003']).toBe(1);
  });

  it('keeps the network cause when the token host is unreachable', async () => {
    const closed = await startEmulator({ users: 10, groups: 1 });
    const info = closed.info;
    await closed.close();
    const error = await emulatorMsal(info, transport)
      .acquireTokenByClientCredential({ scopes: [info.scope] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError & { failure?: { code: string } }).failure?.code).toBe('refused');
  });
});
