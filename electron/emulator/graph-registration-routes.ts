/**
 * Graph v1.0 as a signed-in admin (delegated token, `scp` claim) sees it for "Set it up for me": create, look up and
 * delete applications, add and remove their passwords, create service principals, find Microsoft Graph's, and grant
 * an application permission with `appRoleAssignedTo`. Each write checks the delegated scope and the admin's role
 * as Entra does (consent to Graph application permissions: Global Administrator or Privileged Role Administrator
 * only), new objects answer 404 until replicated, and a step can be made to fail (control `failRegistrationStep`).
 */
import { randomUUID } from 'node:crypto';
import { ROLE_TEMPLATE_IDS, type SignInSettings } from './delegated-auth';
import { graphServicePrincipalId } from './graph-app-routes';
import { graphError, type GraphResponse, type RequestIds } from './graph-errors';
import { verifyJwt, type SigningKey } from './jwt';
import { GRAPH_APP_ID, GRAPH_APP_ROLES } from './permissions';
import type { CreatedApp, TenantApps } from './tenant-apps';

/** The registration steps a failure can be injected at. */
export type RegistrationStep = 'application' | 'servicePrincipal' | 'consent' | 'secret';

/** What the delegated routes read and change. */
export interface RegistrationGraphState {
  readonly apps: TenantApps;
  readonly signIn: SignInSettings;
  readonly key: SigningKey;
  readonly tenantId: string;
  readonly graphRoot: string;
  readonly now: Date;
  readonly failStep: RegistrationStep | undefined;
  /** Counts of each registration route answered, by route name. */
  readonly counters: Record<string, number>;
}

interface Caller {
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const GUID = '([0-9a-fA-F-]{36})';
const APP_ADMINS = [ROLE_TEMPLATE_IDS['Global Administrator'], ROLE_TEMPLATE_IDS['Application Administrator']];
const CONSENT_ADMINS = [ROLE_TEMPLATE_IDS['Global Administrator'], ROLE_TEMPLATE_IDS['Privileged Role Administrator']];
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** True when the request carries a delegated token (the registration routes answer it). */
export function isDelegatedRequest(authorization: string | string[] | undefined): boolean {
  if (typeof authorization !== 'string') return false;
  const payload = authorization.replace(/^Bearer\s+/i, '').split('.')[1];
  if (!payload) return false;
  try {
    return typeof (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scp?: unknown }).scp === 'string';
  } catch {
    return false;
  }
}

/** Answers one delegated Graph request (`path` after `/v1.0`). */
export function handleRegistrationGraph(
  state: RegistrationGraphState,
  req: {
    method: string;
    path: string;
    params: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  },
): GraphResponse {
  const client = req.headers['client-request-id'];
  const ids: RequestIds = {
    requestId: randomUUID(),
    clientRequestId: typeof client === 'string' ? client : randomUUID(),
    now: state.now,
  };
  const answer = route(state, req, ids);
  answer.headers = {
    'content-type': JSON_TYPE,
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    ...answer.headers,
  };
  return answer;
}

