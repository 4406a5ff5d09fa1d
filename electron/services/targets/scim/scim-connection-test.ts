/**
 * "Test connection" for a SCIM 2.0 target: each check a verdict with a stable code and a fix — the address answers
 * over trusted TLS, `/ServiceProviderConfig` is read (PATCH, filter, bulk, ETag, maxResults, the authentication
 * schemes it declares), `/ResourceTypes` and `/Schemas` answer, the bearer token is accepted, and a harmless
 * `GET /Users?count=1` and `GET /Groups?count=1` work. Later checks are skipped once an earlier one makes them
 * meaningless.
 */
import type { ScimPreset } from '../../../../shared/targets';
import {
  CheckRun,
  fail,
  pass,
  testPacer,
  tlsCheck,
  type ConnectionTestInput,
  type ProductCheck,
  type ProductReport,
} from '../remote/check-runner';
import { ScimClient, ScimHttpError } from './scim-client';
import { parseServiceConfig, type ScimServiceConfig } from './scim-service-config';

export type ScimCheckId = 'reachable' | 'tls' | 'config' | 'discovery' | 'token' | 'users' | 'groups';

export type ScimCheck = ProductCheck<ScimCheckId>;

export interface ScimConnectionReport extends ProductReport<ScimCheckId> {
  /** What the service declared, when it did. */
  readonly serviceConfig: ScimServiceConfig | null;
}

export interface ScimConnectionInput extends ConnectionTestInput {
  readonly token: string;
  readonly preset?: ScimPreset;
}

export const SCIM_CHECK_ORDER: readonly ScimCheckId[] = ['reachable', 'tls', 'token', 'config', 'discovery', 'users', 'groups'];
const statusOf = (e: unknown) => (e instanceof ScimHttpError ? e.status : 0);

/** Runs the checks in order; never throws for a failure of the service. */
export async function testScimConnection(input: ScimConnectionInput): Promise<ScimConnectionReport> {
  const cloud = input.preset === 'atlassian-cloud';
  const service = cloud ? 'Atlassian Cloud' : 'The SCIM service';
  const checks = new CheckRun<ScimCheckId>(SCIM_CHECK_ORDER, input.clock);
  let serviceConfig: ScimServiceConfig | null = null;
  const done = (): ScimConnectionReport => ({
    ...checks.report(cloud ? 'Atlassian Cloud user provisioning' : 'SCIM 2.0'),
    serviceConfig,
  });
  const addressFix = cloud
    ? 'Use the directory URL from Atlassian Administration → Security → Identity providers → your directory: https://api.atlassian.com/scim/directory/{directoryId}.'
    : 'Use the SCIM base URL the service documents (the address /Users and /Groups are under, e.g. https://scim.example.com/scim/v2).';
  const url = checks.address(input.baseUrl, addressFix);
  if (!url) return done();
  const pacer = testPacer(input.clock);
  const client = new ScimClient({
    baseUrl: input.baseUrl,
    token: input.token,
    transport: input.transport,
    pacer,
    clock: input.clock,
  });

  // The users probe first: it tells reachability, TLS and the token apart.
  try {
    await client.request('GET', '/Users', { count: 1, startIndex: 1 });
  } catch (error) {
    if (checks.networkFailure(error, url, { product: 'the service' })) return done();
    if (statusOf(error) === 401) {
      checks.add(pass('reachable', `${service} answers at ${url.host}.`));
      checks.add(pass('tls', 'The connection is encrypted and the certificate is trusted.'));
      checks.add(
        fail(
          'token',
          'token-rejected',
          `${service} did not accept the bearer token (401).`,
          cloud
            ? 'In Atlassian Administration → Security → Identity providers → your directory, regenerate the API key and paste it here (the key is shown once).'
            : 'Create a new token in the SCIM service (the one it issues for provisioning clients) and paste it here.',
        ),
      );
      return done();
    }
    checks.add(
      fail(
        'reachable',
        'not-scim',
        `${url.host} answered ${statusOf(error) || 'something unexpected'} at ${url.pathname.replace(/\/$/, '')}/Users: this is not a SCIM service, or the base URL is wrong.`,
        addressFix,
      ),
    );
    return done();
  }
  checks.add(pass('reachable', `${service} answers at ${url.host}.`));
  checks.add(tlsCheck(url, 'the service', 'bearer token'));
  checks.add(pass('token', `${service} accepts the bearer token.`));

  try {
    serviceConfig = parseServiceConfig((await client.request('GET', '/ServiceProviderConfig')).body);
    const c = serviceConfig;
    const said = `PATCH ${c.patch ? 'supported' : 'not supported'}, filter ${c.filter ? `supported${c.maxResults ? ` (at most ${c.maxResults} results)` : ''}` : 'not supported'}, bulk ${c.bulk ? 'supported' : 'not supported'}, ETag ${c.etag ? 'supported' : 'not supported'}, authentication ${c.authenticationSchemes.join(', ') || 'not declared'}.`;
    checks.add(
      c.patch
        ? pass('config', `The service declares: ${said}`)
        : {
            id: 'config',
            status: 'warning',
            code: 'no-patch',
            message: `The service declares: ${said} Users are updated by a PUT of the whole account; group memberships cannot be changed (only PATCH changes a member without rewriting the whole list).`,
            fix: 'Nothing is needed for users. For memberships, ask the service for PATCH support, or manage memberships there.',
          },
    );
  } catch (error) {
    checks.add(
      fail(
        'config',
        'no-service-config',
        `${service} did not answer /ServiceProviderConfig (${statusOf(error) || 'no answer'}), so what it supports is unknown.`,
        `Check the base URL: /ServiceProviderConfig must be beside /Users. ${addressFix}`,
      ),
    );
  }
  try {
    await client.request('GET', '/ResourceTypes');
    await client.request('GET', '/Schemas');
    checks.add(pass('discovery', 'The resource types and schemas are read (/ResourceTypes, /Schemas).'));
  } catch (error) {
    checks.add({
      id: 'discovery',
      status: 'warning',
      code: 'no-discovery',
      message: `/ResourceTypes or /Schemas did not answer (${statusOf(error) || 'no answer'}). The sync uses only the core User and Group, so it can go on.`,
      fix: 'Nothing is needed unless the service needs extension attributes.',
    });
  }
  checks.add(pass('users', 'Users can be listed (GET /Users?count=1).'));
  try {
    await client.request('GET', '/Groups', { count: 1, startIndex: 1 });
    checks.add(pass('groups', 'Groups can be listed (GET /Groups?count=1).'));
  } catch (error) {
    checks.add(
      fail(
        'groups',
        'groups-refused',
        `${service} refused GET /Groups (${statusOf(error) || 'no answer'}).`,
        cloud
          ? 'Check that the directory has group provisioning on in Atlassian Administration.'
          : 'Allow the token to read and write groups in the SCIM service.',
      ),
    );
  }
  return done();
}
