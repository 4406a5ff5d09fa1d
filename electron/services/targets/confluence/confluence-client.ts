/**
 * Calls to Confluence's `/rest/api` through the shared HTTP transport and the remote pacer, with the personal access
 * token as `Authorization: Bearer`. Non-2xx answers become {@link ConfluenceHttpError}s carrying Confluence's
 * `{statusCode, data, message}` body; network failures stay the transport's `NetworkFailureError`s.
 */
import type { HttpTransport } from '../../http/transport';
import type { RemotePacer } from '../remote/pacer';

export interface ConfluenceClientOptions {
  /** With the context path: `https://confluence.example.com/confluence`. */
  readonly baseUrl: string;
  /** The personal access token. Sent only in the Authorization header; never in a message. */
  readonly token: string;
  readonly transport: HttpTransport;
  readonly pacer: RemotePacer;
}

export interface ConfluenceAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A non-2xx answer from Confluence. */
export class ConfluenceHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The resource path without the query. */
    readonly path: string,
    /** Confluence's message (and any validation errors), possibly empty. */
    readonly text: string,
    readonly headers: Headers,
  ) {
    super(text || `Confluence answered ${status} to ${method} ${path} without an explanation.`);
    this.name = 'ConfluenceHttpError';
  }
}

function parseErrorBody(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; data?: { errors?: unknown } };
    const parts = typeof body.message === 'string' ? [body.message] : [];
    if (Array.isArray(body.data?.errors)) {
      for (const e of body.data.errors as { message?: { translation?: string } | string }[]) {
        const m = typeof e.message === 'string' ? e.message : e.message?.translation;
        if (m) parts.push(m);
      }
    }
    return parts.join(' ').trim();
  } catch {
    return '';
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A name as one path segment. */
export const segment = (name: string) => encodeURIComponent(name);

/** A client of one Confluence instance. */
export class ConfluenceClient {
  readonly baseUrl: string;

  constructor(private readonly options: ConfluenceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get pacer(): RemotePacer {
    return this.options.pacer;
  }

  /** One call to `/rest/api{path}` (or, with `raw`, to `{baseUrl}{path}`); resolves on 2xx with the parsed JSON. */
  async request<T = unknown>(
    method: string,
    path: string,
    query: Query = {},
    body?: unknown,
    signal?: AbortSignal,
    raw = false,
  ): Promise<ConfluenceAnswer<T>> {
    const url = new URL(`${this.baseUrl}${raw ? '' : '/rest/api'}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
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
    if (!response.ok) throw new ConfluenceHttpError(response.status, method, path, parseErrorBody(text), response.headers);
    let parsed: unknown;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ConfluenceHttpError(
          response.status,
          method,
          path,
          'Confluence answered with a body that is not JSON.',
          response.headers,
        );
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
