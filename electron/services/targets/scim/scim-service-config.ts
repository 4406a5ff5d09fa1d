/**
 * What a SCIM service says it can do (`/ServiceProviderConfig`, RFC 7643 §5): PATCH, filtering and its result cap,
 * bulk, ETags, sorting and the authentication schemes. The target reads it once per run: PATCH decides between
 * PATCH and a whole-resource PUT, `filter.maxResults` caps the page size.
 */
import type { ScimClient } from './scim-client';

export interface ScimServiceConfig {
  readonly patch: boolean;
  readonly filter: boolean;
  /** Most results per page the service returns (filter.maxResults); null when it does not say. */
  readonly maxResults: number | null;
  readonly bulk: boolean;
  readonly etag: boolean;
  readonly sort: boolean;
  /** `oauthbearertoken`, `httpbasic`, … as declared. */
  readonly authenticationSchemes: readonly string[];
}

interface ServiceProviderConfigJson {
  readonly patch?: { readonly supported?: boolean };
  readonly filter?: { readonly supported?: boolean; readonly maxResults?: number };
  readonly bulk?: { readonly supported?: boolean };
  readonly etag?: { readonly supported?: boolean };
  readonly sort?: { readonly supported?: boolean };
  readonly authenticationSchemes?: readonly { readonly type?: string; readonly name?: string }[];
}

/** The config of a service that does not answer `/ServiceProviderConfig`: only what RFC 7644 requires of everyone. */
export const minimalServiceConfig: ScimServiceConfig = {
  patch: false,
  filter: false,
  maxResults: null,
  bulk: false,
  etag: false,
  sort: false,
  authenticationSchemes: [],
};

/** Turns the JSON into {@link ScimServiceConfig}; anything missing counts as not supported. */
export function parseServiceConfig(body: unknown): ScimServiceConfig {
  const json = (body ?? {}) as ServiceProviderConfigJson;
  const max = json.filter?.maxResults;
  return {
    patch: json.patch?.supported === true,
    filter: json.filter?.supported === true,
    maxResults: typeof max === 'number' && max > 0 ? max : null,
    bulk: json.bulk?.supported === true,
    etag: json.etag?.supported === true,
    sort: json.sort?.supported === true,
    authenticationSchemes: (json.authenticationSchemes ?? []).map((s) => String(s.type ?? s.name ?? '')).filter(Boolean),
  };
}

/** Reads the service's config; throws what the client threw (401, network) for the caller to explain. */
export async function readServiceConfig(client: ScimClient, signal?: AbortSignal): Promise<ScimServiceConfig> {
  const { body } = await client.request('GET', '/ServiceProviderConfig', undefined, undefined, signal);
  return parseServiceConfig(body);
}
