/**
 * "Test connection" for a Jira target: each check a verdict with a stable code and a fix — the URL answers and is
 * Jira (serverInfo), TLS is trusted, the token is accepted, its user is a Jira administrator, the APIs the sync needs
 * exist, and whether rate limiting is in force. Later checks are skipped once an earlier one makes them meaningless.
 */
import {
  CheckRun,
  fail,
  pass,
  rateLimitCheck,
  testPacer,
  tlsCheck,
  type ConnectionTestInput,
  type ProductCheck,
  type ProductReport,
  type SharedCheckCode,
} from '../remote/check-runner';
import { JiraClient, JiraHttpError } from './jira-client';

export type JiraCheckId = 'reachable' | 'tls' | 'token' | 'admin' | 'apis' | 'rate-limit';
export type JiraCheckCode =
  SharedCheckCode | 'not-jira' | 'version-too-old' | 'token-rejected' | 'not-admin' | 'user-search-only' | 'no-user-api';

export type JiraCheck = ProductCheck<JiraCheckId, JiraCheckCode>;

export type JiraConnectionReport = ProductReport<JiraCheckId, JiraCheckCode>;

export interface JiraConnectionInput extends ConnectionTestInput {
  readonly token: string;
}

const ORDER: readonly JiraCheckId[] = ['reachable', 'tls', 'token', 'admin', 'apis', 'rate-limit'];

interface ServerInfo {
  readonly version?: string;
  readonly versionNumbers?: readonly number[];
  readonly deploymentType?: string;
  readonly serverTitle?: string;
}

/** Runs the checks in order; never throws for a failure of the instance. */
export async function testJiraConnection(input: JiraConnectionInput): Promise<JiraConnectionReport> {
  const checks = new CheckRun<JiraCheckId, JiraCheckCode>(ORDER, input.clock);
  const url = checks.address(
    input.baseUrl,
    'Type the address you open Jira with, including the context path, e.g. https://jira.example.com/jira.',
  );
  if (!url) return checks.report();
  const pacer = testPacer(input.clock);
  const client = new JiraClient({ baseUrl: input.baseUrl, token: input.token, transport: input.transport, pacer });

  let info: ServerInfo;
  let headers: Headers;
  try {
    const anonymous = new JiraClient({ baseUrl: input.baseUrl, token: '', transport: input.transport, pacer });
    const answer = await anonymous.request<ServerInfo>('GET', '/serverInfo');
    info = answer.body ?? {};
    headers = answer.headers;
  } catch (error) {
    if (checks.networkFailure(error, url, { product: 'Jira' })) return checks.report();
    const status = error instanceof JiraHttpError ? error.status : 0;
    checks.add(
      fail(
        'reachable',
        'not-jira',
        `${url.host} answered ${status || 'something unexpected'} at ${url.pathname.replace(/\/$/, '')}/rest/api/2/serverInfo: this is not Jira, or the context path is wrong.`,
        'Use the address from Jira’s Administration → System → Base URL (for example https://jira.example.com/jira).',
      ),
    );
    return checks.report();
  }
  const version = typeof info.version === 'string' ? info.version : null;
  const numbers = info.versionNumbers ?? version?.split('.').map(Number) ?? [];
  if (!version) {
    checks.add(
      fail('reachable', 'not-jira', `${url.host} answered, but not as Jira does.`, 'Check the address and context path.'),
    );
    return checks.report();
  }
  const product = `Jira ${info.deploymentType === 'Cloud' ? 'Cloud' : 'Data Center'}`;
  const [major = 0, minor = 0] = numbers;
  if (major < 8 || (major === 8 && minor < 14)) {
    checks.add(
      fail(
        'reachable',
        'version-too-old',
        `${product} ${version} has no personal access tokens (they came with 8.14).`,
        'Upgrade Jira to 8.14 or later (a supported LTS release).',
      ),
    );
    return checks.report(product, version);
  }
  checks.add(pass('reachable', `${product} ${version} answers at ${url.host}.`));
  checks.add(tlsCheck(url, 'Jira', 'token'));

  try {
    const me = await client.request<{ name?: string; displayName?: string }>('GET', '/myself');
    checks.add(pass('token', `The token is accepted; it acts as ${me.body?.displayName ?? me.body?.name ?? 'a Jira user'}.`));
    headers = me.headers;
  } catch (error) {
    const reason = error instanceof JiraHttpError ? error.headers.get('x-seraph-loginreason') : null;
    checks.add(
      fail(
        'token',
        'token-rejected',
        error instanceof JiraHttpError && error.status === 401
          ? `Jira did not accept the token (401${reason ? `, ${reason}` : ''}): it is expired, revoked or mistyped — or a password was given where a personal access token is needed.`
          : `Jira refused the token: ${error instanceof Error ? error.message : String(error)}`,
        'In Jira, open your profile → Personal Access Tokens, create a token for an administrator, and paste it here.',
      ),
    );
    return checks.report(product, version);
  }

  try {
    const perms = await client.request<{ permissions?: { ADMINISTER?: { havePermission?: boolean } } }>('GET', '/mypermissions', {
      permissions: 'ADMINISTER',
    });
    checks.add(
      perms.body?.permissions?.ADMINISTER?.havePermission
        ? pass('admin', "The token's user is a Jira administrator.")
        : fail(
            'admin',
            'not-admin',
            "The token's user is not a Jira administrator, so it cannot create or change users and groups.",
            'Create the token as a member of jira-administrators, or add its user to that group.',
          ),
    );
  } catch (error) {
    checks.add(
      fail(
        'admin',
        'not-admin',
        `Jira did not say whether the token's user is an administrator: ${(error as Error).message}`,
        'Check the token belongs to a Jira administrator.',
      ),
    );
  }

  try {
    await client.request('GET', '/user/list', { maxResults: 1 });
    checks.add(pass('apis', 'Users can be listed (user/list), created, changed, deactivated and deleted.'));
  } catch (error) {
    if (error instanceof JiraHttpError && error.status === 404) {
      try {
        await client.request('GET', '/user/search', { username: '.', maxResults: 1 });
        checks.add({
          id: 'apis',
          status: 'warning',
          code: 'user-search-only',
          message: `Jira ${version} lists users through the older user/search only; the sync reads users with it, page by page.`,
          fix: 'Nothing is needed; Jira 10.3 LTS or later lists users more efficiently.',
        });
      } catch (inner) {
        checks.add(
          fail(
            'apis',
            'no-user-api',
            `Neither user/list nor user/search answers: ${(inner as Error).message}`,
            'Check the token user can browse users.',
          ),
        );
      }
    } else {
      checks.add(
        fail(
          'apis',
          'no-user-api',
          `Listing users failed: ${(error as Error).message}`,
          'Check the token belongs to a Jira administrator.',
        ),
      );
    }
  }

  checks.add(rateLimitCheck(headers, 'Jira'));
  return checks.report(product, version);
}
