import { z } from 'zod';

/**
 * Microsoft clouds the app can talk to, and where each one's token endpoint, Graph and portal live.
 *
 * Pure data shared by the services (token and Graph calls) and the UI (cloud picker, portal buttons).
 * Facts: graph-facts.md §1 (hosts, scopes) and §7 (portal deep links).
 */

export const cloudIds = ['global', 'usgov', 'usgov-dod', 'china', 'custom'] as const;
export const cloudIdSchema = z.enum(cloudIds);
export type CloudId = z.infer<typeof cloudIdSchema>;

/** One cloud: everything needed to get a Graph token and to point the admin at the right portal page. */
export interface Cloud {
  readonly id: CloudId;
  readonly label: string;
  /** Origin of the token host, e.g. `https://login.microsoftonline.com` (no path, no trailing slash). */
  readonly authorityHost: string;
  /** Origin (plus optional path) of Graph, e.g. `https://graph.microsoft.com`; requests add `/v1.0/...`. */
  readonly graphBaseUrl: string;
  /**
   * The resource the token is for (its `aud`); the scope is `<graphResource>/.default`. The same as
   * `graphBaseUrl` for Microsoft's clouds; a custom endpoint in front of global Graph keeps Graph's id.
   */
  readonly graphResource: string;
  /** Origin of the admin portal used in deep links. */
  readonly portalHost: string;
  /** Other host names that issue tokens for this cloud (msal cloud discovery aliases). */
  readonly authorityAliases: readonly string[];
}

