/**
 * The `/rest/api/2` resources the sync uses, with the shapes of atlassian-facts.md (Jira): user JSON, the cursor
 * paging of `user/list`, the bare array of `user/search`, the `startAt/maxResults/total/isLast` paging of
 * `group/member`, `groups/picker`. Called after authentication; `actor` is the token's user.
 */
import { DEFAULT_APPLICATION, JiraFailure, messages, type JiraGroup, type JiraModel, type JiraUser } from './model';

export interface RestRequest {
  readonly method: string;
  /** The path after `/rest/api/2`, e.g. `/user/list`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly body: unknown;
  readonly actor: JiraUser;
  readonly actorIsAdmin: boolean;
}

export interface RestAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface RestContext {
  readonly model: JiraModel;
  /** e.g. `https://127.0.0.1:1234/jira` */
  readonly baseUrl: string;
  /** The emulated version, e.g. `10.3.6`; below 10.3 there is no `user/list`. */
  readonly version: readonly [number, number, number];
  /** Most results `user/search` returns in one call (10.x and 11.x cap it). */
  readonly searchCap: number;
  /** Most members per `group/member` page. */
  readonly memberPageCap: number;
  readonly now: () => Date;
}

const ADMIN_GROUPS = ['jira-administrators', 'jira-system-administrators'];

/** True when the user holds Jira's global Administer permission (through an administrators group). */
export function isAdmin(model: JiraModel, user: JiraUser): boolean {
  return ADMIN_GROUPS.some((name) => model.findGroup(name)?.members.has(user.key) ?? false);
}

const enc = encodeURIComponent;

export function userJson(ctx: RestContext, user: JiraUser, expandGroups = false): Record<string, unknown> {
  const avatar = (size: number) => `${ctx.baseUrl}/secure/useravatar?size=${size}&avatarId=10122`;
  const groups = ctx.model.groupsOf(user);
  return {
    self: `${ctx.baseUrl}/rest/api/2/user?username=${enc(user.name)}`,
    key: user.key,
    name: user.name,
    emailAddress: user.emailAddress,
    avatarUrls: { '48x48': avatar(48), '24x24': avatar(24), '16x16': avatar(16), '32x32': avatar(32) },
    displayName: user.displayName,
    active: user.active,
    deleted: false,
    timeZone: 'Etc/UTC',
    locale: 'en_US',
    groups: {
      size: groups.length,
      items: expandGroups
        ? groups.map((g) => ({ name: g.name, self: `${ctx.baseUrl}/rest/api/2/group?groupname=${enc(g.name)}` }))
        : [],
    },
    applicationRoles: { size: user.applicationKeys.size, items: [] },
    expand: 'groups,applicationRoles',
  };
}

function groupJson(ctx: RestContext, group: JiraGroup): Record<string, unknown> {
  return {
    name: group.name,
    self: `${ctx.baseUrl}/rest/api/2/group?groupname=${enc(group.name)}`,
    users: { size: group.members.size, items: [], 'max-results': 50, 'start-index': 0, 'end-index': 0 },
    expand: 'users',
  };
}

const intParam = (params: URLSearchParams, name: string, fallback: number): number => {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new JiraFailure(400, [`The '${name}' parameter must be a non-negative integer.`]);
  return n;
};

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) throw new JiraFailure(400, [`The '${name}' query parameter is required.`]);
  return value;
};

function userFrom(ctx: RestContext, params: URLSearchParams): JiraUser {
  const key = params.get('key');
  const name = params.get('username');
  if (!key && !name) throw new JiraFailure(400, ['Either the username or the key query parameter is required.']);
  const user = key ? ctx.model.findUserByKey(key) : ctx.model.findUser(name as string);
  if (!user) throw new JiraFailure(404, [messages.noUser(key ?? (name as string))]);
  return user;
}

function groupFrom(ctx: RestContext, params: URLSearchParams): JiraGroup {
  const name = required(params, 'groupname');
  const group = ctx.model.findGroup(name);
  if (!group) throw new JiraFailure(404, [messages.noGroup(name)]);
  return group;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new JiraFailure(400, ['Unrecognized or missing JSON body.']);
  }
  return body as Record<string, unknown>;
}

