/**
 * The Graph request pipeline: bearer-token check (401), route lookup, permission check (403), resource-unit
 * throttling (429), the route handler, and Graph's response headers. `$batch` runs its inner requests through the
 * same pipeline, so each one is authorised and throttled on its own.
 */
import { randomUUID } from 'node:crypto';
import type { AppRegistration } from './app-registration';
import type { Directory } from './directory';
import { graphError, GraphFailure, type GraphResponse, type RequestIds } from './graph-errors';
import { ROUTES, type RouteContext } from './graph-routes';
import { verifyJwt, type SigningKey } from './jwt';
import { queryOption } from './odata';
import type { TokenCodec } from './opaque-token';
import { allows, type Access } from './permissions';
import { requestCost, type ResourceUnitWindow } from './throttle';

/** Counters the control API reports. */
export interface EmulatorCounters {
  /** Requests by route name (e.g. `GET /users`, `POST token`, `POST /$batch`), including refused ones. */
  readonly requests: Record<string, number>;
  resourceUnits: number;
  throttled429: number;
  readonly faults: Record<string, number>;
  tokensIssued: number;
  /** Token errors by AADSTS code. */
  readonly tokenErrors: Record<string, number>;
  /** Graph answers by status. */
  readonly graphStatus: Record<string, number>;
}

/** Creates zeroed counters. */
export function emptyCounters(): EmulatorCounters {
  return { requests: {}, resourceUnits: 0, throttled429: 0, faults: {}, tokensIssued: 0, tokenErrors: {}, graphStatus: {} };
}

/** What the pipeline needs. */
export interface GraphState {
  readonly directory: Directory;
  readonly app: AppRegistration;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly tenantDomain: string;
  readonly key: SigningKey;
  readonly codec: TokenCodec;
  readonly throttle: ResourceUnitWindow;
  readonly counters: EmulatorCounters;
  readonly now: () => Date;
  /** https://127.0.0.1:PORT */
  readonly graphRoot: string;
  readonly delta: RouteContext['delta'];
  /** Kinds of reads refused whatever the roles (control `denyAccess`). */
  readonly deniedAccess?: readonly Access[];
}

