/**
 * The Entra side of the emulator: `/{tenant}/oauth2/v2.0/token` for the client-credentials grant, and the discovery
 * documents an msal client may ask for. Checks run in Entra's order: tenant, request shape, application, secret,
 * scope; each failure answers with the real AADSTS code and body shape.
 */
import { randomUUID } from 'node:crypto';
import { aadstsError, type AadstsCode, type AadstsContext } from './aadsts';
import type { AppRegistration } from './app-registration';
import { randomId, signJwt, type SigningKey } from './jwt';
import { GRAPH_APP_ID } from './permissions';

/** What the token endpoint needs to know about the tenant. */
export interface TokenIssuerState {
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly tenantName: string;
  readonly authorityHost: string;
  readonly app: AppRegistration;
  readonly key: SigningKey;
  readonly tokenLifetimeSeconds: number;
  /** A forced failure (control API), for conditions like Conditional Access. */
  readonly forcedError: AadstsCode | undefined;
}

/** A plain HTTP answer. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** The Graph resource ids a `.default` scope may name for this (global-cloud-like) tenant. */
const GRAPH_RESOURCES = ['https://graph.microsoft.com', GRAPH_APP_ID, `api://${GRAPH_APP_ID}`];
/** OpenID scopes msal may add; they do not name a resource. Any other resource (another cloud's Graph) is 500011. */
const IGNORED_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Outcome of a token request; `error` is set on failures for counters. */
export interface TokenOutcome extends PlainResponse {
  readonly error?: AadstsCode;
}

/** Handles a POST to `/{tenantSegment}/oauth2/v2.0/token`. */
export function handleTokenRequest(
  state: TokenIssuerState,
  tenantSegment: string,
  form: URLSearchParams,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: Date,
): TokenOutcome {
  const requestCorrelation = headers['client-request-id'];
  const correlationId = typeof requestCorrelation === 'string' && requestCorrelation ? requestCorrelation : randomUUID();
  const responseHeaders = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    'client-request-id': correlationId,
  };
  const fail = (code: AadstsCode, context: AadstsContext = {}): TokenOutcome => {
    const { status, body } = aadstsError(
      code,
      { tenant: tenantSegment, tenantName: state.tenantName, ...context },
      now,
      state.authorityHost,
      correlationId,
    );
    return { status, headers: { ...responseHeaders, 'x-ms-request-id': body.trace_id }, body, error: code };
  };

  const tenant = tenantSegment.toLowerCase();
  const isOurs = tenant === state.tenantId.toLowerCase() || tenant === state.tenantDomain.toLowerCase();
  if (!isOurs) {
    if (!GUID.test(tenant) && !DOMAIN.test(tenant)) return fail(900023);
    return fail(90002);
  }
  if (state.forcedError === 90038) return fail(90038);

  const grantType = form.get('grant_type');
  if (!grantType) return fail(900144, { parameter: 'grant_type' });
  if (grantType !== 'client_credentials') return fail(70003, { grantType });
  const clientId = form.get('client_id') ?? basicAuth(headers.authorization)?.id;
  if (!clientId) return fail(900144, { parameter: 'client_id' });
  const scope = form.get('scope');
  if (!scope) return fail(900144, { parameter: 'scope' });

  const app = state.app;
  if (clientId.toLowerCase() !== app.appId) return fail(700016, { appId: clientId });
  if (!app.enabled || state.forcedError === 7000112) return fail(7000112, { appId: app.appId, appName: app.displayName });

  const presented = form.get('client_secret') ?? basicAuth(headers.authorization)?.secret ?? undefined;
  if (!presented && form.get('client_assertion')) return fail(7000215, { appId: app.appId });
  const check = app.checkSecret(presented, now);
  if (check === 'missing') return fail(7000218);
  if (check === 'wrong') return fail(7000215, { appId: app.appId });
  if (check === 'expired') return fail(7000222, { appId: app.appId });

  const scopes = scope.split(/\s+/).filter((s) => s && !IGNORED_SCOPES.has(s));
  if (scopes.length !== 1) return fail(70011, { scope });
  const only = scopes[0] as string;
  if (!only.endsWith('/.default')) return fail(1002012, { scope: only });
  const resource = only.slice(0, -'/.default'.length).replace(/\/+$/, '');
  if (!GRAPH_RESOURCES.includes(resource.toLowerCase()) || state.forcedError === 500011) {
    return fail(500011, { resource });
  }
  if (state.forcedError === 53003) return fail(53003);

  const iat = Math.floor(now.getTime() / 1000);
  const roles = [...app.grantedRoles];
  const payload: Record<string, unknown> = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${state.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + state.tokenLifetimeSeconds,
    aio: randomId(24),
    app_displayname: app.displayName,
    appid: app.appId,
    appidacr: '1',
    idp: `https://sts.windows.net/${state.tenantId}/`,
    idtyp: 'app',
    oid: app.servicePrincipalId,
    rh: randomId(12),
    sub: app.servicePrincipalId,
    tenant_region_scope: 'EU',
    tid: state.tenantId,
    uti: randomId(16),
    ver: '1.0',
    wids: ['0997a1d0-0d1d-4acb-b408-d5ca73121e90'],
    xms_tcdt: iat - 86_400 * 400,
  };
  // Like Entra: no `roles` claim at all until an application permission is granted.
  if (roles.length > 0) payload.roles = roles;
  return {
    status: 200,
    headers: { ...responseHeaders, 'x-ms-request-id': randomUUID() },
    body: {
      token_type: 'Bearer',
      expires_in: state.tokenLifetimeSeconds,
      ext_expires_in: state.tokenLifetimeSeconds,
      access_token: signJwt(state.key, payload),
    },
  };
}

function basicAuth(header: string | string[] | undefined): { id: string; secret: string } | undefined {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const at = decoded.indexOf(':');
  if (at < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, at)), secret: decodeURIComponent(decoded.slice(at + 1)) };
}

/** The OpenID configuration Entra publishes for a tenant (v2.0 endpoints). */
export function openIdConfiguration(authorityHost: string, tenantId: string): Record<string, unknown> {
  const base = `${authorityHost}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${authorityHost}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver'],
    tenant_region_scope: 'EU',
    cloud_instance_name: new URL(authorityHost).host,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** The instance-discovery answer (`/common/discovery/instance`). */
export function instanceDiscovery(authorityHost: string, tenantId: string): Record<string, unknown> {
  const host = new URL(authorityHost).host;
  return {
    tenant_discovery_endpoint: `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** The JSON Web Key Set with the emulator's signing key. */
export function jwks(key: SigningKey): Record<string, unknown> {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e }] };
}
