/**
 * One authenticated connection to Microsoft Graph for an app signing in as itself (client credentials).
 *
 * ```ts
 * const transport = createHttpTransport({ extraCaPem, timeoutMs: 15_000, env });
 * const graph = createGraphConnection({ cloud, tenantId, clientId, clientSecret, transport });
 * const page = await graph.client.api('/users').select('id,displayName').top(999).get();
 * const { roles } = await graph.getToken({ forceRefresh: true }); // fresh token, e.g. after admin consent
 * graph.close(); await transport.close();           // the transport belongs to its creator
 * ```
 *
 * - msal-node gets the token through `transport.msalNetworkClient`, with static authority metadata for every
 *   cloud, so the token POST is the only call msal makes (no instance discovery).
 * - The Graph client sends through `transport.fetch` with Graph's own retry (honours 429 Retry-After up to
 *   `retry.maxDelaySeconds`), and gets its bearer token from the same msal cache.
 * - Every Graph request passes {@link GraphOriginGuard} (http/graph-middleware.ts): only the configured Graph origin
 *   (scheme, host and port, https only) is ever contacted, always with the token; a link or redirect anywhere else
 *   fails with the network failure code `foreign-origin`, an http Graph root with `insecure-url`.
 * - Failures keep their cause: {@link describeFailure} turns anything thrown (msal, Graph, network) into a
 *   {@link ConnectionFailure} with the AADSTS number, Graph error code, HTTP status or classified network failure.
 */
