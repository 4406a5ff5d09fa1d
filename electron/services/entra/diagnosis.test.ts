import { describe, expect, it } from 'vitest';
import { cloudById } from '../../../shared/clouds';
import type { ConnectionFailure } from '../graph/graph-client';
import { diagnoseGraphFailure, diagnoseNetworkFailure, diagnoseTokenFailure } from './diagnosis';

const ctx = {
  cloud: cloudById('global'),
  tenant: 'contoso.com',
  clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  host: 'app' as const,
};
const token = (aadsts: number | undefined, status = 400, error = 'invalid_request'): ConnectionFailure => ({
  kind: 'token',
  error,
  aadsts,
  status,
  description: 'text',
  traceId: undefined,
  correlationId: undefined,
});

describe('diagnoseTokenFailure', () => {
  it.each([
    [90002, 'tenant', 'tenant-not-found'],
    [900023, 'tenant', 'tenant-invalid'],
    [90038, 'tenant', 'wrong-cloud'],
    [700016, 'app', 'app-not-found'],
    [7000112, 'app', 'app-disabled'],
    [7000215, 'secret', 'secret-invalid'],
    [7000222, 'secret', 'secret-expired'],
    [7000218, 'secret', 'secret-not-sent'],
    [500011, 'secret', 'resource-not-found'],
    [53003, 'secret', 'conditional-access-blocked'],
    [70011, 'secret', 'invalid-scope'],
    [1002012, 'secret', 'invalid-scope'],
    [65001, 'permission', 'consent-required'],
    [90094, 'permission', 'consent-required'],
    [12345, 'secret', 'sign-in-failed'],
  ])('AADSTS%i fails the %s check with %s', (aadsts, check, code) => {
    const d = diagnoseTokenFailure(token(aadsts), ctx);
    expect(d).toMatchObject({ check, code, status: 'fail' });
    expect(d.fix.length).toBeGreaterThan(10);
    expect(d.details).toContain(`AADSTS${aadsts}`);
  });

  it('links secret failures to Certificates & secrets of this app in this cloud', () => {
    const d = diagnoseTokenFailure(token(7000222), { ...ctx, cloud: cloudById('usgov') });
    expect(d.link?.url).toBe(
      `https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${ctx.clientId}/isMSAApp~/false`,
    );
  });

  it('names throttling at the token endpoint', () => {
    expect(diagnoseTokenFailure(token(undefined, 429, 'throttled'), ctx)).toMatchObject({ code: 'throttled', check: 'tenant' });
  });
});

describe('diagnoseGraphFailure', () => {
  const graph = (status: number, code: string, message = 'm'): ConnectionFailure => ({
    kind: 'graph',
    status,
    code,
    message,
    retryAfterSeconds: 7,
    requestId: undefined,
  });

  it('tells consent missing (no roles) from an insufficient permission (other roles)', () => {
    expect(diagnoseGraphFailure(graph(403, 'AccessDenied'), ctx, { roles: [], check: 'permission' }).code).toBe(
      'consent-missing',
    );
    const partial = diagnoseGraphFailure(graph(403, 'Authorization_RequestDenied'), ctx, {
      roles: ['User.Read.All'],
      check: 'groups',
    });
    expect(partial).toMatchObject({ code: 'permission-insufficient', check: 'groups' });
    expect(partial.verdict).toContain('User.Read.All');
    expect(partial.link?.url).toContain('/~/CallAnAPI/');
  });

  it('mentions propagation delay on a re-test', () => {
    const d = diagnoseGraphFailure(graph(403, 'AccessDenied'), ctx, { roles: [], check: 'permission', retest: true });
    expect(d.verdict).toMatch(/few minutes/);
  });

  it.each([
    [401, 'InvalidAuthenticationToken', 'token-rejected'],
    [429, 'TooManyRequests', 'throttled'],
    [503, 'ServiceUnavailable', 'service-unavailable'],
    [400, 'Request_BadRequest', 'graph-error'],
  ])('HTTP %i %s is %s', (status, code, expected) => {
    expect(diagnoseGraphFailure(graph(status, code), ctx, { roles: ['Directory.Read.All'], check: 'users' }).code).toBe(expected);
  });
});

describe('diagnoseNetworkFailure', () => {
  it('keeps the classified cause, never "fetch failed"', () => {
    const d = diagnoseNetworkFailure(
      {
        code: 'tls-untrusted',
        message: 'The certificate presented by x is not trusted',
        causeCode: 'SELF_SIGNED_CERT_IN_CHAIN',
        host: 'x',
      },
      'tenant',
      'terminal',
    );
    expect(d).toMatchObject({ code: 'network-tls-untrusted', check: 'tenant', status: 'fail' });
    expect(d.details).toEqual(['Cause: SELF_SIGNED_CERT_IN_CHAIN']);
    expect(d.fix).toContain('NODE_EXTRA_CA_CERTS');
  });

  const failure = (code: 'dns' | 'proxy' | 'tls-untrusted' | 'reset' | 'timeout' | 'insecure-url') => ({
    code,
    message: 'words',
    causeCode: undefined,
    host: 'login.microsoftonline.com',
  });
  const envNames = /HTTPS_PROXY|NO_PROXY|NODE_EXTRA_CA_CERTS|AZURE_AUTHORITY_HOST|ENTRA_GRAPH_BASE_URL/;

  it.each(['dns', 'proxy', 'tls-untrusted', 'reset', 'timeout', 'insecure-url'] as const)(
    'a %s fix in the app names Settings → Network and no environment variable; in the terminal, the variables',
    (code) => {
      const inApp = diagnoseNetworkFailure(failure(code), 'tenant', 'app').fix;
      expect(inApp).toContain('Settings → Network');
      expect(inApp).not.toMatch(envNames);
      const inTerminal = diagnoseNetworkFailure(failure(code), 'tenant', 'terminal').fix;
      expect(inTerminal).toMatch(envNames);
      expect(inTerminal).not.toContain('Settings');
    },
  );

  it('passes the host through token and Graph diagnoses', () => {
    const network: ConnectionFailure = { kind: 'network', failure: failure('dns') };
    expect(diagnoseTokenFailure(network, ctx).fix).toContain('Settings → Network');
    expect(diagnoseGraphFailure(network, { ...ctx, host: 'terminal' }, { roles: [], check: 'users' }).fix).toContain(
      'HTTPS_PROXY',
    );
    expect(diagnoseTokenFailure(token(500011), ctx).fix).toContain('Settings → Network');
    expect(diagnoseTokenFailure(token(500011), { ...ctx, host: 'terminal' }).fix).toContain('ENTRA_GRAPH_BASE_URL');
  });
});
