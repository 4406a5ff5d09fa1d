/**
 * "Test connection" for a Confluence target: each check a verdict with a stable code, a fix and the raw answer in
 * the details — the URL answers and is Confluence Data Center (applinks manifest: product and version), TLS is
 * trusted, the personal access token is accepted (401/403 explained), its user is a Confluence administrator, the
 * APIs the sync needs exist in this version (8.4+; before it, which are missing and what the sync does instead),
 * where new users go, and whether rate limiting is in force. Later checks are skipped once an earlier one fails.
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
import { ConfluenceClient, ConfluenceHttpError } from './confluence-client';
import { hasFullAdminApi, insteadBefore84, missingBefore84, readManifest } from './confluence-product';
import type { ConfluencePage, ConfluenceUserJson } from './confluence-reads';

export type ConfluenceCheckId = 'reachable' | 'tls' | 'token' | 'admin' | 'apis' | 'directory' | 'rate-limit';
export type ConfluenceCheckCode =
  | SharedCheckCode
  | 'not-confluence'
  | 'version-too-old'
  | 'token-rejected'
  | 'token-forbidden'
  | 'not-admin'
  | 'admin-api-missing'
  | 'directory-not-reported';

export type ConfluenceCheck = ProductCheck<ConfluenceCheckId, ConfluenceCheckCode>;

export type ConfluenceConnectionReport = ProductReport<ConfluenceCheckId, ConfluenceCheckCode>;

export interface ConfluenceConnectionInput extends ConnectionTestInput {
  readonly token: string;
}

const ORDER: readonly ConfluenceCheckId[] = ['reachable', 'tls', 'token', 'admin', 'apis', 'directory', 'rate-limit'];
const answered = (error: unknown) =>
  error instanceof ConfluenceHttpError
    ? [`Confluence answered HTTP ${error.status} to ${error.method} ${error.path}${error.text ? `: "${error.text}"` : ''}.`]
    : [];

/** Runs the checks in order; never throws for a failure of the instance. */
export async function testConfluenceConnection(input: ConfluenceConnectionInput): Promise<ConfluenceConnectionReport> {
  const checks = new CheckRun<ConfluenceCheckId, ConfluenceCheckCode>(ORDER, input.clock);
  const url = checks.address(
    input.baseUrl,
    'Type the address you open Confluence with, including the context path, e.g. https://confluence.example.com/confluence.',
  );
  if (!url) return checks.report();
  const pacer = testPacer(input.clock);
  const client = new ConfluenceClient({ baseUrl: input.baseUrl, token: input.token, transport: input.transport, pacer });
  const anonymous = new ConfluenceClient({ baseUrl: input.baseUrl, token: '', transport: input.transport, pacer });

  let manifest;
  try {
    manifest = await readManifest(anonymous);
  } catch (error) {
    if (!checks.networkFailure(error, url, { product: 'Confluence' }))
      checks.add(
        fail(
          'reachable',
          'unreachable',
          error instanceof Error ? error.message : String(error),
          'Check the address, the network and any proxy between this computer and Confluence.',
        ),
      );
    return checks.report();
  }
  if (!manifest || manifest.typeId !== 'confluence' || typeof manifest.version !== 'string') {
    const other = manifest?.typeId
      ? ` It is ${manifest.typeId === 'jira' ? 'Jira' : manifest.typeId === 'stash' ? 'Bitbucket' : manifest.typeId}.`
      : '';
    checks.add(
      fail(
        'reachable',
        'not-confluence',
        `${url.host} does not answer as Confluence at ${url.pathname.replace(/\/$/, '')}: this is not Confluence, or the context path is wrong.${other}`,
        'Use the address from Confluence administration → General configuration → Server base URL (for example https://confluence.example.com/confluence).',
      ),
    );
    return checks.report();
  }
  const version = manifest.version;
  const product = 'Confluence Data Center';
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  if (major < 7 || (major === 7 && minor < 9)) {
    checks.add(
      fail(
        'reachable',
        'version-too-old',
        `${product} ${version} has no personal access tokens (they came with 7.9).`,
        'Upgrade Confluence to 7.9 or later; 8.4 or later for the full user admin API.',
      ),
    );
    return checks.report(product, version);
  }
  checks.add(pass('reachable', `${product} ${version} answers at ${url.host}.`));
  checks.add(tlsCheck(url, 'Confluence', 'token'));

  let me: ConfluenceUserJson;
  let headers: Headers;
  try {
    const answer = await client.request<ConfluenceUserJson>('GET', '/user/current');
    me = answer.body;
    headers = answer.headers;
    checks.add(pass('token', `The token is accepted; it acts as ${me.displayName ?? me.username} (${me.username}).`));
  } catch (error) {
    const status = error instanceof ConfluenceHttpError ? error.status : 0;
    checks.add({
      id: 'token',
      status: 'fail',
      code: status === 403 ? 'token-forbidden' : 'token-rejected',
      message:
        status === 401
          ? 'Confluence did not accept the token: it is expired, revoked or mistyped — or a password was given where a personal access token is needed.'
          : status === 403
            ? "Confluence accepted the token but refuses its user: the account may be deactivated or lack the 'can use' permission."
            : `Confluence refused the token: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'In Confluence, open your profile → Settings → Personal Access Tokens, create a token as an administrator, and paste it here.',
      details: answered(error),
    });
    return checks.report(product, version);
  }

  try {
    const groups = await client.request<ConfluencePage<{ name: string }>>('GET', '/user/memberof', {
      username: me.username,
      limit: 200,
    });
    const names = (groups.body?.results ?? []).map((g) => g.name.toLowerCase());
    checks.add(
      names.includes('confluence-administrators')
        ? pass('admin', `${me.username} is a Confluence administrator (confluence-administrators).`)
        : fail(
            'admin',
            'not-admin',
            `${me.username} is not in confluence-administrators, so the token cannot create or change users and groups.`,
            'Create the token as a member of confluence-administrators, or add its user to that group.',
          ),
    );
  } catch (error) {
    checks.add(
      fail(
        'admin',
        'not-admin',
        `Confluence did not say whether ${me.username} is an administrator.`,
        'Check the token belongs to a Confluence administrator.',
        answered(error),
      ),
    );
  }

  checks.add(
    hasFullAdminApi(version)
      ? pass(
          'apis',
          `Confluence ${version} has the user admin API: users are listed, created, changed, disabled, enabled and deleted (deletion runs as a background task the sync waits for).`,
        )
      : {
          id: 'apis',
          status: 'warning',
          code: 'admin-api-missing',
          message: `Confluence ${version} is older than 8.4: ${missingBefore84}. Instead, ${insteadBefore84}.`,
          fix: 'Upgrade Confluence to 8.4 or later to have users created, disabled and deleted by the sync.',
        },
  );
  checks.add(
    pass(
      'directory',
      "New users go to Confluence's first writable user directory (Confluence does not say which over REST). Accounts from a read-only directory (LDAP or Crowd) are reported by the sync, not changed.",
      'directory-not-reported',
    ),
  );

  checks.add(rateLimitCheck(headers, 'Confluence'));
  return checks.report(product, version);
}