import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  type AuthenticationResult,
  type NetworkResponse,
} from '@azure/msal-node';
import {
  Client,
  GraphError,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { graphScope, type Cloud } from '../../../shared/clouds';
import { staticAuthorityConfig } from '../http/authority-metadata';
import {
  CarriedFailureError,
  chainMiddleware,
  failingRequest,
  GraphOriginGuard,
  GuardedRedirectHandler,
  refusedGraphLink,
  TransportHandler,
} from '../http/graph-middleware';
import { classifyNetworkError, NetworkFailureError, type NetworkFailure } from '../http/network-error';
import type { HttpTransport } from '../http/transport';
import { silentLogger, type Logger } from '../ports';

/** What {@link createGraphConnection} needs. The secret stays inside msal; nothing here logs it. */
export interface GraphConnectionOptions {
  readonly cloud: Cloud;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly transport: HttpTransport;
  /** Graph's retry of 429/503/504. Default 3 retries, waiting at most 30 s per Retry-After. */
  readonly retry?: { readonly maxRetries?: number; readonly maxDelaySeconds?: number };
  /**
   * Sends each token POST; may send it again on a transient answer. msal itself must not see a 429 or 5xx it
   * could recover from: it then refuses further token requests for a minute or more (its throttling cache).
   */
  readonly sendTokenRequest?: TokenSender;
  readonly logger?: Logger;
}

/** Sends one token POST (`send`), possibly more than once; resolves with the answer msal should see. */
export type TokenSender = <T>(send: () => Promise<NetworkResponse<T>>) => Promise<NetworkResponse<T>>;

/** An access token for Graph and what it says about the app's permissions. */
export interface GraphToken {
  readonly accessToken: string;
  readonly expiresOn: Date | null;
  /** Application permissions in the token (`roles` claim), decoded for diagnosis only; [] when none. */
  readonly roles: string[];
}

/** A live connection. `client` is a plain @microsoft/microsoft-graph-client `Client`. */
export interface GraphConnection {
  readonly client: Client;
  readonly cloud: Cloud;
  /** Gets a token from the cache or Entra; `forceRefresh` skips the cache (msal `skipCache`). */
  getToken(options?: { readonly forceRefresh?: boolean }): Promise<GraphToken>;
  /** HTTP requests sent so far (token POSTs + Graph requests, retries included). */
  requestCount(): number;
  /** Forgets cached tokens; later calls fail. Does not close the transport. */
  close(): void;
}

/** A failure of the connection, with its cause kept (see {@link describeFailure}). */
export type ConnectionFailure =
  | { readonly kind: 'network'; readonly failure: NetworkFailure }
  | {
      readonly kind: 'token';
      /** OAuth error (`invalid_client`, …) or msal client error code. */
      readonly error: string;
      /** First AADSTS number, when Entra sent one. */
      readonly aadsts: number | undefined;
      readonly status: number | undefined;
      /** Entra's text for humans (without the AADSTS prefix), trimmed to its first sentences. */
      readonly description: string;
      readonly traceId: string | undefined;
      readonly correlationId: string | undefined;
    }
  | {
      readonly kind: 'graph';
      readonly status: number;
      /** Graph's error code (`Authorization_RequestDenied`, `AccessDenied`, `TooManyRequests`, …). */
      readonly code: string;
      readonly message: string;
      readonly retryAfterSeconds: number | undefined;
      readonly requestId: string | undefined;
    }
  | { readonly kind: 'unknown'; readonly message: string };

/** Creates the connection; makes no request until the first token or Graph call. */
export function createGraphConnection(options: GraphConnectionOptions): GraphConnection {
  const { cloud, transport } = options;
  const logger = options.logger ?? silentLogger;
  let requests = 0;
  let closed = false;
  const scopes = [graphScope(cloud)];

  const msalNetworkClient = {
    sendGetRequestAsync: <T>(...args: Parameters<HttpTransport['msalNetworkClient']['sendGetRequestAsync']>) => {
      requests++;
      return transport.msalNetworkClient.sendGetRequestAsync<T>(...args);
    },
    sendPostRequestAsync: <T>(...args: Parameters<HttpTransport['msalNetworkClient']['sendPostRequestAsync']>) => {
      const send = () => {
        requests++;
        return transport.msalNetworkClient.sendPostRequestAsync<T>(...args);
      };
      return options.sendTokenRequest ? options.sendTokenRequest(send) : send();
    },
  };

  // Built on first use: msal throws at construction for an empty secret, and callers expect that as a failed token.
  let msal: ConfidentialClientApplication | undefined;
  const msalApp = () =>
    (msal ??= new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        ...staticAuthorityConfig(cloud.authorityHost, options.tenantId),
      },
      system: {
        networkClient: msalNetworkClient,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii) logger.debug('msal', { message });
          },
        },
      },
    }));

  const getToken = async (opts: { readonly forceRefresh?: boolean } = {}): Promise<GraphToken> => {
    if (closed) throw new Error('The Graph connection is closed.');
    const result: AuthenticationResult | null = await msalApp().acquireTokenByClientCredential({
      scopes,
      skipCache: opts.forceRefresh === true,
    });
    if (!result?.accessToken) throw new Error('Entra returned no access token.');
    return { accessToken: result.accessToken, expiresOn: result.expiresOn, roles: decodeTokenRoles(result.accessToken) };
  };

  const accessToken = async () => {
    try {
      return (await getToken()).accessToken;
    } catch (error) {
      // The Graph client flattens whatever the middleware throws; carry the described cause in `error`.
      const failure = describeFailure(error);
      throw new CarriedFailureError(failure, failureMessage(failure), error);
    }
  };

  const retryOptions = new RetryHandlerOptions(
    3,
    options.retry?.maxRetries ?? 3,
    (delay) => delay <= (options.retry?.maxDelaySeconds ?? 30),
  );
  const graphOrigin = new URL(cloud.graphBaseUrl).origin;
  const middleware: Middleware[] = [
    new GraphOriginGuard(graphOrigin, accessToken),
    new RetryHandler(retryOptions),
    new GuardedRedirectHandler(graphOrigin),
    new TelemetryHandler(),
    new TransportHandler(transport, () => requests++),
  ];
  const client = Client.initWithMiddleware({
    baseUrl: cloud.graphBaseUrl,
    // Only for the telemetry headers: the bearer token is attached by GraphOriginGuard, not by host name.
    customHosts: new Set([new URL(cloud.graphBaseUrl).hostname]),
    middleware: chainMiddleware(middleware),
  });
  // An absolute nextLink/deltaLink is checked before the Graph client parses it: it takes only `https://` links
  // as absolute and would turn `http://elsewhere/…` into a path on the Graph root.
  const api = client.api.bind(client);
  client.api = (path: string) => {
    const refused = refusedGraphLink(path, graphOrigin);
    // The link is never handed to the Graph client's parser; `/` only gives the request object its shape.
    return refused ? failingRequest(api('/'), refused) : api(path);
  };

  return {
    client,
    cloud,
    getToken,
    requestCount: () => requests,
    close: () => {
      closed = true;
      void msal?.clearCache();
    },
  };
}

