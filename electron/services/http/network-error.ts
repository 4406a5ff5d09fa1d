/**
 * Turns the opaque `TypeError: fetch failed` of undici (and what msal-node and the Graph client wrap around it)
 * into a typed failure an admin can act on, by walking the `cause` chain down to the socket or TLS error.
 */

/** What kind of network failure happened, from the admin's point of view. */
export type NetworkFailureCode =
  | 'offline'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-other'
  | 'proxy'
  | 'unknown'
  // Requests our Graph middleware refused to send: to another origin than Graph's, or over plain http.
  | 'foreign-origin'
  | 'insecure-url';

/** A classified network failure: a code, a plain-words message naming the host, and the low-level cause code. */
export interface NetworkFailure {
  readonly code: NetworkFailureCode;
  /** Plain words for an admin; names the host, never a secret (URLs are reduced to their host). */
  readonly message: string;
  /** The deepest system/library code found (ENOTFOUND, ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, …), or undefined. */
  readonly causeCode: string | undefined;
  /** The host (and port) the request went to, when known. */
  readonly host: string | undefined;
}

/** What the classifier knows about the request besides the error itself. */
export interface ClassifyContext {
  /** Target URL or host of the failed request. */
  readonly url?: string | URL;
  /** Proxy in use for that request, if any: failures reaching it are reported as `proxy`. */
  readonly proxyUrl?: string | URL;
}

/** An Error that carries a classified failure: thrown by the transport, so callers need not classify again. */
export class NetworkFailureError extends Error {
  readonly code = 'network';
  readonly failure: NetworkFailure;
  constructor(failure: NetworkFailure, cause?: unknown) {
    super(failure.message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkFailureError';
    this.failure = failure;
  }
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const OFFLINE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR',
  'UND_ERR_ABORTED',
]);
const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);
const PROXY = new Set(['UND_ERR_PRX_TLS', 'UND_ERR_SOCKS5']);

interface Found {
  code: string | undefined;
  name: string | undefined;
  message: string;
  address: string | undefined;
  port: number | undefined;
  hostname: string | undefined;
}

/** Walks `cause`, `error` and (Graph client) `body` links, outermost first, bounded against cycles. */
function chain(error: unknown): Found[] {
  const out: Found[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < 12 && current && typeof current === 'object' && !seen.has(current); depth++) {
    seen.add(current);
    const e = current as Record<string, unknown>;
    out.push({
      code: typeof e.code === 'string' ? e.code : undefined,
      name: typeof e.name === 'string' ? e.name : undefined,
      message: typeof e.message === 'string' ? e.message : '',
      address: typeof e.address === 'string' ? e.address : undefined,
      port: typeof e.port === 'number' ? e.port : undefined,
      hostname: typeof e.hostname === 'string' ? e.hostname : undefined,
    });
    if (e.cause !== undefined) current = e.cause;
    else if (e.body instanceof Error) current = e.body;
    else if (e.error instanceof Error) current = e.error;
    else if (Array.isArray(e.errors) && e.errors[0] instanceof Error) current = e.errors[0];
    else current = undefined;
  }
  return out;
}

function hostOf(value: string | URL | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(String(value)).host;
  } catch {
    return String(value);
  }
}

const messages: Record<NetworkFailureCode, (host: string) => string> = {
  offline: (h) => `The network is unreachable: this computer could not reach ${h}. Check the network connection.`,
  dns: (h) => `The name ${h} could not be resolved (DNS). Check the host name, the DNS server or the proxy settings.`,
  refused: (h) => `${h} refused the connection: nothing is listening there, or a firewall rejects it.`,
  reset: (h) => `The connection to ${h} was cut off (reset). A firewall, proxy or the server itself closed it.`,
  timeout: (h) => `${h} did not answer in time. The server may be slow or a firewall may be dropping traffic.`,
  'tls-untrusted': (h) =>
    `The certificate presented by ${h} is not trusted by this computer. A TLS-inspecting proxy needs its CA certificate added to the trusted certificates.`,
  'tls-other': (h) => `The secure (TLS) connection to ${h} failed.`,
  proxy: (h) =>
    `The proxy failed while connecting to ${h}. Check the proxy address, its credentials and the hosts that bypass it.`,
  unknown: (h) => `The request to ${h} failed before any answer was received.`,
  'foreign-origin': (h) => `A request to ${h}, which is not the configured Graph server, was refused.`,
  'insecure-url': (h) => `A request to ${h} over plain http was refused: Graph is only reached over https.`,
};

function codeFor(found: Found[], proxyHost: string | undefined): { code: NetworkFailureCode; cause?: Found } {
  const isProxyEndpoint = (f: Found) =>
    proxyHost !== undefined &&
    ((f.hostname !== undefined && proxyHost.startsWith(f.hostname)) ||
      (f.port !== undefined && proxyHost.endsWith(`:${f.port}`)));
  // Deepest first: the socket/TLS error is the truth, wrappers only add noise.
  for (const f of [...found].reverse()) {
    const c = f.code;
    if (c && PROXY.has(c)) return { code: 'proxy', cause: f };
    if (/proxy/i.test(f.message) && !/^fetch failed$/i.test(f.message)) return { code: 'proxy', cause: f };
    if (c && TLS_UNTRUSTED.has(c)) return { code: 'tls-untrusted', cause: f };
    if (c && (c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL') || c.startsWith('CERT_') || /_CERT/.test(c)))
      return { code: 'tls-other', cause: f };
    if (c && (DNS.has(c) || OFFLINE.has(c) || c === 'ECONNREFUSED' || RESET.has(c)) && isProxyEndpoint(f))
      return { code: 'proxy', cause: f };
    if (c && DNS.has(c)) return { code: 'dns', cause: f };
    if (c && OFFLINE.has(c)) return { code: 'offline', cause: f };
    if (c === 'ECONNREFUSED') return { code: 'refused', cause: f };
    if (c && RESET.has(c)) return { code: 'reset', cause: f };
    if ((c && TIMEOUT.has(c)) || f.name === 'TimeoutError') return { code: 'timeout', cause: f };
  }
  // An AbortError without a known reason is our own timeout or a cancel; both mean "no answer in time" to an admin.
  const abort = found.find((f) => f.name === 'AbortError');
  if (abort) return { code: 'timeout', cause: abort };
  return { code: 'unknown' };
}

/**
 * Classifies an error thrown by `fetch` (undici), msal-node's network client or the Graph client into a
 * {@link NetworkFailure}. Errors already classified ({@link NetworkFailureError}) are returned as they are.
 */
export function classifyNetworkError(error: unknown, context: ClassifyContext = {}): NetworkFailure {
  for (const f of chainErrors(error)) {
    if (f instanceof NetworkFailureError) return f.failure;
  }
  const found = chain(error);
  const host = hostOf(context.url);
  const proxyHost = hostOf(context.proxyUrl);
  const { code, cause } = codeFor(found, proxyHost);
  const deepestCode = cause?.code ?? [...found].reverse().find((f) => f.code)?.code ?? cause?.name;
  const named = code === 'proxy' && proxyHost ? `${host ?? 'the server'} (through proxy ${proxyHost})` : host;
  return {
    code,
    message: messages[code](named ?? cause?.hostname ?? 'the server'),
    causeCode: deepestCode,
    host,
  };
}

function chainErrors(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 12 && current && typeof current === 'object' && !out.includes(current); depth++) {
    out.push(current);
    const e = current as Record<string, unknown>;
    current = e.cause ?? (e.body instanceof Error ? e.body : undefined);
  }
  return out;
}