/** A Graph request after HTTP parsing. */
export interface GraphRequest {
  readonly method: string;
  /** Path after `/v1.0`, without the query string, e.g. `/users`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: string;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const bump = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

/** Handles one Graph request (including `$batch`). */
export function handleGraphRequest(state: GraphState, req: GraphRequest): GraphResponse {
  const now = state.now();
  const client = req.headers['client-request-id'];
  const ids: RequestIds = { requestId: randomUUID(), clientRequestId: typeof client === 'string' ? client : randomUUID(), now };
  const response = pipeline(state, req, ids);
  response.headers = {
    'content-type': JSON_TYPE,
    'cache-control': 'no-cache',
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({
      ServerInfo: { DataCenter: 'Emulated', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'EMULATOR' },
    }),
    ...response.headers,
  };
  bump(state.counters.graphStatus, String(response.status));
  return response;
}

function pipeline(state: GraphState, req: GraphRequest, ids: RequestIds): GraphResponse {
  if (req.path === '/$batch') {
    bump(state.counters.requests, 'POST /$batch');
    if (req.method !== 'POST') return graphError(ids, 405, 'Request_BadRequest', 'The $batch endpoint only accepts POST.');
    return batch(state, req, ids);
  }
  const route = ROUTES.find((r) => r.pattern.test(req.path));
  const routeName = route?.name ?? `${req.method} (unknown)`;
  bump(state.counters.requests, routeName);

  const auth = authenticate(state, req, ids);
  if ('status' in auth) return auth;
  if (!route) {
    const segment = req.path.split('/').filter(Boolean).pop() ?? '';
    return graphError(ids, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }
  if (req.method !== 'GET') {
    return graphError(ids, 405, 'Request_BadRequest', `The demo tenant does not support ${req.method} on this resource.`);
  }
  if (auth.roles.length === 0) {
    return graphError(ids, 403, 'AccessDenied', 'Either scp or roles claim need to be present in the token.');
  }
  if (!allows(auth.roles, route.access) || state.deniedAccess?.includes(route.access)) {
    return graphError(ids, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  const top = Number(queryOption(req.params, 'top'));
  const cost = requestCost(route.family, {
    select: queryOption(req.params, 'select') !== undefined,
    expand: queryOption(req.params, 'expand') !== undefined,
    top: Number.isFinite(top) && top > 0 ? top : undefined,
  });
  const decision = state.throttle.spend(cost, ids.now.getTime());
  const usage: Record<string, string> = { 'x-ms-resource-unit': String(cost) };
  if (decision.usedFraction > 0.8) usage['x-ms-throttle-limit-percentage'] = decision.usedFraction.toFixed(1);
  if (!decision.allowed) {
    state.counters.throttled429 += 1;
    return graphError(
      ids,
      429,
      'TooManyRequests',
      'Too many requests. The resource unit limit for this application and tenant was exceeded.',
      {
        ...usage,
        'retry-after': String(decision.retryAfterSeconds),
        'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${state.tenantId}/${state.app.appId}`,
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      },
    );
  }
  state.counters.resourceUnits += cost;

  const ctx: RouteContext = {
    directory: state.directory,
    app: state.app,
    tenantId: state.tenantId,
    tenantName: state.tenantName,
    tenantDomain: state.tenantDomain,
    params: req.params,
    headers: req.headers,
    roles: auth.roles,
    versionBase: `${state.graphRoot}/v1.0`,
    codec: state.codec,
    delta: state.delta,
    now: ids.now,
  };
  try {
    const result = route.handle(ctx, req.path.match(route.pattern) as RegExpMatchArray);
    const headers: Record<string, string> = { ...usage, ...result.headers };
    if (result.text) headers['content-type'] = 'text/plain';
    return { status: 200, headers, body: result.body };
  } catch (error) {
    if (error instanceof GraphFailure)
      return graphError(ids, error.status, error.graphCode, error.message, { ...usage, ...error.headers });
    throw error;
  }
}

function authenticate(state: GraphState, req: GraphRequest, ids: RequestIds): { roles: string[] } | GraphResponse {
  const header = req.headers.authorization;
  const unauthorized = (message: string) =>
    graphError(ids, 401, 'InvalidAuthenticationToken', message, { 'www-authenticate': WWW_AUTHENTICATE });
  if (typeof header !== 'string' || header.trim() === '') return unauthorized('Access token is empty.');
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return unauthorized('Access token is empty.');
  const verified = verifyJwt(state.key, match[1] as string, Math.floor(ids.now.getTime() / 1000));
  if (!verified.ok) {
    if (verified.problem === 'malformed') return unauthorized('CompactToken parsing failed with error code: 80049217');
    if (verified.problem === 'expired') return unauthorized('Lifetime validation failed, the token is expired.');
    return unauthorized('Access token validation failure.');
  }
  const p = verified.payload;
  if (p.aud !== 'https://graph.microsoft.com' && p.aud !== '00000003-0000-0000-c000-000000000000') {
    return unauthorized('Access token validation failure. Invalid audience.');
  }
  if (p.tid !== state.tenantId) return unauthorized('Access token validation failure. Invalid audience.');
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];
  return { roles };
}

interface BatchItem {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
  dependsOn?: unknown;
}

function batch(state: GraphState, req: GraphRequest, ids: RequestIds): GraphResponse {
  let parsed: { requests?: unknown };
  try {
    parsed = JSON.parse(req.body ?? '') as { requests?: unknown };
  } catch {
    return graphError(ids, 400, 'BadRequest', 'Invalid batch payload format.');
  }
  const requests = parsed.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    return graphError(ids, 400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > 20) return graphError(ids, 400, 'BadRequest', 'Too many requests in the batch: the limit is 20.');
  const items = requests as BatchItem[];
  const seen = new Set<string>();
  for (const item of items) {
    if (
      typeof item.id !== 'string' ||
      !item.id ||
      seen.has(item.id) ||
      typeof item.url !== 'string' ||
      typeof item.method !== 'string'
    ) {
      return graphError(ids, 400, 'BadRequest', 'Each batch request needs a unique id, a method and a url.');
    }
    seen.add(item.id);
  }
  const results = new Map<string, { id: string; status: number; headers: Record<string, string>; body: unknown }>();
  // Sequential, in order: with dependsOn only allowed on earlier ids, this respects every dependency.
  for (const item of items) {
    const id = item.id as string;
    const deps = Array.isArray(item.dependsOn) ? (item.dependsOn as unknown[]).map(String) : [];
    const innerIds = { ...ids, requestId: randomUUID() };
    if (deps.some((d) => !results.has(d))) {
      results.set(id, {
        id,
        ...stripHeaders(graphError(innerIds, 400, 'BadRequest', 'dependsOn must name an earlier request of the batch.')),
      });
      continue;
    }
    if (deps.some((d) => (results.get(d)?.status ?? 0) >= 400)) {
      results.set(id, {
        id,
        ...stripHeaders(graphError(innerIds, 424, 'FailedDependency', 'A request this request depends on failed.')),
      });
      continue;
    }
    const url = item.url as string;
    if (/^[a-z]+:\/\//i.test(url)) {
      results.set(id, {
        id,
        ...stripHeaders(graphError(innerIds, 400, 'BadRequest', 'Batch request urls must be relative, e.g. /users.')),
      });
      continue;
    }
    const relative = new URL(url.startsWith('/') ? url : `/${url}`, 'https://batch.invalid');
    const innerHeaders: Record<string, string | undefined> = {
      ...lowerKeys(item.headers),
      authorization: req.headers.authorization as string | undefined,
    };
    const inner = handleGraphRequest(state, {
      method: (item.method as string).toUpperCase(),
      path: relative.pathname.replace(/^\/v1\.0(?=\/)/, ''),
      params: relative.searchParams,
      headers: innerHeaders,
      body: item.body === undefined ? undefined : JSON.stringify(item.body),
    });
    results.set(id, { id, ...stripHeaders(inner) });
  }
  return { status: 200, headers: {}, body: { responses: [...results.values()] } };
}

/** Inner batch responses carry only the headers a client acts on. */
function stripHeaders(r: GraphResponse): { status: number; headers: Record<string, string>; body: unknown } {
  const keep: Record<string, string> = {};
  for (const name of ['retry-after', 'content-type', 'location', 'x-ms-resource-unit', 'x-ms-throttle-scope']) {
    const v = r.headers[name];
    if (v !== undefined) keep[name === 'retry-after' ? 'Retry-After' : name] = v;
  }
  if (!keep['content-type']) keep['content-type'] = JSON_TYPE;
  return { status: r.status, headers: keep, body: r.body };
}

function lowerKeys(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return out;
}