function failureMessage(failure: ConnectionFailure): string {
  switch (failure.kind) {
    case 'network':
      return failure.failure.message;
    case 'token':
      return failure.aadsts ? `AADSTS${failure.aadsts}: ${failure.description}` : failure.description;
    case 'graph':
      return `${failure.status} ${failure.code}: ${failure.message}`;
    case 'unknown':
      return failure.message;
  }
}

/** Describes anything thrown by {@link GraphConnection.getToken} or a Graph request. */
export function describeFailure(error: unknown): ConnectionFailure {
  if (error instanceof CarriedFailureError) return error.error.carried as ConnectionFailure;
  if (error instanceof GraphError) return describeGraphError(error);
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof NetworkFailureError) return { kind: 'network', failure: e.failure };
    const failure = (e as { failure?: NetworkFailure }).failure;
    if (failure && typeof failure.code === 'string') return { kind: 'network', failure };
    e = (e as { cause?: unknown }).cause;
  }
  if (error instanceof AuthError) return describeMsalError(error);
  return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

function describeMsalError(auth: AuthError & { errorNo?: unknown; status?: unknown }): ConnectionFailure {
  const text = typeof auth.errorMessage === 'string' ? auth.errorMessage : '';
  // A token endpoint answering in Graph's error shape (some gateways do) leaves an object in `errorCode`.
  const errorCode: unknown = auth.errorCode;
  const error =
    typeof errorCode === 'string'
      ? errorCode
      : typeof (errorCode as { code?: unknown } | null)?.code === 'string'
        ? (errorCode as { code: string }).code
        : 'unknown';
  if (error === 'network_error' && !/AADSTS/.test(text)) {
    return { kind: 'network', failure: classifyNetworkError(auth) };
  }
  const fromNo = Number(auth.errorNo);
  const fromText = /AADSTS(\d+)/.exec(text)?.[1];
  const aadsts = Number.isFinite(fromNo) && fromNo > 0 ? fromNo : fromText ? Number(fromText) : undefined;
  const described = /Description: (.*?)(?: - Correlation ID:|$)/s.exec(text)?.[1] ?? text;
  // msal writes "Not Available" for missing fields; an empty description is more honest.
  const description = firstSentences(described.replace(/^AADSTS\d+:\s*/, '').replace(/\s*Trace ID:.*$/s, '')).replace(
    /^Not Available$/,
    '',
  );
  return {
    kind: 'token',
    error,
    aadsts,
    status: typeof auth.status === 'number' ? auth.status : undefined,
    description,
    traceId: /Trace ID: ([0-9a-f-]{36})/i.exec(text)?.[1],
    correlationId: /Correlation ID: ([0-9a-f-]{36})/i.exec(text)?.[1],
  };
}

function describeGraphError(error: GraphError): ConnectionFailure {
  if (error.statusCode === -1 && typeof error.body === 'string') {
    try {
      const carried = (JSON.parse(error.body) as { carried?: ConnectionFailure }).carried;
      if (carried) return carried;
    } catch {
      // Not one of ours: fall through to the generic description.
    }
  }
  if (error.statusCode <= 0) return { kind: 'unknown', message: error.message };
  const retryAfter = readHeader(error.headers, 'retry-after');
  return {
    kind: 'graph',
    status: error.statusCode,
    code: error.code ?? 'unknown',
    message: error.message,
    retryAfterSeconds: retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
    requestId: error.requestId ?? undefined,
  };
}

function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null };
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function firstSentences(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length <= 400 ? trimmed : `${trimmed.slice(0, 397)}...`;
}

/**
 * Reads the `roles` claim of an access token. Microsoft says not to rely on Graph token contents: use the
 * result for diagnosis only and confirm with a real call.
 */
export function decodeTokenRoles(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  try {
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(json.roles) ? json.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
