/**
 * "Test connection" for a Jira target: each check a verdict with a stable code and a fix — the URL answers and is
 * Jira (serverInfo), TLS is trusted, the token is accepted, its user is a Jira administrator, the APIs the sync needs
 * exist, and whether rate limiting is in force. Later checks are skipped once an earlier one makes them meaningless.
 */
import { NetworkFailureError } from '../../http/network-error';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import { RemotePacer } from '../remote/pacer';
import { JiraClient, JiraHttpError } from './jira-client';

export type JiraCheckId = 'reachable' | 'tls' | 'token' | 'admin' | 'apis' | 'rate-limit';
export type JiraCheckStatus = 'pass' | 'warning' | 'fail' | 'skipped';
export type JiraCheckCode =
  | 'ok'
  | 'skipped-after-failure'
  | 'url-invalid'
  | 'unreachable'
  | 'not-jira'
  | 'version-too-old'
  | 'tls-untrusted'
  | 'tls-failed'
  | 'plain-http'
  | 'token-rejected'
  | 'not-admin'
  | 'user-search-only'
  | 'no-user-api'
  | 'rate-limited'
  | 'no-rate-limit';

export interface JiraCheck {
  readonly id: JiraCheckId;
  readonly status: JiraCheckStatus;
  readonly code: JiraCheckCode;
  readonly message: string;
  /** What to do, in plain words; empty when nothing is needed. */
  readonly fix: string;
}

export interface JiraConnectionReport {
  readonly ok: boolean;
  readonly product: string | null;
  readonly version: string | null;
  readonly checks: readonly JiraCheck[];
}

export interface JiraConnectionInput {
  readonly baseUrl: string;
  readonly token: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
}

const ORDER: readonly JiraCheckId[] = ['reachable', 'tls', 'token', 'admin', 'apis', 'rate-limit'];
const pass = (id: JiraCheckId, message: string): JiraCheck => ({ id, status: 'pass', code: 'ok', message, fix: '' });

interface ServerInfo {
  readonly version?: string;
  readonly versionNumbers?: readonly number[];
  readonly deploymentType?: string;
  readonly serverTitle?: string;
}

