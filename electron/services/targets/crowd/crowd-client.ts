/**
 * Calls to Crowd's `/rest/usermanagement/1` through the shared HTTP transport and the remote pacer, signed in as a
 * Crowd application: its name and password as basic auth. Non-2xx answers become {@link CrowdHttpError}s carrying
 * Crowd's `{reason, message}` body (or its plain-text answer); network failures stay the transport's
 * `NetworkFailureError`s. The pace also learns the rate from 429s (remote/rate-learner.ts): Crowd sends no
 * rate-limit headers.
 */
import type { HttpTransport } from '../../http/transport';
import type { RemotePacer } from '../remote/pacer';
import type { RateLearner } from '../remote/rate-learner';

export interface CrowdClientOptions {
  /** What the admin typed, with the context path: `https://crowd.example.com/crowd`. */
  readonly baseUrl: string;
  /** The Crowd application's name (basic-auth username). */
  readonly applicationName: string;
  /** The application's password. Sent only in the Authorization header; never in a message. */
  readonly password: string;
  readonly transport: HttpTransport;
  readonly pacer: RemotePacer;
  readonly learner: RateLearner;
}

export interface CrowdAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A non-2xx answer from Crowd. */
export class CrowdHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The resource path, e.g. `/user`, without the query (which holds names, never the password). */
    readonly path: string,
    /** Crowd's `reason` (`USER_NOT_FOUND`, …); empty when the body was not Crowd's JSON. */
    readonly reason: string,
    /** Crowd's `message`, or its plain-text answer, trimmed. */
    readonly text: string,
    readonly headers: Headers,
  ) {
    super(text || `Crowd answered ${status} to ${method} ${path} without an explanation.`);
    this.name = 'CrowdHttpError';
  }
}

function parseErrorBody(text: string): { reason: string; message: string } {
  try {
    const body = JSON.parse(text) as { reason?: unknown; message?: unknown };
    return {
      reason: typeof body.reason === 'string' ? body.reason : '',
      message: typeof body.message === 'string' ? body.message : '',
    };
  } catch {
    // Crowd answers some refusals (401) in plain text; HTML pages (404 of a wrong path, proxies) say nothing useful.
    const plain = /<[a-z]/i.test(text) ? '' : text.trim().slice(0, 300);
    return { reason: '', message: plain };
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A client of one Crowd application. */
export class CrowdClient {
  readonly apiBase: string;
  private readonly authorization: string;

  constructor(private readonly options: CrowdClientOptions) {
    this.apiBase = `${options.baseUrl.replace(/\/+$/, '')}/rest/usermanagement/1`;
    this.authorization = options.applicationName
      ? `Basic ${Buffer.from(`${options.applicationName}:${options.password}`).toString('base64')}`
      : '';
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
  ): Promise<CrowdAnswer<T>> {
    const url = new URL(`${this.apiBase}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      // No application name asks anonymously: Crowd's 401 still says it is Crowd.
      ...(this.authorization ? { authorization: this.authorization } : {}),
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const { learner, transport } = this.options;
    const response = await this.options.pacer.send(async () => {
      const seq = await learner.gate(signal);
      let status = 0;
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
      const { reason, message } = parseErrorBody(text);
      throw new CrowdHttpError(response.status, method, path, reason, message, response.headers);
    }
    let parsed: unknown;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CrowdHttpError(
          response.status,
          method,
          path,
          '',
          'Crowd answered with a body that is not JSON.',
          response.headers,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
