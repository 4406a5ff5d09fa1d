/**
 * "Test connection" for a Crowd target: each check a verdict with a stable code and a fix — the URL answers and is
 * Crowd (its REST realm or version header), TLS is trusted, the application name and password are accepted, Crowd
 * allows this machine's address, the resources the sync needs answer, where new accounts land, and whether a rate
 * limit is announced. Later checks are skipped once an earlier one makes them meaningless.
 *
 * The test only reads. Crowd's REST API does not tell an application its directory permissions, so whether it may
 * write is said as not tested, with what to check in Crowd; only when the admin opts in (`writeTest`) does it create
 * an empty probe group and delete it at once, and the check says so by name.
 */
import { randomBytes } from 'node:crypto';
import {
  announcedRateLimit,
  CheckRun,
  fail,
  pass,
  testPacer,
  tlsCheck,
  type ConnectionTestInput,
  type ProductCheck,
  type ProductReport,
  type SharedCheckCode,
} from '../remote/check-runner';
import { CrowdClient, CrowdHttpError } from './crowd-client';
import { directoryRule } from './crowd-engine-target';
import { addressFix, isAddressRefused } from './crowd-errors';
import { RateLearner } from '../remote/rate-learner';

export type CrowdCheckId = 'reachable' | 'tls' | 'credential' | 'address' | 'admin' | 'apis' | 'directory' | 'rate-limit';
export type CrowdCheckCode =
  | SharedCheckCode
  | 'not-crowd'
  | 'no-version'
  | 'credential-rejected'
  | 'address-refused'
  | 'not-admin'
  | 'write-unconfirmed'
  | 'no-writable-directory'
  | 'api-missing'
  | 'first-writable-directory';

export type CrowdCheck = ProductCheck<CrowdCheckId, CrowdCheckCode>;

export type CrowdConnectionReport = ProductReport<CrowdCheckId, CrowdCheckCode>;

export interface CrowdConnectionInput extends ConnectionTestInput {
  readonly applicationName: string;
  readonly password: string;
  /**
   * Opt-in: confirm the write permission by creating an empty probe group and deleting it ({@link writeTestOffer}).
   * Off by default: a connection test must not write into a production directory.
   */
  readonly writeTest?: boolean;
}

export const CROWD_CHECK_ORDER: readonly CrowdCheckId[] = [
  'reachable',
  'tls',
  'credential',
  'address',
  'admin',
  'apis',
  'directory',
  'rate-limit',
];
/** `Crowd/6.1.2` (X-Embedded-Crowd-Version) → `6.1.2`. */
const versionOf = (headers: Headers) => /Crowd\/([\w.-]+)/i.exec(headers.get('x-embedded-crowd-version') ?? '')?.[1] ?? null;
/** An anonymous call's refusal reads as Crowd's: its 401 (REST realm or version header), or its JSON error body. */
const looksLikeCrowd = (e: CrowdHttpError) =>
  (e.status === 401 && (/crowd/i.test(e.headers.get('www-authenticate') ?? '') || versionOf(e.headers) !== null)) ||
  (e.status !== 404 && e.reason !== '');