/** Runs the checks in order; never throws for a failure of the instance. */
export async function testJiraConnection(input: JiraConnectionInput): Promise<JiraConnectionReport> {
  const checks: JiraCheck[] = [];
  const done = (product: string | null = null, version: string | null = null): JiraConnectionReport => {
    for (const id of ORDER) {
      if (!checks.some((c) => c.id === id)) {
        checks.push({
          id,
          status: 'skipped',
          code: 'skipped-after-failure',
          message: 'Not checked: an earlier check failed.',
          fix: '',
        });
      }
    }
    checks.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
    return { ok: checks.every((c) => c.status !== 'fail'), product, version, checks };
  };

  let url: URL;
  try {
    url = new URL(input.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
  } catch {
    checks.push({
      id: 'reachable',
      status: 'fail',
      code: 'url-invalid',
      message: `"${input.baseUrl}" is not a web address.`,
      fix: 'Type the address you open Jira with, including the context path, e.g. https://jira.example.com/jira.',
    });
    return done();
  }
  // One call at a time, no retries beyond the pacer's: a test should answer quickly and say what it saw.
  const pacer = new RemotePacer({ clock: input.clock, maxConcurrency: 1, maxRetries: 1, breakerThreshold: 1_000 });
  const client = new JiraClient({ baseUrl: input.baseUrl, token: input.token, transport: input.transport, pacer });

  let info: ServerInfo;
  let headers: Headers;
  try {
    const anonymous = new JiraClient({ baseUrl: input.baseUrl, token: '', transport: input.transport, pacer });
    const answer = await anonymous.request<ServerInfo>('GET', '/serverInfo');
    info = answer.body ?? {};
    headers = answer.headers;
  } catch (error) {
    if (error instanceof NetworkFailureError) {
      const f = error.failure;
      if (f.code === 'tls-untrusted') {
        checks.push(pass('reachable', `${url.host} answers.`));
        checks.push({
          id: 'tls',
          status: 'fail',
          code: 'tls-untrusted',
          message: `${url.host} presents a certificate this computer does not trust (a private certificate authority).`,
          fix: "Add the certificate of the CA that signed Jira's certificate to the target (PEM file), or ask your Jira admin for it.",
        });
      } else if (f.code === 'tls-other') {
        checks.push(pass('reachable', `${url.host} answers.`));
        checks.push({
          id: 'tls',
          status: 'fail',
          code: 'tls-failed',
          message: f.message,
          fix: 'Check that the address uses the port Jira serves HTTPS on.',
        });
      } else {
        checks.push({
          id: 'reachable',
          status: 'fail',
          code: 'unreachable',
          message: f.message,
          fix: 'Check the address, the network and any proxy between this computer and Jira.',
        });
      }
      return done();
    }
    const status = error instanceof JiraHttpError ? error.status : 0;
    checks.push({
      id: 'reachable',
      status: 'fail',
      code: 'not-jira',
      message: `${url.host} answered ${status || 'something unexpected'} at ${url.pathname.replace(/\/$/, '')}/rest/api/2/serverInfo: this is not Jira, or the context path is wrong.`,
      fix: 'Use the address from Jira’s Administration → System → Base URL (for example https://jira.example.com/jira).',
    });
    return done();
  }
  const version = typeof info.version === 'string' ? info.version : null;
  const numbers = info.versionNumbers ?? version?.split('.').map(Number) ?? [];
  if (!version) {
    checks.push({
      id: 'reachable',
      status: 'fail',
      code: 'not-jira',
      message: `${url.host} answered, but not as Jira does.`,
      fix: 'Check the address and context path.',
    });
    return done();
  }
  const product = `Jira ${info.deploymentType === 'Cloud' ? 'Cloud' : 'Data Center'}`;
  const [major = 0, minor = 0] = numbers;
  if (major < 8 || (major === 8 && minor < 14)) {
    checks.push({
      id: 'reachable',
      status: 'fail',
      code: 'version-too-old',
      message: `${product} ${version} has no personal access tokens (they came with 8.14).`,
      fix: 'Upgrade Jira to 8.14 or later (a supported LTS release).',
    });
    return done(product, version);
  }
  checks.push(pass('reachable', `${product} ${version} answers at ${url.host}.`));
  checks.push(
    url.protocol === 'https:'
      ? pass('tls', 'The connection is encrypted and the certificate is trusted.')
      : {
          id: 'tls',
          status: 'warning',
          code: 'plain-http',
          message: 'The address uses http://: the token travels unencrypted.',
          fix: 'Use the https:// address of Jira.',
        },
  );

  try {
    const me = await client.request<{ name?: string; displayName?: string }>('GET', '/myself');
    checks.push(pass('token', `The token is accepted; it acts as ${me.body?.displayName ?? me.body?.name ?? 'a Jira user'}.`));
    headers = me.headers;
  } catch (error) {
    const reason = error instanceof JiraHttpError ? error.headers.get('x-seraph-loginreason') : null;
    checks.push({
      id: 'token',
      status: 'fail',
      code: 'token-rejected',
      message:
        error instanceof JiraHttpError && error.status === 401
          ? `Jira did not accept the token (401${reason ? `, ${reason}` : ''}): it is expired, revoked or mistyped — or a password was given where a personal access token is needed.`
          : `Jira refused the token: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'In Jira, open your profile → Personal Access Tokens, create a token for an administrator, and paste it here.',
    });
    return done(product, version);
  }

  try {
    const perms = await client.request<{ permissions?: { ADMINISTER?: { havePermission?: boolean } } }>('GET', '/mypermissions', {
      permissions: 'ADMINISTER',
    });
    checks.push(
      perms.body?.permissions?.ADMINISTER?.havePermission
        ? pass('admin', "The token's user is a Jira administrator.")
        : {
            id: 'admin',
            status: 'fail',
            code: 'not-admin',
            message: "The token's user is not a Jira administrator, so it cannot create or change users and groups.",
            fix: 'Create the token as a member of jira-administrators, or add its user to that group.',
          },
    );
  } catch (error) {
    checks.push({
      id: 'admin',
      status: 'fail',
      code: 'not-admin',
      message: `Jira did not say whether the token's user is an administrator: ${(error as Error).message}`,
      fix: 'Check the token belongs to a Jira administrator.',
    });
  }

  try {
    await client.request('GET', '/user/list', { maxResults: 1 });
    checks.push(pass('apis', 'Users can be listed (user/list), created, changed, deactivated and deleted.'));
  } catch (error) {
    if (error instanceof JiraHttpError && error.status === 404) {
      try {
        await client.request('GET', '/user/search', { username: '.', maxResults: 1 });
        checks.push({
          id: 'apis',
          status: 'warning',
          code: 'user-search-only',
          message: `Jira ${version} lists users through the older user/search only; the sync reads users with it, page by page.`,
          fix: 'Nothing is needed; Jira 10.3 LTS or later lists users more efficiently.',
        });
      } catch (inner) {
        checks.push({
          id: 'apis',
          status: 'fail',
          code: 'no-user-api',
          message: `Neither user/list nor user/search answers: ${(inner as Error).message}`,
          fix: 'Check the token user can browse users.',
        });
      }
    } else {
      checks.push({
        id: 'apis',
        status: 'fail',
        code: 'no-user-api',
        message: `Listing users failed: ${(error as Error).message}`,
        fix: 'Check the token belongs to a Jira administrator.',
      });
    }
  }

  const limit = headers.get('x-ratelimit-limit');
  const fill = headers.get('x-ratelimit-fillrate');
  const interval = headers.get('x-ratelimit-interval-seconds') ?? '1';
  checks.push(
    limit && fill
      ? {
          id: 'rate-limit',
          status: 'pass',
          code: 'rate-limited',
          message: `Rate limiting is in force: ${fill} requests per ${interval} s, bursts up to ${limit}. The sync keeps to it.`,
          fix: '',
        }
      : {
          id: 'rate-limit',
          status: 'pass',
          code: 'no-rate-limit',
          message: 'Jira reports no rate limit for this user.',
          fix: '',
        },
  );
  return done(product, version);
}