function route(
  state: RegistrationGraphState,
  req: {
    method: string;
    path: string;
    params: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  },
  ids: RequestIds,
): GraphResponse {
  const token = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const verified = verifyJwt(state.key, token, Math.floor(state.now.getTime() / 1000));
  if (!verified.ok || verified.payload.tid !== state.tenantId) {
    return graphError(ids, 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  }
  const p = verified.payload;
  const caller: Caller = {
    userId: String(p.oid),
    scopes: String(p.scp).split(' '),
    roles: Array.isArray(p.wids) ? p.wids.map(String) : [],
  };
  const denied = () => graphError(ids, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const notFound = (id: string) =>
    graphError(
      ids,
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  const injected = () =>
    graphError(ids, 500, 'Service_InternalServerError', 'Encountered an internal server error (injected by the demo tenant).');
  let body: Record<string, unknown> = {};
  try {
    body = req.body.trim() ? (JSON.parse(req.body) as Record<string, unknown>) : {};
  } catch {
    return graphError(ids, 400, 'BadRequest', 'Unable to read JSON request payload.');
  }
  const { apps } = state;
  const bump = (name: string) => {
    state.counters[name] = (state.counters[name] ?? 0) + 1;
  };
  const canWriteApps = caller.scopes.includes('Application.ReadWrite.All');
  const visible = (key: string): CreatedApp | undefined => {
    const c = apps.find(key);
    return c && apps.replicated(c.visibleMs) ? c : undefined;
  };
  const ownerOrAdmin = (c: CreatedApp) => c.ownerId === caller.userId || caller.roles.some((r) => APP_ADMINS.includes(r));
  const { method, path } = req;
  let m: RegExpExecArray | null;

  if (path === '/applications' && method === 'GET') {
    bump('GET /applications');
    const filter = req.params.get('$filter') ?? '';
    const byName = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
    const byAppId = /^appId eq '([^']+)'$/.exec(filter);
    if (!byName && !byAppId) {
      return graphError(
        ids,
        400,
        'Request_UnsupportedQuery',
        "The demo tenant filters applications by displayName or appId eq '…' only.",
      );
    }
    const name = byName ? (byName[1] as string).replace(/''/g, "'") : undefined;
    const appId = byAppId?.[1]?.toLowerCase();
    const demo = appId !== undefined ? apps.demoByKey(appId) : undefined;
    const value = [...(demo ? [demo] : []), ...apps.created]
      .filter((c) => (name !== undefined ? c.app.displayName === name : c.app.appId === appId) && apps.replicated(c.visibleMs))
      .map(applicationJson);
    return ok(200, { '@odata.context': `${state.graphRoot}/v1.0/$metadata#applications`, value });
  }
  if (path === '/applications' && method === 'POST') {
    bump('POST /applications');
    if (!canWriteApps) return denied();
    const admin = caller.roles.some((r) => APP_ADMINS.includes(r));
    if (!admin && !state.signIn.usersCanRegisterApps) return denied();
    if (state.failStep === 'application') return injected();
    if (typeof body.displayName !== 'string' || !body.displayName.trim()) {
      return graphError(ids, 400, 'Request_BadRequest', "Property 'displayName' is required.");
    }
    const created = apps.create({
      displayName: body.displayName,
      notes: typeof body.notes === 'string' ? body.notes : '',
      signInAudience: typeof body.signInAudience === 'string' ? body.signInAudience : 'AzureADMyOrg',
      requiredResourceAccess: Array.isArray(body.requiredResourceAccess) ? body.requiredResourceAccess : [],
      ownerId: caller.userId,
    });
    return ok(201, applicationJson(created));
  }
  if ((m = new RegExp(`^/applications/${GUID}$`).exec(path))) {
    const key = m[1] as string;
    const c = visible(key);
    if (method === 'GET') {
      bump('GET /applications/{id}');
      const found = c ?? apps.demoByKey(key);
      return found ? ok(200, applicationJson(found)) : notFound(key);
    }
    if (method === 'DELETE') {
      bump('DELETE /applications/{id}');
      if (!c) return notFound(key);
      if (!canWriteApps || !ownerOrAdmin(c)) return denied();
      apps.remove(c.app.objectId);
      return ok(204, '');
    }
  }
  if ((m = new RegExp(`^/applications/${GUID}/(addPassword|removePassword)$`).exec(path)) && method === 'POST') {
    const key = m[1] as string;
    const action = m[2] as string;
    bump(`POST /applications/{id}/${action}`);
    const c = visible(key) ?? apps.demoByKey(key);
    if (!c) return notFound(key);
    if (!canWriteApps || !ownerOrAdmin(c)) return denied();
    if (action === 'addPassword') {
      if (state.failStep === 'secret') return injected();
      const cred = (body.passwordCredential ?? {}) as { displayName?: unknown; endDateTime?: unknown };
      const end = typeof cred.endDateTime === 'string' ? Date.parse(cred.endDateTime) : NaN;
      const days = Number.isFinite(end) ? (end - state.now.getTime()) / 86_400_000 : 730;
      const secret = c.app.addSecret(state.now, days, typeof cred.displayName === 'string' ? cred.displayName : '');
      return ok(200, {
        customKeyIdentifier: null,
        displayName: secret.displayName,
        endDateTime: secret.endDateTime,
        hint: secret.hint,
        keyId: secret.keyId,
        secretText: secret.secretText,
        startDateTime: secret.startDateTime,
      });
    }
    const keyId = typeof body.keyId === 'string' ? body.keyId : '';
    if (!c.app.removeSecret(keyId))
      return graphError(ids, 400, 'Request_BadRequest', `No password credential with keyId '${keyId}'.`);
    return ok(204, '');
  }
  if (path === '/servicePrincipals' && method === 'GET') {
    bump('GET /servicePrincipals');
    const byApp = /^appId eq '([^']+)'$/.exec(req.params.get('$filter') ?? '');
    if (!byApp)
      return graphError(ids, 400, 'Request_UnsupportedQuery', "The demo tenant filters servicePrincipals by appId eq '…' only.");
    const appId = (byApp[1] as string).toLowerCase();
    const value: unknown[] = [];
    if (appId === GRAPH_APP_ID) {
      value.push({ id: graphServicePrincipalId(state.tenantId), appId: GRAPH_APP_ID, displayName: 'Microsoft Graph' });
    } else {
      const c = visible(appId);
      if (c?.sp && apps.replicated(c.sp.visibleMs)) value.push(servicePrincipalJson(c));
    }
    return ok(200, { '@odata.context': `${state.graphRoot}/v1.0/$metadata#servicePrincipals`, value });
  }
  if (path === '/servicePrincipals' && method === 'POST') {
    bump('POST /servicePrincipals');
    if (!canWriteApps) return denied();
    const appId = typeof body.appId === 'string' ? body.appId : '';
    const c = visible(appId);
    if (!c) return notFound(appId);
    if (!ownerOrAdmin(c) && !state.signIn.usersCanRegisterApps) return denied();
    if (state.failStep === 'servicePrincipal') return injected();
    if (c.sp) return graphError(ids, 409, 'Request_MultipleObjectsWithSameKeyValue', 'The service principal already exists.');
    c.sp = { visibleMs: apps.visibleFrom() };
    return ok(201, servicePrincipalJson(c));
  }
  if ((m = new RegExp(`^/servicePrincipals/${GUID}/appRoleAssignedTo$`).exec(path)) && method === 'POST') {
    bump('POST /servicePrincipals/{id}/appRoleAssignedTo');
    const resourceId = (m[1] as string).toLowerCase();
    if (resourceId !== graphServicePrincipalId(state.tenantId)) return notFound(resourceId);
    if (!caller.scopes.includes('AppRoleAssignment.ReadWrite.All')) return denied();
    if (!caller.roles.some((r) => CONSENT_ADMINS.includes(r))) return denied();
    if (state.failStep === 'consent') return injected();
    const principalId = typeof body.principalId === 'string' ? body.principalId.toLowerCase() : '';
    const c = apps.find(principalId);
    if (!c || c.app.servicePrincipalId !== principalId || !c.sp || !apps.replicated(c.sp.visibleMs)) return notFound(principalId);
    const role = Object.entries(GRAPH_APP_ROLES).find(([, id]) => id === body.appRoleId)?.[0];
    if (!role || body.resourceId !== resourceId) {
      return graphError(ids, 400, 'Request_BadRequest', 'Permission being assigned was not found on application.');
    }
    c.app.grant([role]);
    return ok(201, {
      id: randomUUID(),
      appRoleId: body.appRoleId,
      principalId,
      principalType: 'ServicePrincipal',
      principalDisplayName: c.app.displayName,
      resourceId,
      resourceDisplayName: 'Microsoft Graph',
      createdDateTime: iso(state.now.getTime()),
    });
  }
  bump(`${method} (unknown delegated)`);
  return graphError(
    ids,
    403,
    'Authorization_RequestDenied',
    'The demo tenant serves delegated tokens for app registration only.',
  );
}

function ok(status: number, body: unknown): GraphResponse {
  return { status, headers: {}, body };
}

function applicationJson(c: CreatedApp): Record<string, unknown> {
  return {
    id: c.app.objectId,
    appId: c.app.appId,
    displayName: c.app.displayName,
    notes: c.notes,
    signInAudience: c.signInAudience,
    createdDateTime: iso(c.createdMs),
    requiredResourceAccess: c.requiredResourceAccess,
    passwordCredentials: c.app.passwordCredentials(),
  };
}

function servicePrincipalJson(c: CreatedApp): Record<string, unknown> {
  return {
    id: c.app.servicePrincipalId,
    appId: c.app.appId,
    displayName: c.app.displayName,
    servicePrincipalType: 'Application',
    accountEnabled: true,
  };
}
