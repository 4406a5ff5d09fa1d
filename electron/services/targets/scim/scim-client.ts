/**
 * Calls to a SCIM 2.0 service (RFC 7644) through the shared HTTP transport and the remote pacer, with the bearer
 * token as `Authorization: Bearer`. Non-2xx answers become {@link ScimHttpError}s carrying the SCIM error message
 * (`status` — a number, or a string as Atlassian Cloud sends it —, `scimType`, `detail`); network failures stay the
 * transport's `NetworkFailureError`s. SCIM services rarely send rate-limit headers, so the pace also learns the
 * allowed rate from 429s (the same learner as Crowd's).
 */
import type { HttpTransport } from '../../http/transport';
import { RateLearner } from '../remote/rate-learner';
import type { RemotePacer } from '../remote/pacer';
import type { Clock } from '../../ports';

export interface ScimClientOptions {
  /** The service's base URL, e.g. `https://api.atlassian.com/scim/directory/{directoryId}`. */
  readonly baseUrl: string;
  /** The bearer token. Sent only in the Authorization header; never in a message. */
  readonly token: string;
  readonly transport: HttpTransport;
  readonly pacer: RemotePacer;
  readonly clock: Clock;
  /** Learns the allowed rate from 429s; one is made when absent. */
  readonly learner?: RateLearner;
}

export interface ScimAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A non-2xx answer from the SCIM service. */
export class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The resource path, e.g. `/Users/abc`, without the query (which may hold a filter with a username). */
    readonly path: string,
    /** RFC 7644 §3.12: `uniqueness`, `invalidFilter`, `tooMany`, `mutability`, … or ''. */
    readonly scimType: string,
    readonly detail: string,
    readonly headers: Headers,
  ) {
    super(detail || `The SCIM service answered ${status} to ${method} ${path} without an explanation.`);
    this.name = 'ScimHttpError';
  }
}

/** Reads a SCIM error body, whatever its shape (`status` as a string, proxies sending HTML). */
export function parseScimError(text: string): { scimType: string; detail: string } {
  try {
    const body = JSON.parse(text) as { scimType?: unknown; detail?: unknown; message?: unknown };
    return {
      scimType: typeof body.scimType === 'string' ? body.scimType : '',
      detail: typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : '',
    };
  } catch {
    return { scimType: '', detail: '' };
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A client of one SCIM service. */
export class ScimClient {
  readonly apiBase: string;
  readonly learner: RateLearner;
  /** Requests sent, retries included (the bench's requests per object). */
  requests = 0;

  constructor(private readonly options: ScimClientOptions) {
    this.apiBase = options.baseUrl.replace(/\/+$/, '');
    this.learner = options.learner ?? new RateLearner(options.clock);
  }

  get pacer(): RemotePacer {
    return this.options.pacer;
  }

  /** One call; `body` is sent as SCIM JSON. Resolves with the parsed JSON (undefined for an empty body) on 2xx. */
  async request<T = unknown>(
    method: string,
    path: string,
    query: Query = {},
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<ScimAnswer<T>> {
    const url = new URL(`${this.apiBase}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      accept: 'application/scim+json, application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    };
    const { transport } = this.options;
    const learner = this.learner;
    const response = await this.options.pacer.send(async () => {
      const seq = await learner.gate(signal);
      let status = 0;
      this.requests++;
      try {
        const answer = await transport.fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(signal ? { signal } : {}),
        });
        status = answer.status;
        return answer;
      } finally {
        learner.observe(status, seq);
      }
    }, signal);
    const text = await response.text();
    if (!response.ok) {
      const { scimType, detail } = parseScimError(text);
      throw new ScimHttpError(response.status, method, path, scimType, detail, response.headers);
    }
    let parsed: unknown;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ScimHttpError(
          response.status,
          method,
          path,
          '',
          'The SCIM service answered with a body that is not JSON.',
          response.headers,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
