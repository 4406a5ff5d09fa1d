/**
 * Calls to Jira's `/rest/api/2` through the shared HTTP transport and the remote pacer, with the personal access
 * token as `Authorization: Bearer`. Non-2xx answers become {@link JiraHttpError}s carrying Jira's
 * `{errorMessages, errors}` body; network failures stay the transport's `NetworkFailureError`s.
 */
import type { HttpTransport } from '../../http/transport';
import type { RemotePacer } from '../remote/pacer';

export interface JiraClientOptions {
  /** What the admin typed, with the context path: `https://jira.example.com/jira`. */
  readonly baseUrl: string;
  /** The personal access token. Sent only in the Authorization header; never in a message. */
  readonly token: string;
  readonly transport: HttpTransport;
  readonly pacer: RemotePacer;
}

export interface JiraAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A non-2xx answer from Jira. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The resource path, e.g. `/user`, without the query (which may hold usernames, never the token). */
    readonly path: string,
    readonly errorMessages: readonly string[],
    readonly errors: Readonly<Record<string, string>>,
    readonly headers: Headers,
  ) {
    super(
      [...errorMessages, ...Object.values(errors)].join(' ').trim() ||
        `Jira answered ${status} to ${method} ${path} without an explanation.`,
    );
    this.name = 'JiraHttpError';
  }

  /** Every message Jira gave, field errors included. */
  get text(): string {
    return [...this.errorMessages, ...Object.values(this.errors)].join(' ');
  }
}

/** Reads Jira's error body, whatever its shape (some versions send `errors` as a list, proxies send HTML). */
function parseErrorBody(text: string): { errorMessages: string[]; errors: Record<string, string> } {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const errorMessages = Array.isArray(body.errorMessages) ? body.errorMessages.map(String) : [];
    if (typeof body.message === 'string') errorMessages.push(body.message);
    const errors: Record<string, string> = {};
    if (Array.isArray(body.errors)) body.errors.forEach((e, i) => (errors[String(i)] = String(e)));
    else if (body.errors && typeof body.errors === 'object') {
      for (const [k, v] of Object.entries(body.errors)) errors[k] = String(v);
    }
    return { errorMessages, errors };
  } catch {
    return { errorMessages: [], errors: {} };
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A client of one Jira instance. */
export class JiraClient {
  readonly apiBase: string;

  constructor(private readonly options: JiraClientOptions) {
    this.apiBase = `${options.baseUrl.replace(/\/+$/, '')}/rest/api/2`;
  }

  get pacer(): RemotePacer {
    return this.options.pacer;
  }

  /** One call; `body` is sent as JSON. Resolves with the parsed JSON (undefined for an empty body) on 2xx. */
  async request<T = unknown>(
    method: string,
    path: string,
    query: Query = {},
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<JiraAnswer<T>> {
    const url = new URL(`${this.apiBase}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      // An empty token asks anonymously (serverInfo answers anyone; a bad token would hide whether this is Jira).
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const response = await this.options.pacer.send(
      () =>
        this.options.transport.fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(signal ? { signal } : {}),
        }),
      signal,
    );
    const text = await response.text();
    if (!response.ok) {
      const { errorMessages, errors } = parseErrorBody(text);
      throw new JiraHttpError(response.status, method, path, errorMessages, errors, response.headers);
    }
    let parsed: unknown;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new JiraHttpError(
          response.status,
          method,
          path,
          ['Jira answered with a body that is not JSON.'],
          {},
          response.headers,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