/** Runs the checks in order; never throws for a failure of the instance. */
export async function testCrowdConnection(input: CrowdConnectionInput): Promise<CrowdConnectionReport> {
  const checks = new CheckRun<CrowdCheckId, CrowdCheckCode>(CROWD_CHECK_ORDER, input.clock);
  const app = input.applicationName;
  let product: string | null = null;
  let version: string | null = null;

  const url = checks.address(
    input.baseUrl,
    'Type the address you open Crowd with, including the context path, e.g. https://crowd.example.com/crowd.',
  );
  if (!url) return checks.report();
  const pacer = testPacer(input.clock);
  const make = (name: string, password: string) =>
    new CrowdClient({
      baseUrl: input.baseUrl,
      applicationName: name,
      password,
      transport: input.transport,
      pacer,
      learner: new RateLearner(input.clock),
    });
  const client = make(app, input.password);
  const probeQuery = { 'entity-type': 'user', 'max-results': 1 };

  // Anonymously first: Crowd's 401 (its REST realm, its version header) says it is Crowd before any credential counts.
  let headers: Headers;
  try {
    const anonymous = await make('', '').request('GET', '/search', probeQuery);
    headers = anonymous.headers;
  } catch (error) {
    if (checks.networkFailure(error, url, { product: 'Crowd' })) return checks.report();
    if (!(error instanceof CrowdHttpError) || !looksLikeCrowd(error)) {
      const status = error instanceof CrowdHttpError ? error.status : 0;
      checks.add(
        fail(
          'reachable',
          'not-crowd',
          `${url.host} answered ${status || 'something unexpected'} at ${url.pathname.replace(/\/$/, '')}/rest/usermanagement/1: this is not Crowd, or the context path is wrong.`,
          'Use the address you open the Crowd console with, for example https://crowd.example.com/crowd.',
        ),
      );
      return checks.report(product, version);
    }
    headers = error.headers;
  }
  version = versionOf(headers);
  product = 'Crowd Data Center';
  checks.add(
    version
      ? pass('reachable', `Crowd ${version} answers at ${url.host}.`)
      : {
          id: 'reachable',
          status: 'warning',
          code: 'no-version',
          message: `Crowd answers at ${url.host} but did not say its version.`,
          fix: 'Nothing is needed; the version shows in the Crowd console under Administration → System information.',
        },
  );
  checks.add(tlsCheck(url, 'Crowd', 'application password'));

  try {
    const answer = await client.request('GET', '/search', probeQuery);
    headers = answer.headers;
    checks.add(pass('credential', `Crowd accepts the application ${app}.`));
    checks.add(pass('address', "Crowd allows this machine's address for the application."));
  } catch (error) {
    if (error instanceof CrowdHttpError && isAddressRefused(error)) {
      checks.add(pass('credential', `Crowd knows the application ${app}.`));
      checks.add(
        fail(
          'address',
          'address-refused',
          `Crowd answered that this machine "is not allowed to access" ${app} (403).`,
          addressFix(app),
        ),
      );
    } else {
      const status = error instanceof CrowdHttpError ? error.status : 0;
      checks.add(
        fail(
          'credential',
          'credential-rejected',
          status === 401
            ? `Crowd did not accept the application name and password (401): the application ${app || '(none given)'} does not exist, or the password is wrong.`
            : `Crowd refused the application: ${error instanceof Error ? error.message : String(error)}`,
          `In Crowd, open Applications → ${app || '<application>'} → Details, check the name, set a new password there and paste it here. A person's username and password do not work: Crowd's REST API signs in applications.`,
        ),
      );
    }
    return checks.report(product, version);
  }

  if (input.writeTest) await writeTest(client, app, checks);
  else {
    checks.add({
      id: 'admin',
      status: 'warning',
      code: 'write-unconfirmed',
      message: `Not tested: Crowd's REST API does not tell an application whether it may change users and groups, and this test only reads. Without it, each change a sync tries fails with Crowd's refusal, which the run reports.`,
      fix: `In Crowd, open Applications → ${app} → Permissions and allow adding, modifying and removing users and groups in the directories the sync should write to. ${writeTestOffer}`,
      details: ['This test sent Crowd only reads (GET requests): nothing was created.'],
    });
    checks.add(pass('directory', directoryRule(app), 'first-writable-directory'));
  }

  try {
    await client.request('GET', '/search', { 'entity-type': 'group', 'max-results': 1 });
    try {
      await client.request('GET', '/group/user/direct', { groupname: 'crowd-administrators', 'max-results': 1 });
    } catch (error) {
      // A missing group is Crowd's JSON 404: the resource is there.
      if (!(error instanceof CrowdHttpError && error.reason === 'GROUP_NOT_FOUND')) throw error;
    }
    checks.add(
      pass('apis', 'The resources the sync reads answer: user and group search and direct group members (usermanagement 1).'),
    );
  } catch (error) {
    checks.add(
      fail(
        'apis',
        'api-missing',
        `A resource the sync needs did not answer: ${error instanceof Error ? error.message : String(error)}`,
        'Check that this is Crowd 3.0 or later and that no proxy blocks /rest/usermanagement/1.',
      ),
    );
  }

  const announced = announcedRateLimit(headers);
  checks.add(
    announced
      ? pass(
          'rate-limit',
          `A rate limit is announced: ${announced.fill} requests per ${announced.interval} s, bursts up to ${announced.limit}. The sync keeps to it.`,
          'rate-limited',
        )
      : pass(
          'rate-limit',
          'Crowd announces no rate limit (it has none of its own). If a proxy answers "too many requests", the sync waits as asked and slows to the rate it finds.',
          'no-rate-limit',
        ),
  );
  return checks.report(product, version);
}

/** What the opt-in write test does, in the words the admin reads before choosing it. */
export const writeTestOffer =
  'To have it confirmed, opt in to the write test (in the terminal: entra-sync targets test <name> --write-test): it creates one empty group named entra-sync-connection-test-<8 random hex digits> in the first writable directory of the application and deletes it at once; no user is touched.';

/** The opt-in write test: a probe group created and deleted at once (the only way Crowd says it allows writes). */
async function writeTest(client: CrowdClient, app: string, checks: CheckRun<CrowdCheckId, CrowdCheckCode>): Promise<void> {
  const probe = `entra-sync-connection-test-${randomBytes(4).toString('hex')}`;
  try {
    await client.request('POST', '/group', undefined, {
      name: probe,
      type: 'GROUP',
      description: 'Entra Sync Assistant connection test; deleted at once',
      active: true,
    });
  } catch (error) {
    const noDirectory = error instanceof CrowdHttpError && /no directory/i.test(error.text);
    checks.add(
      noDirectory
        ? fail(
            'admin',
            'no-writable-directory',
            'The application has no directory it may create users or groups in (the write test created nothing).',
            `Map a writable directory (the Crowd internal directory) to the application under Applications → ${app} → Directories.`,
          )
        : fail(
            'admin',
            'not-admin',
            `The application may read users and groups but not change them (${error instanceof CrowdHttpError ? error.status : 'error'}); the write test created nothing.`,
            `In Crowd, open Applications → ${app} → Permissions and allow adding, modifying and removing users and groups in its directories.`,
          ),
    );
    if (noDirectory)
      checks.add(
        fail(
          'directory',
          'no-writable-directory',
          'No writable directory: new users would have nowhere to go.',
          `Add a writable directory under Applications → ${app} → Directories.`,
        ),
      );
    return;
  }
  try {
    await client.request('DELETE', '/group', { groupname: probe });
    checks.add(
      pass(
        'admin',
        `The application may change users and groups: the write test created the empty group ${probe} and deleted it.`,
      ),
    );
  } catch {
    checks.add({
      id: 'admin',
      status: 'warning',
      code: 'not-admin',
      message: `The application may create groups, but the write test could not delete the empty group ${probe} it created.`,
      fix: `Allow "Remove group" and "Remove user" under Applications → ${app} → Permissions, and delete ${probe} in Crowd.`,
    });
  }
  checks.add(pass('directory', directoryRule(app), 'first-writable-directory'));
}
