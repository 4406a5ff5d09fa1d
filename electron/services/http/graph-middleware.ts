/**
 * The Graph client's middleware for our connection: the one place every Graph request passes, whoever makes it
 * (validator, directory reader, expiry, rotation).
 *
 * - {@link GraphOriginGuard} refuses any request whose scheme, host or port differs from the configured Graph
 *   root (an `@odata.nextLink` or deltaLink pointing elsewhere, or an `http://` URL), and attaches the bearer
 *   token itself to every other request. The Graph client's own AuthenticationHandler is not used: it decides
 *   by host name alone (ignoring the port) and trusts a built-in list of Microsoft hosts.
 * - {@link GuardedRedirectHandler} follows a redirect only within that origin; anything else fails the request.
 * - {@link TransportHandler} sends through our {@link HttpTransport} with `redirect: 'manual'`, so undici never
 *   follows a redirect behind the guard's back.
 *
 * A refused request throws a {@link CarriedFailureError} whose network failure code is `foreign-origin` or
 * `insecure-url`, so it reaches callers through the Graph client intact.
 */
import { MiddlewareFactory, type AuthenticationProvider, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { classifyNetworkError, type NetworkFailure } from './network-error';
import type { HttpTransport } from './transport';

/**
 * An Error whose `error` field the Graph client copies into `GraphError.body` as JSON (it treats `{ error }` like a
 * Graph error response), so the described cause can be read back from the GraphError.
 */
export class CarriedFailureError<F extends { readonly kind: string } = { readonly kind: string }> extends Error {
  readonly error: { code: string; message: string; carried: F };
  constructor(failure: F, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CarriedFailureError';
    this.error = { code: `carried-${failure.kind}`, message, carried: failure };
  }
}

function networkCarried(failure: NetworkFailure, cause?: unknown): CarriedFailureError {
  return new CarriedFailureError({ kind: 'network', failure }, failure.message, cause);
}

/** `scheme://host:port` of a URL, or undefined when it does not parse. */
function originOf(url: string | URL): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Why `url` may not be sent to the Graph at `graphOrigin`, or undefined when it may. */
export function refusedGraphUrl(url: string, graphOrigin: string, via: 'link' | 'redirect'): NetworkFailure | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      code: 'foreign-origin',
      message: `Graph returned a link that is not a valid address; nothing was requested and nothing imported.`,
      causeCode: via,
      host: undefined,
    };
  }
  const graph = new URL(graphOrigin);
  if (graph.protocol !== 'https:') {
    return {
      code: 'insecure-url',
      message: `The Graph address ${graph.origin} is not https: no request was sent, so no token or data crossed the network in clear.`,
      causeCode: 'http',
      host: graph.host,
    };
  }
  if (parsed.origin === graph.origin) return undefined;
  const where = via === 'redirect' ? 'redirected to another server' : 'returned a link to another server';
  return {
    code: 'foreign-origin',
    message:
      `Graph ${where}: ${parsed.origin}. The request was not sent (the access token never leaves ` +
      `${graph.origin}) and nothing from it was imported.`,
    causeCode: via,
    host: parsed.host,
  };
}

/** The carried failure when `path` is an absolute URL that may not go to `graphOrigin`; undefined otherwise. */
export function refusedGraphLink(path: string, graphOrigin: string): CarriedFailureError | undefined {
  // The Graph client only recognises `https://` links as absolute and would glue `http://…` onto the Graph root.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(path.trim())) return undefined;
  const refused = refusedGraphUrl(path.trim(), graphOrigin, 'link');
  return refused ? networkCarried(refused) : undefined;
}

const sendingMethods = ['get', 'post', 'create', 'put', 'patch', 'update', 'delete', 'del', 'getStream', 'putStream'] as const;

/**
 * Makes every way of sending `request` reject with `error`, so a refused link fails where the caller awaits it,
 * like any other failed request; the builder methods return the same object, so chained calls keep this.
 */
export function failingRequest<R extends object>(request: R, error: Error): R {
  for (const method of sendingMethods) {
    if (typeof (request as Record<string, unknown>)[method] === 'function') {
      (request as Record<string, unknown>)[method] = () => Promise.reject(error);
    }
  }
  return request;
}

function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

