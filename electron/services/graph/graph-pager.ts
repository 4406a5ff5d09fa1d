import { RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../shared/errors';
import { systemClock, type Clock } from '../ports';
import { describeFailure, type ConnectionFailure } from './graph-client';

/**
 * Paging with our own retry policy, shared by every request of one read: 429 honours Retry-After (and pauses every
 * request of the read, as the throttle applies per app and tenant), 5xx and connection resets back off
 * exponentially, anything else fails at once. The Graph client's own retry is switched off per request so the two
 * do not multiply. Time comes from the Clock port, so tests drive every wait on a controlled clock.
 *
 * A collection that does not end is stopped, not followed: a next-page link seen before in the same collection is a
 * loop, and a collection that keeps paging without delivering objects (see {@link PagerOptions.pageSlack}) is
 * another. Both fail the read with {@link GraphAnswerError}, so the run stops before planning and releases its lock.
 */

/** A page of a Graph collection, as Graph sends it (not yet checked). */
export interface GraphPage<T> {
  readonly value?: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

export interface PagerOptions {
  readonly client: Client;
  readonly signal?: AbortSignal;
  /** Time for backoffs and Retry-After waits (default: the system clock). */
  readonly clock?: Clock;
  /** Attempts per request before the read fails (default 8). */
  readonly maxAttempts?: number;
  /** First backoff without Retry-After, doubled per attempt up to 30 s (default 500 ms). */
  readonly backoffMs?: number;
  /** Jitter source in [0, 1) (default Math.random); tests pin it. */
  readonly random?: () => number;
  /**
   * Pages a collection may take beyond one per ten objects it delivered (default 1,000). Graph pages carry 100–999
   * objects (a page of a big group's members about as many member links), and delta rounds add the odd empty page;
   * a collection averaging fewer than one object per ten pages past the first thousand is not a directory being
   * read, whatever the tenant's size.
   */
  readonly pageSlack?: number;
}

/** Longest Retry-After we wait out: longer, the run stops (holding the sync lock for hours helps nobody). */
export const maxRetryAfterMs = 5 * 60_000;

/** A Graph read that failed for good: the run must stop rather than plan on part of the directory. */
export class GraphReadError extends AppError {
  readonly failure: ConnectionFailure;
  constructor(failure: ConnectionFailure, path: string, extra = '') {
    super('graph-read-failed', `Reading ${path} from Microsoft Graph failed: ${describe(failure)}${extra}`);
    this.name = 'GraphReadError';
    this.failure = failure;
  }
}

/** A delta link Graph no longer accepts (expired, or the sync state is gone): read everything again. */
export class DeltaExpiredError extends AppError {
  constructor(path: string, reason: string) {
    super('delta-expired', `The delta token for ${path} was rejected (${reason}); a full read is needed.`);
    this.name = 'DeltaExpiredError';
  }
}

/**
 * Graph answered, but with something no directory read can use: a paging loop, an endless collection, an item of
 * the wrong shape. Retrying at once does not help (the pager does not); the scheduler tries again minutes later, since a
 * truncated answer is often transient (run-outcome.ts). The message names what and where.
 */
export class GraphAnswerError extends AppError {
  constructor(message: string) {
    super('graph-answer-invalid', `${message} Nothing was changed.`);
    this.name = 'GraphAnswerError';
  }
}

function describe(failure: ConnectionFailure): string {
  switch (failure.kind) {
    case 'network':
      return failure.failure.message;
    case 'graph':
      return `${failure.status} ${failure.code}: ${failure.message}`;
    case 'token':
      return failure.aadsts ? `AADSTS${failure.aadsts}: ${failure.description}` : failure.description;
    case 'unknown':
      return failure.message;
  }
}

// Only what says "this token is no good": anything else on a delta link (403, 5xx, a network failure) is a failure
// of its own, and reading everything again would hide it behind a slower run that fails the same way.
const deltaExpiredCodes = new Set(['syncstatenotfound', 'resyncrequired']);

/** Whether a failure says "this delta token expired or was rejected": 410 Gone, `syncStateNotFound`, `resyncRequired`. */
export function isDeltaExpired(failure: ConnectionFailure): boolean {
  if (failure.kind !== 'graph') return false;
  if (failure.status === 410) return true;
  return failure.status >= 400 && failure.status < 500 && deltaExpiredCodes.has(failure.code.toLowerCase());
}

/** The path of a URL without its query (skiptokens are opaque; keep messages short). */
export function pathOf(url: string): string {
  const withoutQuery = url.split('?')[0] ?? url;
  return withoutQuery.replace(/^https?:\/\/[^/]+/, '');
}

/**
 * The wait a failed response asks for, in ms: `Retry-After` as delay-seconds or as an HTTP-date (RFC 9110 §10.2.3),
 * read from the raw response headers when the error carries them; undefined when there is none or it is unreadable.
 */
export function retryAfterMs(error: unknown, failure: ConnectionFailure, now: Date): number | undefined {
  const raw = rawHeader(error, 'retry-after')?.trim();
  if (raw) {
    if (/^\d+$/.test(raw)) return Number(raw) * 1000;
    const at = httpDateMs(raw);
    if (at !== undefined) return Math.max(0, at - now.getTime());
  }
  return failure.kind === 'graph' && failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : undefined;
}

// IMF-fixdate (RFC 9110 §5.6.7), the one HTTP-date form a sender may generate: `Sun, 06 Nov 1994 08:49:37 GMT`.
const imfFixdate =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An IMF-fixdate as epoch ms; undefined for anything else. Not `Date.parse`: it is lenient and reads "in 7" as a
 * date in 2001, which would turn an unreadable header into "no wait" instead of the default backoff.
 */
function httpDateMs(raw: string): number | undefined {
  const m = imfFixdate.exec(raw);
  if (!m) return undefined;
  const [, , day, , year, hh, mm, ss] = m.map(Number) as number[];
  const at = Date.UTC(year!, months.indexOf(m[3]!), day!, hh!, mm!, ss!);
  const back = new Date(at);
  // 31 Feb or 25:00 would roll over into another date: not a real date, not a wait.
  return back.getUTCDate() === day && back.getUTCHours() === hh && back.getUTCMinutes() === mm && back.getUTCSeconds() === ss
    ? at
    : undefined;
}

function rawHeader(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null };
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** What one page handler reports back: how many objects nested in the page's items it took (member links). */
export type PageHandler = (items: unknown[], page: number) => number | void | Promise<number | void>;

/** Sends GETs for one read. Counts requests and retries for the run's record. */
export class GraphPager {
  requests = 0;
  retries = 0;
  private pausedUntil = 0;
  private readonly noClientRetry = [new RetryHandlerOptions(0, 0)];
  private readonly clock: Clock;

  constructor(private readonly options: PagerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** GETs one page (absolute nextLink or a path relative to the Graph root). */
  async get<T>(url: string, isDelta = false): Promise<GraphPage<T>> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      await this.waitForPause();
      this.options.signal?.throwIfAborted();
      this.requests++;
      try {
        return (await this.options.client.api(url).middlewareOptions(this.noClientRetry).get()) as GraphPage<T>;
      } catch (error) {
        this.options.signal?.throwIfAborted();
        const failure = describeFailure(error);
        if (isDelta && isDeltaExpired(failure)) throw new DeltaExpiredError(pathOf(url), failureCode(failure));
        const delay = this.retryDelay(error, failure, attempt);
        if (delay === undefined || attempt >= maxAttempts) throw new GraphReadError(failure, pathOf(url));
        if (delay > maxRetryAfterMs) {
          const minutes = Math.ceil(delay / 60_000);
          throw new GraphReadError(
            failure,
            pathOf(url),
            `. Graph asked to wait ${minutes} minutes before trying again; the sync stopped instead. Run it again later.`,
          );
        }
        this.retries++;
        await sleep(this.clock, delay, this.options.signal);
      }
    }
  }

  /**
   * Follows `@odata.nextLink` from `url` to the end, handing each page's items to `onPage`; returns the delta link
   * if any. Items are passed as Graph sent them: the handler checks them (see graph-items.ts).
   */
  async follow(url: string, onPage: PageHandler, isDelta = false): Promise<string | undefined> {
    const slack = this.options.pageSlack ?? 1_000;
    const seen = new Set<string>([url]);
    let delivered = 0;
    let next = url;
    for (let pages = 1; ; pages++) {
      if (pages > slack + delivered / 10) {
        throw new GraphAnswerError(
          `Microsoft Graph kept paging ${pathOf(url)}: ${pages - 1} pages delivered only ${delivered} objects, so the read stopped.`,
        );
      }
      const page = await this.get<unknown>(next, isDelta);
      const items = pageItems(page, url, pages);
      delivered += items.length + ((await onPage(items, pages)) ?? 0);
      const deltaLink = page['@odata.deltaLink'];
      if (deltaLink !== undefined) return linkOf(deltaLink, url, pages, 'delta link');
      const nextLink = page['@odata.nextLink'];
      if (nextLink === undefined) return undefined;
      next = linkOf(nextLink, url, pages, 'next-page link');
      if (seen.has(next)) {
        throw new GraphAnswerError(
          `Microsoft Graph sent a next-page link for ${pathOf(url)} that it had already sent (after page ${pages}): following it would loop forever, so the read stopped.`,
        );
      }
      seen.add(next);
    }
  }

  private retryDelay(error: unknown, failure: ConnectionFailure, attempt: number): number | undefined {
    const random = this.options.random ?? Math.random;
    const backoff = Math.min((this.options.backoffMs ?? 500) * 2 ** (attempt - 1), 30_000) * (0.5 + random() / 2);
    if (failure.kind === 'network') {
      return ['reset', 'timeout', 'unknown'].includes(failure.failure.code) ? backoff : undefined;
    }
    if (failure.kind !== 'graph') return undefined;
    if (failure.status === 429) {
      const wait = retryAfterMs(error, failure, this.clock.now()) ?? backoff;
      this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + wait);
      return wait;
    }
    if ([500, 502, 503, 504].includes(failure.status)) return retryAfterMs(error, failure, this.clock.now()) ?? backoff;
    return undefined;
  }

  private async waitForPause(): Promise<void> {
    const wait = this.pausedUntil - this.clock.now().getTime();
    if (wait > 0) await sleep(this.clock, wait, this.options.signal);
  }
}

/** The page's `value`, which must be an array when present. */
function pageItems(page: unknown, url: string, n: number): unknown[] {
  if (page === null || typeof page !== 'object' || Array.isArray(page)) {
    throw new GraphAnswerError(`Microsoft Graph answered page ${n} of ${pathOf(url)} with something that is not a page.`);
  }
  const value = (page as { value?: unknown }).value;
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new GraphAnswerError(`Microsoft Graph answered page ${n} of ${pathOf(url)} with a "value" that is not a list.`);
  }
  return value as unknown[];
}

function linkOf(link: unknown, url: string, n: number, what: string): string {
  if (typeof link !== 'string' || link.length === 0 || link.length > 16_384) {
    throw new GraphAnswerError(`Microsoft Graph sent an unusable ${what} on page ${n} of ${pathOf(url)}.`);
  }
  return link;
}

function failureCode(failure: ConnectionFailure): string {
  return failure.kind === 'graph' ? `${failure.status} ${failure.code}` : failure.kind;
}

/** Waits `ms` of `clock` time, or rejects as soon as `signal` aborts. */
function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