const builtIn: Record<Exclude<CloudId, 'custom'>, Cloud> = {
  global: {
    id: 'global',
    label: 'Global (also GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
    portalHost: 'https://entra.microsoft.com',
    authorityAliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  usgov: {
    id: 'usgov',
    label: 'US Government L4 (GCC High)',
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
    portalHost: 'https://entra.microsoft.us',
    authorityAliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  'usgov-dod': {
    id: 'usgov-dod',
    label: 'US Government L5 (DoD)',
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
    portalHost: 'https://entra.microsoft.us',
    authorityAliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  china: {
    id: 'china',
    label: 'China (operated by 21Vianet)',
    authorityHost: 'https://login.partner.microsoftonline.cn',
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
    portalHost: 'https://portal.azure.cn',
    authorityAliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
};

/** The four Microsoft clouds, in picker order. */
export const knownClouds: readonly Cloud[] = [builtIn.global, builtIn.usgov, builtIn['usgov-dod'], builtIn.china];

/** Options for a cloud that is not one of Microsoft's, such as the emulated demo tenant. */
export interface CustomCloudOptions {
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /** Token audience; default global Graph (`https://graph.microsoft.com`), as for a proxy or the demo tenant. */
  readonly graphResource?: string;
  readonly portalHost?: string;
  readonly label?: string;
}

/** A built-in cloud by id. */
export function cloudById(id: Exclude<CloudId, 'custom'>): Cloud {
  return builtIn[id];
}

/** A custom cloud (the demo tenant, or a sovereign endpoint the admin types in). URLs are normalised. */
export function customCloud(options: CustomCloudOptions): Cloud {
  const authorityHost = normaliseOrigin(options.authorityHost);
  return {
    id: 'custom',
    label: options.label ?? 'Custom endpoints',
    authorityHost,
    graphBaseUrl: stripTrailingSlash(options.graphBaseUrl),
    graphResource: stripTrailingSlash(options.graphResource ?? builtIn.global.graphResource),
    // The demo tenant has no portal; links then point at the global portal so they are still meaningful.
    portalHost: normaliseOrigin(options.portalHost ?? builtIn.global.portalHost),
    authorityAliases: [hostOf(authorityHost)],
  };
}

/**
 * Picks the cloud for an authority host and Graph root as the Azure SDK environment names them
 * (`AZURE_AUTHORITY_HOST`, `ENTRA_GRAPH_BASE_URL`, optional `ENTRA_GRAPH_RESOURCE`). A known host with no Graph root gets that cloud's
 * default Graph; anything unknown becomes a custom cloud.
 */
export function resolveCloud(authorityHost?: string, graphBaseUrl?: string, graphResource?: string): Cloud {
  const authority = authorityHost ? normaliseOrigin(authorityHost) : builtIn.global.authorityHost;
  const graph = graphBaseUrl ? stripTrailingSlash(graphBaseUrl) : undefined;
  const authHost = hostOf(authority);
  const match = knownClouds.find(
    (c) => c.authorityAliases.includes(authHost) && (graph === undefined || c.graphBaseUrl === graph),
  );
  if (match) return match;
  if (graph === undefined) {
    const byHost = knownClouds.find((c) => c.authorityAliases.includes(authHost));
    if (byHost) return byHost;
  }
  return customCloud({
    authorityHost: authority,
    graphBaseUrl: graph ?? builtIn.global.graphBaseUrl,
    ...(graphResource ? { graphResource } : {}),
  });
}

/** Which of a cloud's two addresses a problem is about. */
export type EndpointField = 'authorityHost' | 'graphBaseUrl';

/** A cloud address that may not be used, with a sentence naming it (`label`) and what is wrong. */
export interface EndpointProblem {
  readonly field: EndpointField;
  readonly message: string;
}

const endpointLabels: Record<EndpointField, string> = {
  authorityHost: 'The token host (authority)',
  graphBaseUrl: 'The Microsoft Graph address',
};

/**
 * Why a token host or Graph address may not be used, or undefined when it may: it must be an absolute `https://`
 * URL without a user name or password. Plain http would carry the secret, the token and the directory in clear
 * (the demo tenant is https on loopback too). `label` names the value in the message, e.g. `ENTRA_GRAPH_BASE_URL`.
 */
export function endpointProblem(value: string, label: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label} is not a valid address (“${value}”): use a full https:// URL.`;
  }
  if (url.protocol !== 'https:') {
    return `${label} must start with https:// (it is ${url.protocol}//${url.host}): otherwise the client secret, the token and the directory would cross the network unencrypted.`;
  }
  if (url.username || url.password) return `${label} must not contain a user name or password (${url.host}).`;
  return undefined;
}

/** The problems with a cloud's two addresses; empty when both may be used. */
export function cloudEndpointProblems(
  cloud: Pick<Cloud, 'authorityHost' | 'graphBaseUrl'>,
  labels: Partial<Record<EndpointField, string>> = {},
): EndpointProblem[] {
  return (['authorityHost', 'graphBaseUrl'] as const).flatMap((field) => {
    const message = endpointProblem(cloud[field], labels[field] ?? endpointLabels[field]);
    return message ? [{ field, message }] : [];
  });
}

/** The client-credentials scope for this cloud's Graph: `<graph resource>/.default`. */
export function graphScope(cloud: Cloud): string {
  return `${cloud.graphResource}/.default`;
}

/** The token endpoint msal will call for a tenant in this cloud. */
export function tokenEndpoint(cloud: Cloud, tenant: string): string {
  return `${cloud.authorityHost}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/** A link to a portal page or a documentation page, shown as a button. */
export interface PortalLink {
  readonly label: string;
  readonly url: string;
}

/** Portal pages of one app registration. */
export type AppPortalPage = 'overview' | 'api-permissions' | 'credentials';

const appBlade: Record<AppPortalPage, { blade: string; label: string }> = {
  overview: { blade: 'Overview', label: 'Open the app registration' },
  'api-permissions': { blade: 'CallAnAPI', label: 'Open API permissions' },
  credentials: { blade: 'Credentials', label: 'Open Certificates & secrets' },
};

/** Deep link to a page of one app registration (graph-facts §7; undocumented but widely used pattern). */
export function appPortalLink(cloud: Cloud, appId: string, page: AppPortalPage): PortalLink {
  const { blade, label } = appBlade[page];
  const id = encodeURIComponent(appId);
  return {
    label,
    url: `${cloud.portalHost}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${blade}/appId/${id}/isMSAApp~/false`,
  };
}

/** Deep link to the list of app registrations (where the tenant and app ids can be read). */
export function appRegistrationsLink(cloud: Cloud): PortalLink {
  return {
    label: 'Open App registrations',
    url: `${cloud.portalHost}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade/quickStartType~/null/sourceType/Microsoft_AAD_IAM`,
  };
}

function normaliseOrigin(value: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `https://${value}`;
  return stripTrailingSlash(withScheme);
}

function stripTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

function hostOf(origin: string): string {
  // URL exists in every runtime we target (Node, Chromium) without importing Node built-ins.
  try {
    return new URL(origin).hostname.toLowerCase();
  } catch {
    return origin.toLowerCase();
  }
}
