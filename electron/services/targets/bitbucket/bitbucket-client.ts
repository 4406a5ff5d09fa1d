/**
 * Calls to Bitbucket's `/rest/api/latest` through the shared HTTP transport and the remote pacer, with an
 * administrator's username and password as basic auth (atlassian-facts.md: HTTP access tokens cannot hold global
 * ADMIN). Bitbucket sends no rate-limit headers, so the pace also learns the allowed rate from its 429s (the rate
 * learner shared with Crowd). Non-2xx answers become {@link BitbucketHttpError}s carrying Bitbucket's `errors` list;
 * network failures stay the transport's `NetworkFailureError`s. Neither ever holds the query string: user creation
 * sends the password there.
 */
import type { HttpTransport } from '../../http/transport';
import type { RateLearner } from '../remote/rate-learner';
import type { RemotePacer } from '../remote/pacer';

export interface BitbucketClientOptions {
  /** What the admin typed, with any context path: `https://bitbucket.example.com`. */
  readonly baseUrl: string;
  /** The administrator's username; empty asks anonymously. */
  readonly username: string;
  /** The password. Sent only in the Authorization header; never in a message. */
  readonly password: string;
  readonly transport: HttpTransport;
  readonly pacer: RemotePacer;
  readonly learner: RateLearner;
}

export interface BitbucketAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface BitbucketErrorEntry {
  readonly context: string | null;
  readonly message: string;
  readonly exceptionName: string;
}

/** A non-2xx answer from Bitbucket. */
export class BitbucketHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The resource path, e.g. `/admin/users`, without the query (which may hold a password). */
    readonly path: string,
    readonly errors: readonly BitbucketErrorEntry[],
    readonly headers: Headers,
  ) {
    super(
      errors
        .map((e) => e.message)
        .join(' ')
        .trim() || `Bitbucket answered ${status} to ${method} ${path} without an explanation.`,
    );
    this.name = 'BitbucketHttpError';
  }

  get text(): string {
    return this.errors.map((e) => e.message).join(' ');
  }

  /** True when Bitbucket's exception names contain `part` (e.g. `AuthorisationException`). */
  hasException(part: RegExp): boolean {
    return this.errors.some((e) => part.test(e.exceptionName));
  }
}

function parseErrors(text: string): BitbucketErrorEntry[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown; message?: unknown };
    if (Array.isArray(body.errors)) {
      return body.errors.map((e: { context?: unknown; message?: unknown; exceptionName?: unknown }) => ({
        context: typeof e?.context === 'string' ? e.context : null,
        message: typeof e?.message === 'string' ? e.message : '',
        exceptionName: typeof e?.exceptionName === 'string' ? e.exceptionName : '',
      }));
    }
    if (typeof body.message === 'string') return [{ context: null, message: body.message, exceptionName: '' }];
  } catch {
    // A proxy's HTML, or nothing.
  }
  return [];
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A client of one Bitbucket instance. */
export class BitbucketClient {
  readonly apiBase: string;
  private readonly authorization: string | undefined;

  constructor(private readonly options: BitbucketClientOptions) {
    this.apiBase = `${options.baseUrl.replace(/\/+$/, '')}/rest/api/latest`;
    this.authorization = options.username
      ? `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`
      : undefined;
  }

  get pacer(): RemotePacer {
    return this.options.pacer;
  }

  get learner(): RateLearner {
    return this.options.learner;
  }

  /** One call; `body` is sent as JSON. Resolves with the parsed JSON (undefined for an empty body) on 2xx. */
  async request<T = unknown>(
    method: string,
    path: string,
    query: Query = {},
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<BitbucketAnswer<T>> {
    const url = new URL(`${this.apiBase}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      ...(this.authorization ? { authorization: this.authorization } : {}),
      accept: 'application/json',
      // Bitbucket's XSRF check wants it on requests without a JSON body (user creation by query parameters).
      'x-atlassian-token': 'no-check',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const { learner, transport } = this.options;
    const response = await this.options.pacer.send(async () => {
      const seq = await learner.gate(signal);
      const answer = await transport.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
      learner.observe(answer.status, seq);
      return answer;
    }, signal);
    const text = await response.text();
    if (!response.ok) throw new BitbucketHttpError(response.status, method, path, parseErrors(text), response.headers);
    let parsed: unknown;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new BitbucketHttpError(
          response.status,
          method,
          path,
          [{ context: null, message: 'Bitbucket answered with a body that is not JSON.', exceptionName: '' }],
          response.headers,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

/** A page of a Bitbucket list. */
export interface BitbucketPage<T> {
  readonly values?: readonly T[];
  readonly isLastPage?: boolean;
  readonly nextPageStart?: number;
}

/** Every page of a paged resource, following `nextPageStart` until `isLastPage`. */
export async function* pagesOf<T>(
  client: BitbucketClient,
  path: string,
  query: Query,
  limit: number,
  signal?: AbortSignal,
): AsyncIterable<readonly T[]> {
  for (let start = 0; ;) {
    const { body } = await client.request<BitbucketPage<T>>('GET', path, { ...query, start, limit }, undefined, signal);
    const values = body?.values ?? [];
    if (values.length > 0) yield values;
    if (body?.isLastPage !== false || body.nextPageStart === undefined || values.length === 0) return;
    start = body.nextPageStart;
  }
}
