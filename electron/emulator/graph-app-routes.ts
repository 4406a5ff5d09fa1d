/**
 * Graph routes about the application itself: its registration with passwordCredentials, the service principals
 * (its own and Microsoft Graph's, with app roles), its app role assignments, and the organization.
 */
import { parseSelect, queryOption } from './odata';
import { GRAPH_APP_ID, GRAPH_APP_ROLES } from './permissions';
import { context, notFound, type Route, type RouteContext } from './route-kit';

function applicationBody(ctx: RouteContext, select: string[] | undefined): Record<string, unknown> {
  const app = ctx.app;
  const all: Record<string, unknown> = {
    id: app.objectId,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: '2024-01-15T09:30:00Z',
    keyCredentials: [],
    passwordCredentials: app.passwordCredentials(),
    requiredResourceAccess: [
      { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_APP_ROLES['Directory.Read.All'], type: 'Role' }] },
    ],
  };
  if (!select) return { '@odata.context': context(ctx, 'applications/$entity'), ...all };
  const out: Record<string, unknown> = { '@odata.context': context(ctx, `applications(${select.join(',')})/$entity`) };
  for (const name of select) out[name] = all[name] ?? null;
  return out;
}

const APP_PROPS = new Map(
  [
    'id',
    'appId',
    'displayName',
    'signInAudience',
    'createdDateTime',
    'keyCredentials',
    'passwordCredentials',
    'requiredResourceAccess',
  ].map((n) => [n.toLowerCase(), n]),
);
const SP_PROPS = new Map(
  ['id', 'appId', 'displayName', 'appRoles', 'servicePrincipalType', 'accountEnabled', 'appOwnerOrganizationId'].map((n) => [
    n.toLowerCase(),
    n,
  ]),
);

function servicePrincipalBody(ctx: RouteContext, appId: string, select: string[] | undefined): Record<string, unknown> {
  const isGraph = appId === GRAPH_APP_ID;
  const all: Record<string, unknown> = isGraph
    ? {
        id: graphServicePrincipalId(ctx.tenantId),
        appId: GRAPH_APP_ID,
        displayName: 'Microsoft Graph',
        servicePrincipalType: 'Application',
        accountEnabled: true,
        appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
        appRoles: Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({
          allowedMemberTypes: ['Application'],
          description: `Allows the app to ${value} without a signed-in user.`,
          displayName: value,
          id,
          isEnabled: true,
          origin: 'Application',
          value,
        })),
      }
    : {
        id: ctx.app.servicePrincipalId,
        appId: ctx.app.appId,
        displayName: ctx.app.displayName,
        servicePrincipalType: 'Application',
        accountEnabled: ctx.app.enabled,
        appOwnerOrganizationId: ctx.tenantId,
        appRoles: [],
      };
  const out: Record<string, unknown> = { '@odata.context': context(ctx, 'servicePrincipals/$entity') };
  for (const name of select ?? Object.keys(all)) out[name] = all[name] ?? null;
  return out;
}

/** A stable id for the tenant's Microsoft Graph service principal. */
export function graphServicePrincipalId(tenantId: string): string {
  return `${tenantId.slice(0, 24)}00000003c000`;
}

const GUID = '([0-9a-fA-F-]{36})';
const APPID = "\\(appId='([^']+)'\\)";

/** Routes about the application and the tenant, matched after the directory routes. */
export const APP_ROUTES: readonly Route[] = [
  {
    name: "GET /applications(appId='…')",
    pattern: new RegExp(`^/applications(?:${APPID}|/${GUID})$`),
    access: 'applications',
    family: 'applications',
    handle(ctx, m) {
      const key = (m[1] ?? m[2] ?? '').toLowerCase();
      if (key !== ctx.app.appId && key !== ctx.app.objectId) throw notFound(key);
      return { body: applicationBody(ctx, parseSelect(queryOption(ctx.params, 'select'), APP_PROPS, 'application')) };
    },
  },
  {
    name: "GET /servicePrincipals(appId='…')",
    pattern: new RegExp(`^/servicePrincipals(?:${APPID}|/${GUID})$`),
    access: 'applications',
    family: 'other',
    handle(ctx, m) {
      const key = (m[1] ?? m[2] ?? '').toLowerCase();
      const select = parseSelect(queryOption(ctx.params, 'select'), SP_PROPS, 'servicePrincipal');
      if (key === GRAPH_APP_ID || key === graphServicePrincipalId(ctx.tenantId))
        return { body: servicePrincipalBody(ctx, GRAPH_APP_ID, select) };
      if (key === ctx.app.appId || key === ctx.app.servicePrincipalId)
        return { body: servicePrincipalBody(ctx, ctx.app.appId, select) };
      throw notFound(key);
    },
  },
  {
    name: 'GET /servicePrincipals/{id}/appRoleAssignments',
    pattern: new RegExp(`^/servicePrincipals(?:${APPID}|/${GUID})/appRoleAssignments$`),
    access: 'applications',
    family: 'other',
    handle(ctx, m) {
      const key = (m[1] ?? m[2] ?? '').toLowerCase();
      if (key !== ctx.app.appId && key !== ctx.app.servicePrincipalId) throw notFound(key);
      const value = ctx.app.grantedRoles.map((role, i) => ({
        id: `${ctx.app.servicePrincipalId.slice(0, 30)}${String(i).padStart(6, '0')}`,
        appRoleId: GRAPH_APP_ROLES[role],
        principalDisplayName: ctx.app.displayName,
        principalId: ctx.app.servicePrincipalId,
        principalType: 'ServicePrincipal',
        resourceDisplayName: 'Microsoft Graph',
        resourceId: graphServicePrincipalId(ctx.tenantId),
      }));
      return { body: { '@odata.context': context(ctx, 'appRoleAssignments'), value } };
    },
  },
  {
    name: 'GET /organization',
    pattern: /^\/organization$/,
    access: 'organization',
    family: 'other',
    handle(ctx) {
      return {
        body: {
          '@odata.context': context(ctx, 'organization'),
          value: [
            {
              id: ctx.tenantId,
              displayName: ctx.tenantName,
              verifiedDomains: [
                {
                  capabilities: 'Email, OfficeCommunicationsOnlineService',
                  isDefault: true,
                  isInitial: true,
                  name: ctx.tenantDomain,
                  type: 'Managed',
                },
              ],
            },
          ],
        },
      };
    },
  },
];