/** Sets a header on whichever of the request or its options the Graph client filled in. */
function setRequestHeader(context: Context, name: string, value: string): void {
  if (typeof context.request !== 'string') {
    context.request.headers.set(name, value);
    return;
  }
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) {
    options.headers = [...headers.filter((pair) => pair[0]?.toLowerCase() !== name.toLowerCase()), [name, value]];
  } else {
    const plain: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
    for (const key of Object.keys(plain)) if (key.toLowerCase() === name.toLowerCase()) delete plain[key];
    plain[name] = value;
    options.headers = plain;
  }
}

abstract class Link implements Middleware {
  protected next: Middleware | undefined;
  setNext(next: Middleware): void {
    this.next = next;
  }
  protected forward(context: Context): Promise<void> {
    if (!this.next) throw new Error(`${this.constructor.name} has no next middleware`);
    return this.next.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/**
 * First in the chain: a request leaves only for the configured Graph origin, over https, and always with the
 * bearer token. No request to Graph is ever sent without it, and no other server ever receives it.
 */
export class GraphOriginGuard extends Link {
  constructor(
    private readonly graphOrigin: string,
    private readonly accessToken: () => Promise<string>,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const refused = refusedGraphUrl(requestUrl(context), this.graphOrigin, 'link');
    if (refused) throw networkCarried(refused);
    setRequestHeader(context, 'Authorization', `Bearer ${await this.accessToken()}`);
    await this.forward(context);
  }
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;

/** Follows redirects within the Graph origin (with the same token); refuses any other target. */
export class GuardedRedirectHandler extends Link {
  constructor(private readonly graphOrigin: string) {
    super();
  }

  async execute(context: Context): Promise<void> {
    for (let hops = 0; ; hops++) {
      await this.forward(context);
      const response = context.response;
      const location = response && redirectStatuses.has(response.status) ? response.headers.get('location') : null;
      if (!response || location === null) return;
      const from = requestUrl(context);
      const target = (() => {
        try {
          return new URL(location, from).href;
        } catch {
          return location;
        }
      })();
      await response.body?.cancel().catch(() => undefined);
      const refused = refusedGraphUrl(target, this.graphOrigin, 'redirect');
      if (refused) throw networkCarried(refused);
      if (hops >= maxRedirects) {
        throw networkCarried({
          code: 'unknown',
          message: `Graph redirected more than ${maxRedirects} times from ${pathOf(from)}; the read was stopped.`,
          causeCode: 'too-many-redirects',
          host: originOf(from),
        });
      }
      if (response.status === 303 && context.options) {
        context.options = { ...context.options, method: 'GET', body: null };
      }
      context.request = typeof context.request === 'string' ? target : new Request(target, context.request);
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Last in the chain: sends with the transport's fetch; a network failure is carried through the Graph client. */
export class TransportHandler implements Middleware {
  constructor(
    private readonly transport: HttpTransport,
    private readonly onRequest: () => void = () => undefined,
  ) {}

  async execute(context: Context): Promise<void> {
    this.onRequest();
    try {
      context.response = await this.transport.fetch(context.request as string | Request, {
        ...(context.options as RequestInit | undefined),
        redirect: 'manual',
      });
    } catch (error) {
      throw networkCarried(classifyNetworkError(error, { url: requestUrl(context) }), error);
    }
  }
}

/** Links each middleware to the next; returns the first. */
export function chainMiddleware(chain: readonly Middleware[]): Middleware {
  for (let i = 0; i < chain.length - 1; i++) {
    const next = chain[i + 1];
    if (next) chain[i]?.setNext?.(next);
  }
  const first = chain[0];
  if (!first) throw new Error('An empty middleware chain');
  return first;
}

/**
 * The Graph client's default middleware chain ending in our transport, for the emulator's own tests (which check
 * the emulator, not our connection). The core uses {@link GraphOriginGuard} instead, through createGraphConnection.
 */
export function graphMiddlewareChain(transport: HttpTransport, authProvider: AuthenticationProvider): Middleware[] {
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  chain[chain.length - 1] = new TransportMessageHandler(transport);
  return chain;
}

/** Performs the request with the transport's fetch, errors as they are (what the emulator's tests expect). */
export class TransportMessageHandler implements Middleware {
  constructor(private readonly transport: HttpTransport) {}

  async execute(context: Context): Promise<void> {
    const { request, options } = context;
    context.response = await this.transport.fetch(request as string | Request, options as RequestInit | undefined);
  }
}
