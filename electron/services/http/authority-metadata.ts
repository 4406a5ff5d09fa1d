/**
 * msal-node authority settings that make it trust an authority host without instance discovery: with
 * `knownAuthorities`, `authorityMetadata` and `cloudDiscoveryMetadata` given, msal-node 7 makes exactly one request
 * (the token POST). Works for any Entra-shaped host — the local demo tenant or a sovereign cloud whose discovery
 * endpoint is unreachable.
 */

/** The fields to spread into msal-node's `auth` configuration. */
export interface StaticAuthorityConfig {
  readonly authority: string;
  readonly knownAuthorities: string[];
  readonly authorityMetadata: string;
  readonly cloudDiscoveryMetadata: string;
}

/**
 * Builds the msal `auth` fields for `{authorityHost}/{tenant}` (e.g. `https://127.0.0.1:8443` and a tenant id).
 * The host may carry a port; the token endpoint is `{authorityHost}/{tenant}/oauth2/v2.0/token` as in Entra.
 */
export function staticAuthorityConfig(authorityHost: string, tenant: string): StaticAuthorityConfig {
  const base = authorityHost.replace(/\/+$/, '');
  const host = new URL(base).host;
  const authority = `${base}/${tenant}`;
  const authorityMetadata = {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    issuer: `${base}/${tenant}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  };
  const cloudDiscoveryMetadata = {
    tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
  return {
    authority,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(authorityMetadata),
    cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata),
  };
}
