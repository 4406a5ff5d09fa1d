/**
 * The one HTTP transport of the core: undici's fetch over an Agent (or proxy agent) that trusts the system roots plus
 * any extra CA (the demo tenant's, a TLS-inspecting proxy's), with a timeout and failures classified into
 * {@link NetworkFailure}s. msal-node and the Graph client both go through it.
 */
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { classifyNetworkError, NetworkFailureError, type NetworkFailure } from './network-error';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Extra trusted CA certificates (PEM), added to Node's default roots. */
  readonly extraCaPem?: string | readonly string[];
  /** Whole-request timeout in milliseconds (connect, headers and body). Default 30,000. */
  readonly timeoutMs?: number;
  /** Proxy for every request (`http://host:port`). When absent, read from `env` (HTTPS_PROXY, HTTP_PROXY). */
  readonly proxyUrl?: string;
  /** Comma-separated hosts that bypass the proxy. When absent, read from `env` (NO_PROXY). */
  readonly noProxy?: string;
  /** Where proxy settings are read from when not given; pass `process.env` from the host. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** User-Agent header added to requests that do not set one. */
  readonly userAgent?: string;
  /**
   * The admin's proxy choice (Settings → Network). When given it wins over `proxyUrl`, `noProxy` and `env`:
   * `none` never uses a proxy, even when HTTPS_PROXY is set; `system` reads `env`; `manual` uses its own address
   * and bypass list.
   */
  readonly proxy?: ProxyChoice;
}

/** How requests reach the network: directly, through the environment's proxy, or through a given one. */
export type ProxyChoice =
  | { readonly mode: 'none' }
  | { readonly mode: 'system' }
  | { readonly mode: 'manual'; readonly url: string; readonly bypass?: readonly string[] };

/** The proxy URL and NO_PROXY list a choice comes to; `undefined` fields are read from `env`. */
function proxyFrom(options: HttpTransportOptions): { url: string | undefined; noProxy: string | undefined } {
  const choice = options.proxy;
  if (choice?.mode === 'none') return { url: '', noProxy: '' };
  if (choice?.mode === 'manual') return { url: choice.url, noProxy: (choice.bypass ?? []).join(',') };
  if (choice?.mode === 'system') return { url: undefined, noProxy: undefined };
  return { url: options.proxyUrl, noProxy: options.noProxy };
}

/** The `fetch` signature our transport exposes (undici's, which accepts the global Request/Headers too). */
export type TransportFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A configured transport: a fetch function, the same as an msal-node network client, and a close. */
export interface HttpTransport {
  readonly fetch: TransportFetch;
  readonly msalNetworkClient: INetworkModule;
  /** The proxy in use for requests not excluded by NO_PROXY, if any (for diagnostics; no credentials). */
  readonly proxyUrl: string | undefined;
  /** The proxy a request to `url` goes through (scheme, host and port), or undefined when it goes directly. */
  proxyFor(url: string): string | undefined;
  close(): Promise<void>;
}

/** An msal-node error that keeps the classified network failure (msal-node would otherwise hide it). */
export class MsalNetworkError extends AuthError {
  readonly failure: NetworkFailure;
  constructor(failure: NetworkFailure, cause: unknown) {
    super('network_error', failure.message);
    // AuthError resets the prototype to its own in its constructor; restore ours so instanceof works.
    Object.setPrototypeOf(this, MsalNetworkError.prototype);
    this.name = 'MsalNetworkError';
    this.failure = failure;
    (this as { cause?: unknown }).cause = cause;
  }
}

function pick(env: HttpTransportOptions['env'], ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env?.[name];
    if (value) return value;
  }
  return undefined;
}

/** Reduces a proxy URL to scheme://host:port so credentials never reach a message. */
function redactProxy(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured proxy';
  }
}

/** TLS options trusting `ca`: one secure context for every connection, or `ca` itself if that cannot be built. */
function sharedTlsContext(ca: string[]): { secureContext: ReturnType<typeof createSecureContext> } | { ca: string[] } {
  try {
    return { secureContext: createSecureContext({ ca }) };
  } catch {
    // Then each connection fails as it did before, with its own classified error.
    return { ca };
  }
}

