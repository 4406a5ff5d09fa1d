/**
 * What every product's "Test connection" shares (jira-, confluence-, bitbucket-, crowd- and scim-connection-test.ts):
 * the verdicts collected in a {@link CheckRun} (each timed on the test's clock), every check the test did not reach
 * reported as skipped after the failure that stopped it, all in the product's order, `ok` when none failed; the
 * verdicts every product gives alike (the address, the transport's TLS and network failures, http:// versus
 * https://, an announced rate limit); the pacer a test runs on; and the checks as the contract carries them (title,
 * link on a failure or warning, the product's raw HTTP status moved from the sentence into the details). What a
 * product checks and how it words it stays in its own files.
 */
import type { TargetCheck, TargetTestReport } from '../../../../shared/contract/targets';
import { NetworkFailureError, type NetworkFailure } from '../../http/network-error';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import { RemotePacer } from './pacer';

export type CheckStatus = 'pass' | 'warning' | 'fail' | 'skipped';

/** The codes of the verdicts every product gives alike; a product adds its own. */
export type SharedCheckCode =
  'ok' | 'skipped-after-failure' | 'url-invalid' | NetworkCode | 'plain-http' | 'rate-limited' | 'no-rate-limit';

/** What every product's test is given besides its credentials and options. */
export interface ConnectionTestInput {
  readonly baseUrl: string;
  /** Trusts the target's CA when it has one; the caller closes it. */
  readonly transport: HttpTransport;
  readonly clock: Clock;
}

/** One verdict of a product's connection test. Never holds the secret. */
export interface ProductCheck<Id extends string = string, Code extends string = string> {
  readonly id: Id;
  readonly status: CheckStatus;
  /** Stable, for tests and the terminal's JSON. */
  readonly code: Code | 'ok' | 'skipped-after-failure';
  readonly message: string;
  /** What to do, in plain words; empty when nothing is needed. */
  readonly fix: string;
  /** The product's raw answer (status, exception), shown apart from the sentence. */
  readonly details?: readonly string[];
  /** Milliseconds of the test's clock from the previous verdict (or the start) to this one; 0 when skipped. */
  readonly ms?: number;
}

export const pass = <Id extends string, Code extends string = never>(
  id: Id,
  message: string,
  code: Code | 'ok' = 'ok',
): ProductCheck<Id, Code> => ({ id, status: 'pass', code, message, fix: '' });

export const fail = <Id extends string, Code extends string>(
  id: Id,
  code: Code,
  message: string,
  fix: string,
  details?: readonly string[],
): ProductCheck<Id, Code> => ({ id, status: 'fail', code, message, fix, ...(details ? { details } : {}) });

export const skippedMessage = 'Not checked: an earlier check failed.';

/** A product's test as it ends: `ok` when no check failed; what the product said it is, when it said. */
export interface ProductReport<Id extends string, Code extends string = string> {
  readonly ok: boolean;
  readonly product: string | null;
  readonly version: string | null;
  readonly checks: readonly ProductCheck<Id, Code>[];
}

/**
 * The verdicts of one test run, in the order they are reached. A test adds what it found and returns
 * {@link CheckRun.report} as soon as a failure makes the rest meaningless; whatever it did not reach is skipped.
 */
export class CheckRun<Id extends string, Code extends string = string> {
  private readonly checks: ProductCheck<Id, Code>[] = [];
  private last: number;

  constructor(
    private readonly order: readonly Id[],
    private readonly clock: Clock,
  ) {
    this.last = clock.now().getTime();
  }

  /** Records verdicts; each carries the time since the previous one. */
  add(...checks: readonly ProductCheck<Id, Code>[]): void {
    for (const check of checks) {
      const now = this.clock.now().getTime();
      this.checks.push({ ...check, ms: Math.max(0, now - this.last) });
      this.last = now;
    }
  }

  /** The address to test, or null with the reachable check failed (`fix` says what to type). */
  address(this: CheckRun<Id | 'reachable', Code | 'url-invalid'>, baseUrl: string, fix: string): URL | null {
    const url = parseTargetUrl(baseUrl, fix);
    if (url instanceof URL) return url;
    this.add(url);
    return null;
  }