const optString = (b: Record<string, unknown>, k: string): string | undefined => {
  const v = b[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new JiraFailure(400, [], { [k]: `The field ${k} must be a string.` });
  return v;
};

const forbidden = () => new JiraFailure(403, ['The user does not have permission to complete this operation.']);

/** Whether the version has `GET /user/list` (10.3 LTS and 11.0+). */
export const hasUserList = (v: readonly [number, number, number]) => v[0] > 10 || (v[0] === 10 && v[1] >= 3);

/** Answers one REST call or throws a {@link JiraFailure}. */
export function handleRest(ctx: RestContext, req: RestRequest): RestAnswer {
  const { model } = ctx;
  const route = `${req.method} ${req.path}`;
  const adminOnly = () => {
    if (!req.actorIsAdmin) throw forbidden();
  };

  switch (route) {
    case 'GET /myself':
      return { status: 200, body: userJson(ctx, req.actor, true) };
    case 'GET /mypermissions': {
      const keys = (req.params.get('permissions') ?? '').split(',').filter(Boolean);
      if (keys.length === 0) throw new JiraFailure(400, ["The 'permissions' parameter is required."]);
      const permissions: Record<string, unknown> = {};
      for (const key of keys) {
        const known = key === 'ADMINISTER' || key === 'SYSTEM_ADMIN' || key === 'USER_PICKER';
        if (!known) throw new JiraFailure(404, [`No project could be found with key '${key}'.`]);
        permissions[key] = {
          id: key === 'ADMINISTER' ? '0' : key === 'SYSTEM_ADMIN' ? '44' : '27',
          key,
          name:
            key === 'ADMINISTER' ? 'Jira Administrators' : key === 'SYSTEM_ADMIN' ? 'Jira System Administrators' : 'Browse Users',
          type: 'GLOBAL',
          description: '',
          havePermission: key === 'USER_PICKER' || req.actorIsAdmin,
        };
      }
      return { status: 200, body: { permissions } };
    }
    case 'GET /user':
      return { status: 200, body: userJson(ctx, userFrom(ctx, req.params), (req.params.get('expand') ?? '').includes('groups')) };
    case 'POST /user': {
      adminOnly();
      const b = objectBody(req.body);
      const apps = b.applicationKeys;
      const user = model.createUser({
        name: optString(b, 'name') ?? '',
        ...(optString(b, 'emailAddress') !== undefined ? { emailAddress: optString(b, 'emailAddress') as string } : {}),
        ...(optString(b, 'displayName') !== undefined ? { displayName: optString(b, 'displayName') as string } : {}),
        ...(Array.isArray(apps) ? { applicationKeys: apps.map(String) } : {}),
      });
      return { status: 201, body: userJson(ctx, user) };
    }
    case 'PUT /user': {
      adminOnly();
      const user = userFrom(ctx, req.params);
      const b = objectBody(req.body);
      if (b.active !== undefined && typeof b.active !== 'boolean')
        throw new JiraFailure(400, [], { active: 'active must be true or false.' });
      const patch = {
        ...(optString(b, 'name') !== undefined ? { name: optString(b, 'name') as string } : {}),
        ...(optString(b, 'emailAddress') !== undefined ? { emailAddress: optString(b, 'emailAddress') as string } : {}),
        ...(optString(b, 'displayName') !== undefined ? { displayName: optString(b, 'displayName') as string } : {}),
        ...(typeof b.active === 'boolean' ? { active: b.active } : {}),
      };
      return { status: 200, body: userJson(ctx, model.updateUser(user, patch, req.actor.key)) };
    }
    case 'DELETE /user':
      adminOnly();
      model.deleteUser(userFrom(ctx, req.params), req.actor.key);
      return { status: 204 };
    case 'GET /user/list': {
      if (!hasUserList(ctx.version)) throw new JiraFailure(404, []);
      adminOnly();
      const maxResults = Math.min(intParam(req.params, 'maxResults', 2000), 2000) || 2000;
      // The cursor is the last key of the previous page; an unknown one simply continues after it (never 404).
      const after = req.params.get('cursor') ? Buffer.from(req.params.get('cursor') as string, 'base64url').toString() : '';
      const sorted = model.sortedKeys();
      let from = 0;
      for (let hi = sorted.length; from < hi;) {
        const mid = (from + hi) >>> 1;
        if ((sorted[mid] as string) > after) hi = mid;
        else from = mid + 1;
      }
      const page = sorted.slice(from, from + maxResults);
      const isLast = from + page.length >= sorted.length;
      const last = page.at(-1);
      const nextCursor = !isLast && last ? Buffer.from(last).toString('base64url') : undefined;
      return {
        status: 200,
        body: {
          self: `${ctx.baseUrl}/rest/api/2/user/list?maxResults=${maxResults}`,
          maxResults,
          values: page.map((k) => userJson(ctx, model.findUserByKey(k) as JiraUser)),
          isLast,
          ...(nextCursor
            ? { nextCursor, nextPage: `${ctx.baseUrl}/rest/api/2/user/list?cursor=${nextCursor}&maxResults=${maxResults}` }
            : {}),
        },
      };
    }
    case 'GET /user/search': {
      const query = (req.params.get('username') ?? '').toLocaleLowerCase('en-US');
      if (!query) throw new JiraFailure(400, ['The username query parameter was not provided']);
      const startAt = intParam(req.params, 'startAt', 0);
      const maxResults = Math.min(intParam(req.params, 'maxResults', 50) || 50, ctx.searchCap);
      const includeActive = req.params.get('includeActive') !== 'false';
      const includeInactive = req.params.get('includeInactive') === 'true';
      // "." matches everyone, as on a real instance; otherwise a prefix of username, display name or e-mail.
      const matches = [...model.users.values()].filter(
        (u) =>
          (u.active ? includeActive : includeInactive) &&
          (query === '.' || [u.name, u.displayName, u.emailAddress].some((f) => f.toLocaleLowerCase('en-US').startsWith(query))),
      );
      return { status: 200, body: matches.slice(startAt, startAt + maxResults).map((u) => userJson(ctx, u)) };
    }
    case 'POST /user/application':
    case 'DELETE /user/application': {
      adminOnly();
      const user = userFrom(ctx, req.params);
      model.setApplicationAccess(user, req.params.get('applicationKey') ?? DEFAULT_APPLICATION, req.method === 'POST');
      return { status: 200 };
    }
    case 'POST /group': {
      adminOnly();
      const name = optString(objectBody(req.body), 'name') ?? '';
      return { status: 201, body: groupJson(ctx, model.createGroup(name)) };
    }
    case 'DELETE /group': {
      adminOnly();
      const group = groupFrom(ctx, req.params);
      if (ADMIN_GROUPS.includes(group.name)) throw new JiraFailure(400, [`You cannot delete the group '${group.name}'.`]);
      model.deleteGroup(group);
      return { status: 200 };
    }
    case 'GET /group/member': {
      adminOnly();
      const group = groupFrom(ctx, req.params);
      const startAt = intParam(req.params, 'startAt', 0);
      const maxResults = Math.min(intParam(req.params, 'maxResults', 50), ctx.memberPageCap);
      const includeInactive = req.params.get('includeInactiveUsers') === 'true';
      const members = [...group.members]
        .map((k) => model.findUserByKey(k) as JiraUser)
        .filter((u) => includeInactive || u.active);
      const page = members.slice(startAt, startAt + maxResults);
      return {
        status: 200,
        body: {
          self: `${ctx.baseUrl}/rest/api/2/group/member?groupname=${enc(group.name)}&startAt=${startAt}&maxResults=${maxResults}`,
          ...(startAt + page.length < members.length
            ? {
                nextPage: `${ctx.baseUrl}/rest/api/2/group/member?groupname=${enc(group.name)}&startAt=${startAt + page.length}&maxResults=${maxResults}`,
              }
            : {}),
          maxResults,
          startAt,
          total: members.length,
          isLast: startAt + page.length >= members.length,
          values: page.map((u) => ({
            self: `${ctx.baseUrl}/rest/api/2/user?username=${enc(u.name)}`,
            name: u.name,
            key: u.key,
            emailAddress: u.emailAddress,
            displayName: u.displayName,
            active: u.active,
            timeZone: 'Etc/UTC',
          })),
        },
      };
    }
    case 'POST /group/user': {
      adminOnly();
      const group = groupFrom(ctx, req.params);
      const name = optString(objectBody(req.body), 'name');
      if (!name) throw new JiraFailure(400, [], { name: 'You must specify the name of the user to add.' });
      const user = model.findUser(name);
      if (!user) throw new JiraFailure(404, [messages.noUser(name)]);
      model.addMember(group, user);
      return { status: 201, body: groupJson(ctx, group) };
    }
    case 'DELETE /group/user': {
      adminOnly();
      const group = groupFrom(ctx, req.params);
      const user = userFrom(ctx, new URLSearchParams({ username: required(req.params, 'username') }));
      model.removeMember(group, user);
      return { status: 200 };
    }
    case 'GET /groups/picker': {
      const query = (req.params.get('query') ?? '').toLocaleLowerCase('en-US');
      const max = Math.min(intParam(req.params, 'maxResults', 20) || 20, 100);
      const all = [...model.groups].filter((g) => g.name.toLocaleLowerCase('en-US').includes(query));
      const shown = all.slice(0, max);
      return {
        status: 200,
        body: {
          header: `Showing ${shown.length} of ${all.length} matching groups`,
          total: all.length,
          groups: shown.map((g) => ({ name: g.name, html: g.name, labels: [] })),
        },
      };
    }
    default:
      throw new JiraFailure(404, []);
  }
}
