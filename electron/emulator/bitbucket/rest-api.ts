/**
 * The `/rest/api/latest` (= `/rest/api/1.0`) resources the sync uses, with the shapes of atlassian-facts.md
 * (Bitbucket): the `{size, limit, start, isLastPage, nextPageStart, values}` pages (default limit 25, at most
 * `maxPageLimit`), user creation by query parameters answered 204 without a body, `PUT admin/users` for details,
 * group membership through `groups/add-users` (200 only when all were added) and `users/remove-group`, and the
 * global permissions that license users. Called after authentication; `actor` is the signed-in user.
 */
import {
  BitbucketFailure,
  globalPermissions,
  messages,
  slugOf,
  type BitbucketGroup,
  type BitbucketModel,
  type BitbucketUser,
  type GlobalPermission,
} from './model';

export interface RestRequest {
  readonly method: string;
  /** The path after `/rest/api/latest`, e.g. `/admin/users`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly body: unknown;
  readonly actor: BitbucketUser;
  /** Signed in with an HTTP access token rather than a password (tokens cannot hold ADMIN). */
  readonly viaToken: boolean;
}

export interface RestAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface RestContext {
  readonly model: BitbucketModel;
  /** e.g. `https://127.0.0.1:1234/bitbucket` */
  readonly baseUrl: string;
  readonly version: string;
  readonly maxPageLimit: number;
  /** The status of a refusal for want of a permission: 401 (`AuthorisationException`, as seen) or 403. */
  readonly deniedStatus: 401 | 403;
  readonly addUsers: AddUsersBehaviour;
}

/**
 * How `groups/add-users` ends when one of its users is refused part-way (read-only, licence limit): Bitbucket
 * answers 200 only when all were added, and does not say whether those before the refused one stay (`partial`, the
 * default) or were rolled back with it (`atomic`); the facts leave it open, so a test can ask for either.
 */
export interface AddUsersBehaviour {
  atomic: boolean;
  /** The next call adds this many of its users, then fails with a 500 (a node dying mid-call). */
  crashAfter: number | null;
  /** Called at that crash (the emulator then answers 500 to everything until its faults are cleared). */
  onCrash: () => void;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const validation = 'com.atlassian.bitbucket.validation.ArgumentValidationException';
const notPermitted = (status: 401 | 403) =>
  new BitbucketFailure(status, 'You are not permitted to access this resource', 'com.atlassian.bitbucket.AuthorisationException');

/** True when the user holds ADMIN or SYS_ADMIN. */
export function isAdmin(model: BitbucketModel, user: BitbucketUser): boolean {
  const p = model.permissionOf(user);
  return p === 'ADMIN' || p === 'SYS_ADMIN';
}

function userJson(ctx: RestContext, u: BitbucketUser, detailed: boolean): Record<string, unknown> {
  const base = {
    name: u.name,
    emailAddress: u.emailAddress,
    active: true,
    displayName: u.displayName,
    id: u.id,
    slug: slugOf(u.name),
    type: u.type,
    links: { self: [{ href: `${ctx.baseUrl}/users/${slugOf(u.name)}` }] },
  };
  if (!detailed) return base;
  const mutable = !ctx.model.isReadOnly(u);
  return {
    ...base,
    directoryName: ctx.model.directoryName(u),
    deletable: mutable,
    mutableDetails: mutable,
    mutableGroups: mutable,
  };
}

const groupJson = (g: BitbucketGroup) => ({ name: g.name, deletable: true });

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new BitbucketFailure(400, `${name} must be a non-negative integer.`, validation, name);
  return n;
}

/** One page of `all`, Bitbucket's way. */
function page<T>(ctx: RestContext, params: URLSearchParams, all: readonly T[], map: (t: T) => unknown) {
  const start = intParam(params, 'start', 0);
  const limit = Math.min(intParam(params, 'limit', 25) || 25, ctx.maxPageLimit);
  const values = all.slice(start, start + limit);
  const isLastPage = start + values.length >= all.length;
  return {
    size: values.length,
    limit,
    start,
    isLastPage,
    values: values.map(map),
    ...(isLastPage ? {} : { nextPageStart: start + values.length }),
  };
}

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) throw new BitbucketFailure(400, `The ${name} parameter is required.`, validation, name);
  return value;
};

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new BitbucketFailure(400, 'A JSON object body is required.', validation);
  }
  return body as Record<string, unknown>;
}

