/**
 * "Test connection" for a Bitbucket target, each check with a stable code and a fix: the address answers and is
 * Bitbucket Data Center (its application properties: product and version), TLS is trusted, the username and password
 * are accepted, the user holds global ADMIN (an HTTP access token cannot: said with the reason), the APIs the sync
 * needs answer, including the global permissions that say which groups grant the licence "disable" removes, where
 * new users go and which accounts are read-only, and what is known of rate limiting. Later checks are skipped once an
 * earlier one makes them meaningless.
 */
import type { BitbucketDisableMode } from '../../../../shared/targets';
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
import { RateLearner } from '../remote/rate-learner';
import { BitbucketClient, BitbucketHttpError } from './bitbucket-client';
import { isPermissionRefusal, isTokenAdminRefusal, tokenAdminSentence } from './bitbucket-errors';
import { readLicenceGroups } from './bitbucket-licence';
import { isReadOnlyUser, type BitbucketUserJson } from './bitbucket-reads';

export type BitbucketCheckId = 'reachable' | 'tls' | 'credential' | 'admin' | 'apis' | 'directory' | 'rate-limit';

/** `details`: Bitbucket's raw answer (status, exception), shown apart from the sentence. */
export type BitbucketCheck = ProductCheck<BitbucketCheckId>;

export type BitbucketConnectionReport = ProductReport<BitbucketCheckId>;

export interface BitbucketConnectionInput extends ConnectionTestInput {
  readonly username: string;
  readonly password: string;
  readonly disableMode?: BitbucketDisableMode;
}

const ORDER: readonly BitbucketCheckId[] = ['reachable', 'tls', 'credential', 'admin', 'apis', 'directory', 'rate-limit'];
const raw = (e: unknown) =>
  e instanceof BitbucketHttpError
    ? [
        `Bitbucket answered with HTTP status ${e.status}.`,
        ...e.errors.filter((x) => x.exceptionName).map((x) => `Exception: ${x.exceptionName}`),
      ]
    : [];

interface ApplicationProperties {
  readonly version?: string;
  readonly displayName?: string;
}