  /** True, with the reachable and TLS verdicts added, when `error` is a transport failure ({@link networkFailureChecks}). */
  networkFailure(
    this: CheckRun<Id | 'reachable' | 'tls', Code | NetworkCode>,
    error: unknown,
    url: URL,
    words: CheckWords,
  ): boolean {
    const checks = networkFailureChecks(error, url, words);
    if (checks) this.add(...checks);
    return checks !== null;
  }

  /** Every check of the order not reached as skipped, all sorted by the order; `ok` when none failed. */
  report(product: string | null = null, version: string | null = null): ProductReport<Id, Code> {
    const reached = new Set(this.checks.map((c) => c.id));
    const skipped = this.order
      .filter((id) => !reached.has(id))
      .map((id): ProductCheck<Id, Code> => ({
        id,
        status: 'skipped',
        code: 'skipped-after-failure',
        message: skippedMessage,
        fix: '',
        ms: 0,
      }));
    const rank = (id: Id) => this.order.indexOf(id);
    const checks = [...this.checks, ...skipped].sort((a, b) => rank(a.id) - rank(b.id));
    return { ok: checks.every((c) => c.status !== 'fail'), product, version, checks };
  }
}

/** One call at a time, no retries beyond the pacer's: a test should answer quickly and say what it saw. */
export const testPacer = (clock: Clock) => new RemotePacer({ clock, maxConcurrency: 1, maxRetries: 1, breakerThreshold: 1_000 });

/** The address as typed, or the verdict that it is none (`fix` says what to type). */
export function parseTargetUrl(baseUrl: string, fix: string): URL | ProductCheck<'reachable', 'url-invalid'> {
  try {
    const url = new URL(baseUrl);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // Not a URL at all: the same verdict.
  }
  return fail('reachable', 'url-invalid', `"${baseUrl}" is not a web address.`, fix);
}

/** How a product is named in the fixes: `Jira`, `the service`. */
export interface CheckWords {
  readonly product: string;
  /** The fix for a certificate this computer does not trust; by default the product's CA, or its admin. */
  readonly caFix?: string;
}

export type NetworkCode = 'tls-untrusted' | 'tls-failed' | 'unreachable';

/** Verification failures that mean the certificate's issuer is not trusted (not a wrong port or protocol). */
const UNSIGNED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);
/** What a server that is no TLS server (plain HTTP on that port, another protocol) makes the handshake fail with. */
const NOT_TLS = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);