const str = (b: Record<string, unknown>, k: string): string | undefined =>
  typeof b[k] === 'string' ? (b[k] as string) : undefined;

function mustUser(ctx: RestContext, name: string): BitbucketUser {
  const u = ctx.model.findUser(name);
  if (!u) throw new BitbucketFailure(404, messages.noUser(name), 'com.atlassian.bitbucket.user.NoSuchUserException');
  return u;
}

function mustGroup(ctx: RestContext, name: string): BitbucketGroup {
  const g = ctx.model.findGroup(name);
  if (!g) throw new BitbucketFailure(404, messages.noGroup(name), 'com.atlassian.bitbucket.user.NoSuchGroupException');
  return g;
}

/** Adds `users` in order; a refusal or a crash part-way keeps or rolls back the ones before it ({@link AddUsersBehaviour}). */
function addUsers(ctx: RestContext, group: BitbucketGroup, users: readonly BitbucketUser[]): void {
  const behaviour = ctx.addUsers;
  const added: BitbucketUser[] = [];
  const failed = (failure: BitbucketFailure) => {
    if (behaviour.atomic) for (const u of added) ctx.model.removeMember(group, u);
    return failure;
  };
  for (const [n, u] of users.entries()) {
    if (behaviour.crashAfter !== null && n >= behaviour.crashAfter) {
      behaviour.crashAfter = null;
      behaviour.onCrash();
      throw failed(new BitbucketFailure(500, 'An unexpected error occurred.'));
    }
    const before = group.members.has(u.id);
    try {
      ctx.model.addMember(group, u);
    } catch (error) {
      throw error instanceof BitbucketFailure ? failed(error) : error;
    }
    if (!before) added.push(u);
  }
}

const matches = (filter: string, ...fields: string[]) => !filter || fields.some((f) => lower(f).includes(filter));