/** Runs the checks in order; never throws for a failure of the instance. Never puts the password in a message. */
export async function testBitbucketConnection(input: BitbucketConnectionInput): Promise<BitbucketConnectionReport> {
  const checks = new CheckRun<BitbucketCheckId>(ORDER, input.clock);
  const url = checks.address(input.baseUrl, 'Type the address you open Bitbucket with, e.g. https://bitbucket.example.com.');
  if (!url) return checks.report();
  const pacer = testPacer(input.clock);
  const learner = new RateLearner(input.clock);
  const base = { baseUrl: input.baseUrl, transport: input.transport, pacer, learner };
  const anonymous = new BitbucketClient({ ...base, username: '', password: '' });
  const client = new BitbucketClient({ ...base, username: input.username, password: input.password });

  let props: ApplicationProperties;
  try {
    props = (await anonymous.request<ApplicationProperties>('GET', '/application-properties')).body ?? {};
  } catch (error) {
    if (checks.networkFailure(error, url, { product: 'Bitbucket' })) return checks.report();
    props = {};
  }
  if (props.displayName !== 'Bitbucket' || typeof props.version !== 'string') {
    checks.add(
      fail(
        'reachable',
        'not-bitbucket',
        `${url.host} answered, but not as Bitbucket does at ${url.pathname.replace(/\/$/, '')}/rest/api/latest/application-properties: this is not Bitbucket, or the context path is wrong.`,
        'Use the address from Bitbucket’s Administration → Server settings → Base URL.',
      ),
    );
    return checks.report();
  }
  const product = 'Bitbucket Data Center';
  const version = props.version;
  const [major = 0] = version.split('.').map(Number);
  if (major < 5) {
    checks.add(
      fail(
        'reachable',
        'version-too-old',
        `${product} ${version} is older than the user and group admin APIs the sync uses (5.0 and later).`,
        'Upgrade Bitbucket to a supported Long Term Support release.',
      ),
    );
    return checks.report(product, version);
  }
  checks.add(pass('reachable', `${product} ${version} answers at ${url.host}.`));
  checks.add(tlsCheck(url, 'Bitbucket', 'password'));

  try {
    await client.request('GET', `/users/${encodeURIComponent(input.username.toLocaleLowerCase('en-US'))}`);
    checks.add(pass('credential', `The username and password of ${input.username} are accepted.`));
  } catch (error) {
    const permission = error instanceof BitbucketHttpError && isPermissionRefusal(error);
    if (!permission) {
      checks.add({
        id: 'credential',
        status: 'fail',
        code: 'credential-rejected',
        message:
          error instanceof BitbucketHttpError && error.status === 401
            ? `Bitbucket did not accept the username and password of ${input.username || '(no username)'}: the password is wrong or changed, or basic authentication is turned off for this user (Bitbucket 7.12+ can disable it).`
            : `Bitbucket refused the sign-in: ${error instanceof Error ? error.message : String(error)}`,
        fix: "Type the administrator's current username and password. If basic authentication is disabled, allow it for this account.",
        details: raw(error),
      });
      return checks.report(product, version);
    }
    checks.add(pass('credential', `The username and password of ${input.username} are accepted.`));
  }

  let firstUsers: readonly BitbucketUserJson[];
  try {
    firstUsers =
      (await client.request<{ values?: BitbucketUserJson[] }>('GET', '/admin/users', { limit: 100 })).body?.values ?? [];
    checks.add(
      pass('admin', `${input.username} holds Bitbucket's global Admin permission: the sync can manage users and groups.`),
    );
  } catch (error) {
    const token = error instanceof BitbucketHttpError && isTokenAdminRefusal(error);
    checks.add({
      id: 'admin',
      status: 'fail',
      code: token ? 'token-cannot-admin' : 'not-admin',
      message: token
        ? `The password given is an HTTP access token. ${tokenAdminSentence}`
        : `${input.username} is not a Bitbucket administrator, so it cannot create or change users and groups.`,
      fix: token
        ? "Type the administrator's password instead of the token."
        : 'Use an account with the Admin or System admin global permission (for example a member of sys-admins).',
      details: raw(error),
    });
    return checks.report(product, version);
  }

  try {
    const licence = await readLicenceGroups(client, new Set());
    await client.request('GET', '/admin/groups', { limit: 1 });
    const names = [...licence.licensing.values()].sort();
    const disable = input.disableMode ?? 'unlicense';
    checks.add(
      names.length > 0 || disable === 'delete'
        ? pass(
            'apis',
            `Users, groups, memberships and global permissions can be read and changed. ${
              disable === 'delete'
                ? 'Bitbucket cannot deactivate users; this target deletes leavers.'
                : `Bitbucket cannot deactivate users; "disable" removes them from the groups that grant the licence: ${names.join(', ')}.`
            }`,
          )
        : {
            id: 'apis',
            status: 'warning',
            code: 'no-licence-group',
            message:
              'No group holds a global permission, so "disable" has no licence to remove and a re-enabled user no group to go back to.',
            fix: 'Grant "Bitbucket User" to a group (stash-users) in Global permissions, or choose "delete" for disable.',
          },
    );
  } catch (error) {
    checks.add(
      fail(
        'apis',
        'missing-api',
        `Reading the global permissions or groups failed: ${error instanceof Error ? error.message : String(error)}`,
        'Check that the account is a System admin and that a proxy does not block /rest/api/latest/admin.',
        raw(error),
      ),
    );
  }

  const readOnly = firstUsers.filter(isReadOnlyUser);
  const directories = [...new Set(readOnly.map((u) => u.directoryName ?? 'a read-only directory'))].sort();
  checks.add(
    firstUsers.length > 0 && readOnly.length === firstUsers.length
      ? {
          id: 'directory',
          status: 'warning',
          code: 'no-writable-directory-seen',
          message: `Every account seen is in a read-only directory (${directories.join(', ')}): Bitbucket may have no writable directory for new users.`,
          fix: 'Keep Bitbucket Internal Directory (or a read/write one) in User Directories, or sync through Crowd instead.',
        }
      : {
          id: 'directory',
          status: 'pass',
          code: readOnly.length > 0 ? 'read-only-users' : 'ok',
          message:
            readOnly.length > 0
              ? `New users go to Bitbucket's first writable directory. ${readOnly.length} of the first ${firstUsers.length} accounts are in ${directories.join(', ')}, which Bitbucket cannot change: the sync reports them instead of changing them.`
              : "New users go to Bitbucket's first writable directory; every account seen can be changed.",
          fix: '',
        },
  );

  const learned = learner.allowedPerSecond;
  checks.add({
    id: 'rate-limit',
    status: 'pass',
    code: pacer.stats().throttled > 0 ? 'rate-limited' : 'limit-not-announced',
    message:
      pacer.stats().throttled > 0
        ? `Bitbucket rate-limits this user (it answered "too many requests"${learned ? `, about ${Math.round(learned)} requests/s` : ''}). The sync learns the limit from those answers and keeps under it.`
        : 'Bitbucket does not announce its rate limit in advance; if it limits this user, the sync learns the limit from its first "too many requests" answers and keeps under it.',
    fix: '',
  });
  return checks.report(product, version);
}