/** The TLS verdict of a certificate this computer refused, in words saying which refusal it is; null for others. */
function certificateVerdict(failure: NetworkFailure, url: URL, words: CheckWords): ProductCheck<'tls', NetworkCode> | null {
  const causeCode = failure.causeCode ?? '';
  const whose = `${words.product === 'the service' ? "the service's" : `${words.product}'s`} certificate`;
  const admin = words.product === 'the service' ? 'the service’s admin' : `your ${words.product} admin`;
  if (failure.code === 'tls-untrusted' || UNSIGNED.has(causeCode))
    return fail(
      'tls',
      'tls-untrusted',
      `${url.host}'s certificate is not signed by the CA certificate pasted for this target (or any the system trusts).`,
      words.caFix ??
        `Paste the certificate of the CA that issued ${whose} (PEM; a bundle of root and intermediate works in any order), or ask ${admin} for it.`,
    );
  if (causeCode === 'CERT_HAS_EXPIRED' || causeCode === 'CERT_NOT_YET_VALID')
    return fail(
      'tls',
      'tls-untrusted',
      `${url.host}'s certificate ${causeCode === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}.`,
      `Ask ${admin} to renew ${whose}; if it should be valid, check this computer's date and time.`,
    );
  if (causeCode === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return fail(
      'tls',
      'tls-untrusted',
      `${url.host}'s certificate is not made out for ${url.hostname}.`,
      `Type the address with the host name the certificate names, or ask ${admin} for a certificate that names ${url.hostname}.`,
    );
  return null;
}

/**
 * The verdicts of a transport failure before the product answered (an untrusted or failed TLS handshake: the host
 * answers; anything else: it does not), or null when `error` is not one. A certificate refused says why (issuer,
 * validity, name); only a handshake that is no TLS at all points at the port.
 */
export function networkFailureChecks(
  error: unknown,
  url: URL,
  words: CheckWords,
): ProductCheck<'reachable' | 'tls', NetworkCode>[] | null {
  if (!(error instanceof NetworkFailureError)) return null;
  const f = error.failure;
  const answers = pass('reachable', `${url.host} answers.`);
  const refused = f.code === 'tls-untrusted' || f.code === 'tls-other' ? certificateVerdict(f, url, words) : null;
  if (refused) return [answers, refused];
  if (f.code === 'tls-other' || NOT_TLS.has(f.causeCode ?? ''))
    return [
      answers,
      fail(
        'tls',
        'tls-failed',
        NOT_TLS.has(f.causeCode ?? '')
          ? `${url.host} does not answer in TLS (HTTPS) on port ${url.port || '443'}: it serves plain HTTP or something else there.`
          : f.message,
        `Check that the address uses the port ${words.product} serves HTTPS on.`,
      ),
    ];
  return [
    fail(
      'reachable',
      'unreachable',
      f.message,
      `Check the address, the network and any proxy between this computer and ${words.product}.`,
    ),
  ];
}

/** The TLS verdict once the product answered: trusted https, or a warning that `secret` travels unencrypted. */
export function tlsCheck(url: URL, product: string, secret: string): ProductCheck<'tls', 'plain-http'> {
  return url.protocol === 'https:'
    ? pass('tls', 'The connection is encrypted and the certificate is trusted.')
    : {
        id: 'tls',
        status: 'warning',
        code: 'plain-http',
        message: `The address uses http://: the ${secret} travels unencrypted.`,
        fix: `Use the https:// address of ${product}.`,
      };
}

/** The rate limit announced in X-RateLimit-* headers, or null. */
export function announcedRateLimit(headers: Headers): { limit: string; fill: string; interval: string } | null {
  const limit = headers.get('x-ratelimit-limit');
  const fill = headers.get('x-ratelimit-fillrate');
  if (!limit || !fill) return null;
  return { limit, fill, interval: headers.get('x-ratelimit-interval-seconds') ?? '1' };
}

/** The rate-limit verdict of a product that announces its limit per user (Jira, Confluence). */
export function rateLimitCheck(headers: Headers, product: string): ProductCheck<'rate-limit', 'rate-limited' | 'no-rate-limit'> {
  const announced = announcedRateLimit(headers);
  return announced
    ? pass(
        'rate-limit',
        `Rate limiting is in force: ${announced.fill} requests per ${announced.interval} s, bursts up to ${announced.limit}. The sync keeps to it.`,
        'rate-limited',
      )
    : pass('rate-limit', `${product} reports no rate limit for this user.`, 'no-rate-limit');
}

export type CheckLink = TargetCheck['link'];

export interface CheckPresentation<Id extends string> {
  readonly titles: Readonly<Record<Id, string>>;
  /** The page about a check, shown on a failure or warning. */
  readonly link: (check: ProductCheck<Id>) => CheckLink | undefined;
  /**
   * Who answered, for a raw status moved out of the sentence: `(401)` or `(401, AUTHENTICATED_FAILED)` becomes
   * "`answeredBy` answered with HTTP status 401." in the details. Absent: the sentence is kept as it is.
   */
  readonly answeredBy?: string;
}

/** `(401, AUTHENTICATED_FAILED)` or `(401)` inside a sentence: the raw answer, out of the verdict. */
const statusInParens = /\s*\((\d{3})(?:,\s*([A-Z_]+))?\)/;

/** A product's check as the contract carries it. */
export function presentCheck<Id extends string>(check: ProductCheck<Id>, how: CheckPresentation<Id>): TargetCheck {
  let message = check.message;
  const details = [...(check.details ?? [])];
  const m = how.answeredBy === undefined ? null : statusInParens.exec(message);
  if (m) {
    message = message.replace(statusInParens, '');
    details.push(`${how.answeredBy} answered with HTTP status ${m[1]}.`);
  }
  return {
    id: check.id,
    title: how.titles[check.id],
    status: check.status,
    code: check.code,
    message,
    fix: check.fix,
    link: check.status === 'fail' || check.status === 'warning' ? (how.link(check) ?? null) : null,
    ms: check.ms ?? 0,
    details,
  };
}

/** A product's report as the contract carries it, without `at` (the target admin stamps it). */
export function presentReport<Id extends string>(
  report: ProductReport<Id>,
  how: CheckPresentation<Id>,
): Omit<TargetTestReport, 'at'> {
  return {
    ok: report.ok,
    product: report.product,
    version: report.version,
    checks: report.checks.map((c) => presentCheck(c, how)),
  };
}
