/**
 * The `/rest/usermanagement/1` resources the sync uses, with the shapes of atlassian-facts.md (Crowd): the user
 * entity with hyphenated field names, `search` paged by `start-index`/`max-results` with no total (a short page is
 * the end), direct group members and child groups, Crowd's `{reason, message}` errors. Called after the application
 * authenticated and passed the address check.
 */
import { CrowdFailure, type CrowdGroup, type CrowdModel, type CrowdUser } from './model';

export interface RestRequest {
  readonly method: string;
  /** The path after `/rest/usermanagement/1`, e.g. `/group/user/direct`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly body: unknown;
  /** Whether the application may write (its directory permissions); reads are always allowed. */
  readonly canWrite: boolean;
  readonly applicationName: string;
}

export interface RestAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface RestContext {
  readonly model: CrowdModel;
  /** e.g. `https://127.0.0.1:1234/crowd/rest/usermanagement/1` */
  readonly apiBase: string;
  /** Most results per search page (Crowd caps `max-results`). */
  readonly searchCap: number;
}

const enc = encodeURIComponent;

export function userJson(ctx: RestContext, u: CrowdUser): Record<string, unknown> {
  const self = `${ctx.apiBase}/user?username=${enc(u.name)}`;
  return {
    expand: 'attributes',
    link: { href: self, rel: 'self' },
    name: u.name,
    'first-name': u.firstName,
    'last-name': u.lastName,
    'display-name': u.displayName,
    email: u.email,
    password: { link: { href: `${ctx.apiBase}/user/password?username=${enc(u.name)}`, rel: 'edit' } },
    key: u.key,
    active: u.active,
    attributes: { link: { href: `${ctx.apiBase}/user/attribute?username=${enc(u.name)}`, rel: 'self' } },
    'created-date': u.createdMs,
    'updated-date': u.updatedMs,
  };
}

function groupJson(ctx: RestContext, g: CrowdGroup): Record<string, unknown> {
  return {
    expand: 'attributes',
    link: { href: `${ctx.apiBase}/group?groupname=${enc(g.name)}`, rel: 'self' },
    name: g.name,
    description: g.description,
    type: 'GROUP',
    active: g.active,
    attributes: { link: { href: `${ctx.apiBase}/group/attribute?groupname=${enc(g.name)}`, rel: 'self' } },
  };
}

const userRef = (ctx: RestContext, u: CrowdUser) => ({
  link: { href: `${ctx.apiBase}/user?username=${enc(u.name)}`, rel: 'self' },
  name: u.name,
});
const groupRef = (ctx: RestContext, g: CrowdGroup) => ({
  link: { href: `${ctx.apiBase}/group?groupname=${enc(g.name)}`, rel: 'self' },
  name: g.name,
});

const intParam = (params: URLSearchParams, name: string, fallback: number): number => {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new CrowdFailure(400, 'ILLEGAL_ARGUMENT', `'${name}' must be a non-negative integer.`);
  return n;
};

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) throw new CrowdFailure(400, 'ILLEGAL_ARGUMENT', `The '${name}' query parameter is required.`);
  return value;
};

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CrowdFailure(400, 'ILLEGAL_ARGUMENT', 'A JSON object body is required.');
  }
  return body as Record<string, unknown>;
}

const str = (b: Record<string, unknown>, k: string): string => (typeof b[k] === 'string' ? (b[k] as string) : '');

/**
 * A restriction as the sync sends it: `attr = "value"` (case-insensitive, `name` and `email`), or none. Crowd's CQL
 * has more (and, or, wildcards); an unknown one is a 400 here, as a syntax error is there.
 */