/** Answers one REST call or throws a {@link BitbucketFailure}. */
export function handleRest(ctx: RestContext, req: RestRequest): RestAnswer {
  const { model } = ctx;
  const filter = lower(req.params.get('filter') ?? '');
  if (req.path.startsWith('/admin/')) {
    // BSERV-10482: an HTTP access token cannot hold global ADMIN, so every admin resource refuses it.
    if (req.viaToken) {
      throw new BitbucketFailure(
        401,
        'Tokens may not have the following permission: ADMIN',
        'com.atlassian.bitbucket.AuthorisationException',
      );
    }
    if (!isAdmin(model, req.actor)) throw notPermitted(ctx.deniedStatus);
  }
  const userMatch = /^\/users\/([^/]+)$/.exec(req.path);
  if (req.method === 'GET' && userMatch) {
    const slug = decodeURIComponent(userMatch[1] as string);
    const u = model.sortedUsers().find((x) => slugOf(x.name) === lower(slug));
    if (!u) throw new BitbucketFailure(404, `User ${slug} does not exist.`, 'com.atlassian.bitbucket.user.NoSuchUserException');
    return { status: 200, body: userJson(ctx, u, false) };
  }

  switch (`${req.method} ${req.path}`) {
    case 'GET /admin/users': {
      const all = model.sortedUsers().filter((u) => matches(filter, u.name, u.displayName, u.emailAddress));
      return { status: 200, body: page(ctx, req.params, all, (u) => userJson(ctx, u, true)) };
    }
    case 'POST /admin/users': {
      // Query parameters, no body; a password unless the server mails an invitation (notify=true).
      const name = required(req.params, 'name');
      const notify = req.params.get('notify') === 'true';
      if (!notify && !req.params.get('password')) {
        throw new BitbucketFailure(400, 'A password is required when notify is false.', validation, 'password');
      }
      if (notify)
        throw new BitbucketFailure(400, 'No mail server is configured, so the user cannot be notified.', validation, 'notify');
      model.createUser(
        {
          name,
          displayName: req.params.get('displayName') ?? name,
          ...(req.params.get('emailAddress') ? { emailAddress: req.params.get('emailAddress') as string } : {}),
        },
        req.params.get('addToDefaultGroup') !== 'false',
      );
      return { status: 204 };
    }
    case 'PUT /admin/users': {
      const b = objectBody(req.body);
      const u = mustUser(ctx, str(b, 'name') ?? '');
      const patch = {
        ...(str(b, 'displayName') !== undefined ? { displayName: str(b, 'displayName') as string } : {}),
        ...(str(b, 'email') !== undefined ? { email: str(b, 'email') as string } : {}),
      };
      return { status: 200, body: userJson(ctx, model.updateUser(u, patch), true) };
    }
    case 'POST /admin/users/rename': {
      const b = objectBody(req.body);
      const u = mustUser(ctx, str(b, 'name') ?? '');
      const newName = str(b, 'newName');
      if (!newName) throw new BitbucketFailure(400, 'newName is required.', validation, 'newName');
      return { status: 200, body: userJson(ctx, model.renameUser(u, newName), true) };
    }
    case 'DELETE /admin/users': {
      const u = mustUser(ctx, required(req.params, 'name'));
      const json = userJson(ctx, u, true);
      model.deleteUser(u, req.actor.id);
      return { status: 200, body: json };
    }
    case 'GET /admin/groups': {
      const all = model.groups.filter((g) => matches(filter, g.name));
      return { status: 200, body: page(ctx, req.params, all, groupJson) };
    }
    case 'POST /admin/groups':
      return { status: 200, body: groupJson(model.createGroup(required(req.params, 'name'))) };
    case 'DELETE /admin/groups': {
      const g = mustGroup(ctx, required(req.params, 'name'));
      model.deleteGroup(g, req.actor);
      return { status: 200, body: groupJson(g) };
    }
    case 'GET /admin/groups/more-members': {
      const g = mustGroup(ctx, required(req.params, 'context'));
      const all = [...g.members]
        .map((id) => model.userById(id) as BitbucketUser)
        .filter((u) => matches(filter, u.name, u.displayName, u.emailAddress))
        .sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1));
      return { status: 200, body: page(ctx, req.params, all, (u) => userJson(ctx, u, true)) };
    }
    case 'GET /admin/users/more-members': {
      const u = mustUser(ctx, required(req.params, 'context'));
      const all = model.groupsOf(u).filter((g) => matches(filter, g.name));
      return { status: 200, body: page(ctx, req.params, all, groupJson) };
    }
    case 'POST /admin/groups/add-users': {
      const b = objectBody(req.body);
      const g = mustGroup(ctx, str(b, 'group') ?? '');
      const names = Array.isArray(b.users) ? b.users.map(String) : [];
      if (names.length === 0) throw new BitbucketFailure(400, 'At least one user is required.', validation, 'users');
      // Every user is looked up before any is added (an unknown one is a 404 that changes nothing).
      addUsers(
        ctx,
        g,
        names.map((n) => mustUser(ctx, n)),
      );
      return { status: 200 };
    }
    case 'POST /admin/users/add-groups': {
      const b = objectBody(req.body);
      const u = mustUser(ctx, str(b, 'user') ?? '');
      const names = Array.isArray(b.groups) ? b.groups.map(String) : [];
      if (names.length === 0) throw new BitbucketFailure(400, 'At least one group is required.', validation, 'groups');
      const groups = names.map((n) => mustGroup(ctx, n));
      for (const g of groups) model.addMember(g, u);
      return { status: 200 };
    }
    case 'POST /admin/users/remove-group': {
      const b = objectBody(req.body);
      const u = mustUser(ctx, str(b, 'context') ?? '');
      model.removeMember(mustGroup(ctx, str(b, 'itemName') ?? ''), u);
      return { status: 200 };
    }
    case 'GET /admin/permissions/groups': {
      const wanted = req.params.get('permission') as GlobalPermission | null;
      if (wanted && !globalPermissions.includes(wanted)) {
        throw new BitbucketFailure(400, `Unknown permission ${wanted}.`, validation, 'permission');
      }
      const all = [...model.groupPermissions]
        .filter(([name, p]) => matches(filter, name) && (!wanted || p === wanted))
        .map(([name, p]) => ({ name: model.findGroup(name)?.name ?? name, p }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        status: 200,
        body: page(ctx, req.params, all, (x) => ({ group: { name: x.name, deletable: true }, permission: x.p })),
      };
    }
    case 'GET /admin/permissions/users': {
      const all = [...model.userPermissions]
        .map(([id, p]) => ({ u: model.userById(id) as BitbucketUser, p }))
        .filter((x) => matches(filter, x.u.name))
        .sort((a, b) => (lower(a.u.name) < lower(b.u.name) ? -1 : 1));
      return { status: 200, body: page(ctx, req.params, all, (x) => ({ user: userJson(ctx, x.u, false), permission: x.p })) };
    }
    default:
      throw new BitbucketFailure(404, `No resource at ${req.path}.`, 'com.sun.jersey.api.NotFoundException');
  }
}