/** Creates the transport. Call `close()` when done so no sockets are left open. */
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const extra = options.extraCaPem === undefined ? [] : ([] as string[]).concat(options.extraCaPem);
  // Setting `ca` replaces Node's roots, so the defaults are added back explicitly. The context is built once: from
  // a bare `ca`, every new connection would parse the ~140 roots again, 40 ms of the main thread each time.
  const ca = extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
  const tls = ca ? sharedTlsContext(ca) : {};
  const chosen = proxyFrom(options);
  const httpsProxy =
    chosen.url === '' ? undefined : (chosen.url ?? pick(options.env, 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'));
  const httpProxy = chosen.url === '' ? undefined : (chosen.url ?? pick(options.env, 'HTTP_PROXY', 'http_proxy'));
  const noProxy = chosen.noProxy ?? pick(options.env, 'NO_PROXY', 'no_proxy') ?? '';

  const dispatcher: Dispatcher =
    httpsProxy || httpProxy
      ? new EnvHttpProxyAgent({
          // Empty strings (not undefined) so undici does not fall back to process.env behind our back.
          httpProxy: httpProxy ?? '',
          httpsProxy: httpsProxy ?? '',
          noProxy,
          connect: tls,
          requestTls: tls,
          proxyTls: tls,
        } as ConstructorParameters<typeof EnvHttpProxyAgent>[0])
      : new Agent({ connect: tls });
  const proxyForMessages = redactProxy(httpsProxy ?? httpProxy);

  const transportFetch: TransportFetch = async (input, init = {}) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    const timer = new AbortController();
    const timeout = setTimeout(() => {
      timer.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    // A response whose body is never read must not keep the process alive until the timeout.
    timeout.unref();
    const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    const headers = new Headers(init.headers ?? (typeof input === 'object' && 'headers' in input ? input.headers : {}));
    if (options.userAgent && !headers.has('user-agent')) headers.set('user-agent', options.userAgent);
    try {
      const response = await undiciFetch(url, {
        method: init.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET'),
        headers: headers as never,
        body: (init.body ?? (typeof input === 'object' && 'body' in input ? input.body : undefined)) as never,
        redirect: init.redirect,
        signal,
        dispatcher,
        ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as Parameters<typeof undiciFetch>[1]);
      // Body reading stays under the timeout: the timer is cleared once the caller has the whole body.
      return wrapBody(response as unknown as Response, () => clearTimeout(timeout));
    } catch (error) {
      clearTimeout(timeout);
      if (init.signal?.aborted && !timer.signal.aborted) throw error;
      const viaProxy = proxyForMessages && !bypassesProxy(url, noProxy) ? proxyForMessages : undefined;
      const failure = classifyNetworkError(error, { url, ...(viaProxy ? { proxyUrl: viaProxy } : {}) });
      throw new NetworkFailureError(failure, error);
    }
  };

  const msalNetworkClient: INetworkModule = {
    sendGetRequestAsync: <T>(url: string, opts?: NetworkRequestOptions, timeout?: number) =>
      msalSend<T>(transportFetch, url, 'GET', opts, timeout),
    sendPostRequestAsync: <T>(url: string, opts?: NetworkRequestOptions) => msalSend<T>(transportFetch, url, 'POST', opts),
  };

  return {
    fetch: transportFetch,
    msalNetworkClient,
    proxyUrl: proxyForMessages,
    proxyFor: (url) => (proxyForMessages && !bypassesProxy(url, noProxy) ? proxyForMessages : undefined),
    close: async () => {
      await dispatcher.close();
    },
  };
}

/** Clears the timeout once the body has been consumed (or the response discarded with no body). */
function wrapBody(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  for (const method of ['json', 'text', 'arrayBuffer', 'blob', 'formData'] as const) {
    const original = response[method].bind(response) as () => Promise<unknown>;
    (response as unknown as Record<string, unknown>)[method] = () => original().finally(done);
  }
  return response;
}

/** True when `url`'s host matches a NO_PROXY entry (same rules as undici: suffix match, `*` for all). */
function bypassesProxy(url: string, noProxy: string): boolean {
  const host = (() => {
    try {
      return new URL(url).hostname.toLowerCase();
    } catch {
      return '';
    }
  })();
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      const e = entry
        .toLowerCase()
        .replace(/:\d+$/, '')
        .replace(/^\*?\./, '');
      return e === '*' || host === e || host.endsWith(`.${e}`);
    });
}

async function msalSend<T>(
  fetchFn: TransportFetch,
  url: string,
  method: 'GET' | 'POST',
  opts: NetworkRequestOptions | undefined,
  timeout?: number,
): Promise<NetworkResponse<T>> {
  const signal = timeout ? AbortSignal.timeout(timeout) : undefined;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method,
      headers: opts?.headers ?? {},
      ...(method === 'POST' ? { body: opts?.body ?? '' } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    // Thrown as an AuthError so msal-node passes it through instead of replacing it with a bare network_error.
    throw new MsalNetworkError(classifyNetworkError(error, { url }), error);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const text = await response.text();
  let body: T;
  try {
    body = (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new AuthError(
      'token_parsing_error',
      `The server at ${new URL(url).host} answered ${response.status} with a body that is not JSON.`,
    );
  }
  return { headers, body, status: response.status };
}