function matcher(restriction: string | null): (values: Record<string, string>) => boolean {
  if (!restriction || !restriction.trim()) return () => true;
  const m = /^\s*([a-z-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/i.exec(restriction);
  if (!m) throw new CrowdFailure(400, 'ILLEGAL_ARGUMENT', `Unsupported restriction: ${restriction}`);
  const attr = (m[1] as string).toLowerCase();
  const value = (m[2] as string).replace(/\\(.)/g, '$1').toLocaleLowerCase('en-US');
  return (values) => (values[attr] ?? '').toLocaleLowerCase('en-US') === value;
}

const denied = (app: string) =>
  new CrowdFailure(
    403,
    'APPLICATION_PERMISSION_DENIED',
    `Application '${app}' does not have permission to modify users or groups in its directories.`,
  );

/** Answers one REST call or throws a {@link CrowdFailure}. */
export function handleRest(ctx: RestContext, req: RestRequest): RestAnswer {
  const { model } = ctx;
  const write = () => {
    if (!req.canWrite) throw denied(req.applicationName);
  };
  const page = <T>(all: T[]) => {
    const start = intParam(req.params, 'start-index', 0);
    const max = Math.min(intParam(req.params, 'max-results', 1000) || 1000, ctx.searchCap);
    return all.slice(start, start + max);
  };

  switch (`${req.method} ${req.path}`) {
    case 'GET /user':
      return { status: 200, body: userJson(ctx, model.mustUser(required(req.params, 'username'))) };
    case 'POST /user': {
      write();
      const b = objectBody(req.body);
      const password = (b.password as { value?: unknown } | undefined)?.value;
      if (typeof password !== 'string' || !password) {
        throw new CrowdFailure(400, 'INVALID_USER', 'A password is required to create a user.');
      }
      const user = model.createUser({
        name: str(b, 'name'),
        firstName: str(b, 'first-name'),
        lastName: str(b, 'last-name'),
        displayName: str(b, 'display-name'),
        email: str(b, 'email'),
        active: typeof b.active === 'boolean' ? b.active : true,
      });
      return {
        status: 201,
        headers: { location: `${ctx.apiBase}/user?username=${enc(user.name)}` },
        body: userJson(ctx, user),
      };
    }
    case 'PUT /user': {
      write();
      const user = model.mustUser(required(req.params, 'username'));
      const b = objectBody(req.body);
      if (str(b, 'name').toLocaleLowerCase('en-US') !== user.name.toLocaleLowerCase('en-US')) {
        throw new CrowdFailure(400, 'INVALID_USER', `The user name in the body must be <${user.name}>.`);
      }
      // The whole user is replaced: what the body leaves out is blanked (Atlassian KB), as on a real Crowd.
      model.replaceUser(user, {
        firstName: str(b, 'first-name'),
        lastName: str(b, 'last-name'),
        displayName: str(b, 'display-name'),
        email: str(b, 'email'),
        active: typeof b.active === 'boolean' ? b.active : undefined,
      });
      return { status: 204 };
    }
    case 'POST /user/rename': {
      write();
      const user = model.mustUser(required(req.params, 'username'));
      model.renameUser(user, str(objectBody(req.body), 'new-name'));
      return { status: 200, body: userJson(ctx, user) };
    }
    case 'DELETE /user':
      write();
      model.deleteUser(model.mustUser(required(req.params, 'username')));
      return { status: 204 };
    case 'GET /user/group/direct': {
      // Crowd's known bug: an unknown user answers 200 with no groups instead of 404.
      const user = model.findUser(required(req.params, 'username'));
      const groups = user ? model.groupsOf(user).map((n) => model.findGroup(n) as CrowdGroup) : [];
      return { status: 200, body: { expand: 'group', groups: page(groups).map((g) => groupRef(ctx, g)) } };
    }
    case 'GET /search': {
      const type = req.params.get('entity-type');
      const expand = (req.params.get('expand') ?? '').split(',');
      const match = matcher(req.params.get('restriction'));
      if (type === 'user') {
        const all = [...model.users.values()].filter((u) =>
          match({ name: u.name, email: u.email, 'display-name': u.displayName, active: String(u.active) }),
        );
        const shown = page(all);
        return {
          status: 200,
          body: { expand: 'user', users: shown.map((u) => (expand.includes('user') ? userJson(ctx, u) : userRef(ctx, u))) },
        };
      }
      if (type === 'group') {
        const all = [...model.groups.values()].filter((g) => match({ name: g.name, description: g.description }));
        const shown = page(all);
        return {
          status: 200,
          body: {
            expand: 'group',
            groups: shown.map((g) => (expand.includes('group') ? groupJson(ctx, g) : groupRef(ctx, g))),
          },
        };
      }
      throw new CrowdFailure(400, 'ILLEGAL_ARGUMENT', `entity-type must be user or group, not '${type ?? ''}'.`);
    }
    case 'GET /group':
      return { status: 200, body: groupJson(ctx, model.mustGroup(required(req.params, 'groupname'))) };
    case 'POST /group': {
      write();
      const b = objectBody(req.body);
      if (b.type !== undefined && b.type !== 'GROUP') {
        throw new CrowdFailure(400, 'INVALID_GROUP', 'Only groups of type GROUP can be created.');
      }
      const group = model.createGroup(str(b, 'name'), str(b, 'description'));
      if (b.active === false) group.active = false;
      return {
        status: 201,
        headers: { location: `${ctx.apiBase}/group?groupname=${enc(group.name)}` },
        body: groupJson(ctx, group),
      };
    }
    case 'PUT /group': {
      write();
      const group = model.mustGroup(required(req.params, 'groupname'));
      const b = objectBody(req.body);
      if (str(b, 'name').toLocaleLowerCase('en-US') !== group.name.toLocaleLowerCase('en-US')) {
        throw new CrowdFailure(400, 'INVALID_GROUP', `The group name in the body must be <${group.name}>.`);
      }
      model.replaceGroup(group, str(b, 'description'), typeof b.active === 'boolean' ? b.active : group.active);
      return { status: 200, body: groupJson(ctx, group) };
    }
    case 'DELETE /group':
      write();
      model.deleteGroup(model.mustGroup(required(req.params, 'groupname')));
      return { status: 204 };
    case 'GET /group/user/direct': {
      const group = model.mustGroup(required(req.params, 'groupname'));
      const expand = (req.params.get('expand') ?? '').split(',').includes('user');
      const members = page([...group.members].map((k) => model.findUser(k) as CrowdUser));
      return {
        status: 200,
        body: { expand: 'user', users: members.map((u) => (expand ? userJson(ctx, u) : userRef(ctx, u))) },
      };
    }
    case 'GET /group/user/nested': {
      // Direct members and the members of child groups at any depth (Crowd's nested groups), each once.
      const group = model.mustGroup(required(req.params, 'groupname'));
      const expand = (req.params.get('expand') ?? '').split(',').includes('user');
      const members = page(model.nestedMembers(group));
      return {
        status: 200,
        body: { expand: 'user', users: members.map((u) => (expand ? userJson(ctx, u) : userRef(ctx, u))) },
      };
    }
    case 'GET /user/group/nested': {
      const user = model.findUser(required(req.params, 'username'));
      const groups = user ? model.nestedGroupsOf(user).map((n) => model.findGroup(n) as CrowdGroup) : [];
      return { status: 200, body: { expand: 'group', groups: page(groups).map((g) => groupRef(ctx, g)) } };
    }
    case 'POST /group/user/direct': {
      write();
      const group = model.mustGroup(required(req.params, 'groupname'));
      const name = str(objectBody(req.body), 'name');
      const user = model.findUser(name);
      // Crowd answers 400 (not 404) when the user to add does not exist.
      if (!user) throw new CrowdFailure(400, 'USER_NOT_FOUND', `User <${name}> does not exist`);
      model.addMember(group, user);
      return { status: 201 };
    }
    case 'DELETE /group/user/direct': {
      write();
      const group = model.mustGroup(required(req.params, 'groupname'));
      model.removeMember(group, model.mustUser(required(req.params, 'username')));
      return { status: 204 };
    }
    case 'GET /group/child-group/direct': {
      const group = model.mustGroup(required(req.params, 'groupname'));
      const children = page([...group.children].map((k) => model.findGroup(k) as CrowdGroup));
      return { status: 200, body: { expand: 'group', groups: children.map((g) => groupRef(ctx, g)) } };
    }
    case 'POST /group/child-group/direct': {
      write();
      const parent = model.mustGroup(required(req.params, 'groupname'));
      const name = str(objectBody(req.body), 'name');
      const child = model.findGroup(name);
      if (!child) throw new CrowdFailure(400, 'GROUP_NOT_FOUND', `Group <${name}> does not exist`);
      model.addChild(parent, child);
      return { status: 201 };
    }
    case 'DELETE /group/child-group/direct': {
      write();
      const parent = model.mustGroup(required(req.params, 'groupname'));
      const child = model.mustGroup(required(req.params, 'child-groupname'));
      if (!parent.children.delete(child.name.toLocaleLowerCase('en-US'))) {
        throw new CrowdFailure(404, 'MEMBERSHIP_NOT_FOUND', `Group <${child.name}> is not a child of <${parent.name}>`);
      }
      return { status: 204 };
    }
    default:
      throw new CrowdFailure(404, 'UNSUPPORTED_OPERATION', 'Not found');
  }
}
