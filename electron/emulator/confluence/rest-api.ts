/**
 * The `/rest/api` resources the sync uses, with the shapes of atlassian-facts.md (Confluence): the
 * `{results, start, limit, size, _links}` pages, `admin/user` create (201 `{userKey}`), update, disable/enable and an
 * asynchronous delete (202 with a long-task link, or 204 when `asyncDelete` is off), `admin/group`, group members
 * and idempotent membership PUT/DELETE. Before 8.4 the user admin resources and `user/list` do not exist (404), as
 * on the 7.9–8.3 releases. Called after authentication; `actor` is the signed-in user.
 */
import { randomBytes } from 'node:crypto';
import {
  ConfluenceFailure,
  invalidUsername,
  type ConfluenceGroup,
  type ConfluenceModel,
  type ConfluenceUser,
  type LongTask,
} from './model';

export interface RestRequest {
  readonly method: string;
  /** The path after `/rest/api`, e.g. `/admin/user`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly body: unknown;
  readonly actor: ConfluenceUser;
}

export interface RestAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface RestContext {
  readonly model: ConfluenceModel;
  /** e.g. `https://127.0.0.1:1234/confluence` */
  readonly baseUrl: string;
  /** The user admin API (8.4+). */
  readonly fullAdmin: boolean;
  /** DELETE admin/user answers 202 + a long task (true), 204 at once (false), or 202 naming no task ('untracked'). */
  readonly asyncDelete: boolean | 'untracked';
  /** How long a deletion's long task runs. */
  readonly deleteMs: number;
  /** Reads of its state a deletion's long task waits for before it finishes (0: time alone). */
  readonly deletePolls: number;
  readonly maxPageLimit: number;
  readonly nowMs: () => number;
}

export const ADMIN_GROUP = 'confluence-administrators';

/** True when the user may use the admin API. */
export const isAdmin = (model: ConfluenceModel, user: ConfluenceUser) => model.groupsOf(user).some((g) => g.name === ADMIN_GROUP);

function userJson(ctx: RestContext, u: ConfluenceUser, withPrivate: boolean): Record<string, unknown> {
  return {
    type: 'known',
    username: u.username,
    userKey: u.key,
    profilePicture: { path: '/images/icons/profilepics/default.svg', width: 48, height: 48, isDefault: true },
    displayName: u.fullName,
    ...(withPrivate ? { email: u.email } : {}),
    // Emulator: the deactivation flag as `status` (the real field name and expansion are uncertain).
    status: u.active ? 'active' : 'deactivated',
    _links: { base: ctx.baseUrl, self: `${ctx.baseUrl}/rest/api/user?key=${u.key}` },
  };
}

const groupJson = (ctx: RestContext, g: ConfluenceGroup) => ({
  type: 'group',
  name: g.name,
  _links: { self: `${ctx.baseUrl}/rest/api/group/${encodeURIComponent(g.name)}` },
});

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfluenceFailure(400, `${name} must be a non-negative integer.`);
  return n;
}

/** One page of `all`, Confluence's way: `_links.next` only when more follow. */
function page<T>(ctx: RestContext, path: string, params: URLSearchParams, all: readonly T[], map: (t: T) => unknown) {
  const start = intParam(params, 'start', 0);
  const limit = Math.min(intParam(params, 'limit', 200) || 200, ctx.maxPageLimit);
  const values = all.slice(start, start + limit);
  const more = start + values.length < all.length;
  const next = new URLSearchParams(params);
  next.set('start', String(start + values.length));
  next.set('limit', String(limit));
  return {
    results: values.map(map),
    start,
    limit,
    size: values.length,
    _links: {
      base: ctx.baseUrl,
      context: new URL(ctx.baseUrl).pathname.replace(/\/$/, ''),
      self: `${ctx.baseUrl}/rest/api${path}`,
      ...(more ? { next: `/rest/api${path}?${next.toString()}` } : {}),
    },
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ConfluenceFailure(400, 'A JSON object body is required.');
  return body as Record<string, unknown>;
}

const str = (b: Record<string, unknown>, k: string): string | undefined =>
  typeof b[k] === 'string' ? (b[k] as string) : undefined;

function mustUser(ctx: RestContext, name: string): ConfluenceUser {
  const u = ctx.model.findUser(name);
  if (!u) throw new ConfluenceFailure(404, `No user found with username: ${name}`);
  return u;
}

function mustGroup(ctx: RestContext, name: string): ConfluenceGroup {
  const g = ctx.model.findGroup(name);
  if (!g) throw new ConfluenceFailure(404, `No group found with name: ${name}`);
  return g;
}

const notFound = (path: string) => new ConfluenceFailure(404, `null for uri: ${path}`);
const seg = (s: string | undefined) => decodeURIComponent(s ?? '');

/** The unfinished long tasks whose state `req` reads: its `GET longtask/{id}`, or `GET user` of an untracked task's user. */
function tasksReadBy(model: ConfluenceModel, req: RestRequest): LongTask[] {
  if (req.method !== 'GET') return [];
  const id = /^\/longtask\/([^/]+)$/.exec(req.path)?.[1];
  if (id !== undefined) {
    const task = model.tasks.get(seg(id));
    return task && !task.finished ? [task] : [];
  }
  if (req.path !== '/user') return [];
  const key = req.params.get('key');
  const name = req.params.get('username');
  const user = key ? model.userByKey(key) : name ? model.findUser(name) : undefined;
  if (!user) return [];
  return [...model.tasks.values()].filter((t) => !t.tracked && !t.finished && model.findUser(t.username) === user);
}

/** How far an unfinished task is: the lesser of its time and its reads, below 100. */
function percentageOf(task: LongTask, elapsedMs: number): number {
  const byTime = task.durationMs > 0 ? elapsedMs / task.durationMs : 1;
  const byPolls = task.pollsNeeded > 0 ? task.polls / task.pollsNeeded : 1;
  return Math.min(99, Math.floor(100 * Math.min(byTime, byPolls)));
}

/** Answers one REST call or throws a {@link ConfluenceFailure}. */
export function handleRest(ctx: RestContext, req: RestRequest): RestAnswer {
  const { model } = ctx;
  for (const task of tasksReadBy(model, req)) task.polls++;
  model.advanceTasks(ctx.nowMs());
  const admin = isAdmin(model, req.actor);
  const needAdmin = () => {
    if (!admin)
      throw new ConfluenceFailure(403, 'User is not permitted to perform this operation: administrator rights are required.');
  };
  const p = req.path;
  const m = (re: RegExp) => re.exec(p);
  const key = `${req.method} ${p}`;

  if (key === 'GET /user/current') return { status: 200, body: userJson(ctx, req.actor, true) };
  if (key === 'GET /user') {
    const name = req.params.get('username');
    const byKey = req.params.get('key');
    const u = byKey ? model.userByKey(byKey) : name ? model.findUser(name) : undefined;
    if (!u) throw new ConfluenceFailure(404, `No user found with ${byKey ? `key: ${byKey}` : `username: ${name ?? ''}`}`);
    return { status: 200, body: userJson(ctx, u, admin || u.key === req.actor.key) };
  }
  if (key === 'GET /user/memberof') {
    const u = mustUser(ctx, req.params.get('username') ?? '');
    return { status: 200, body: page(ctx, p, req.params, model.groupsOf(u), (g) => groupJson(ctx, g)) };
  }
  if (key === 'GET /user/list') {
    if (!ctx.fullAdmin) throw notFound(p);
    needAdmin();
    return { status: 200, body: page(ctx, p, req.params, model.sortedUsers(), (u) => userJson(ctx, u, true)) };
  }
  if (key === 'GET /group') return { status: 200, body: page(ctx, p, req.params, model.groups, (g) => groupJson(ctx, g)) };
  let hit = m(/^\/group\/([^/]+)\/member$/);
  if (req.method === 'GET' && hit) {
    const g = mustGroup(ctx, seg(hit[1]));
    const members = [...g.members]
      .map((k) => model.userByKey(k) as ConfluenceUser)
      .sort((a, b) => (a.username < b.username ? -1 : 1));
    return { status: 200, body: page(ctx, p, req.params, members, (u) => userJson(ctx, u, admin)) };
  }
  hit = m(/^\/group\/([^/]+)$/);
  if (req.method === 'GET' && hit) return { status: 200, body: groupJson(ctx, mustGroup(ctx, seg(hit[1]))) };
  hit = m(/^\/longtask\/([^/]+)$/);
  if (req.method === 'GET' && hit) {
    const task = model.tasks.get(seg(hit[1]));
    if (!task) throw new ConfluenceFailure(404, `No long running task with id ${seg(hit[1])}`);
    const elapsed = ctx.nowMs() - task.startedMs;
    return {
      status: 200,
      body: {
        id: task.id,
        name: { key: 'com.atlassian.confluence.user.delete.task', args: [task.username] },
        elapsedTime: elapsed,
        percentageComplete: task.finished ? 100 : percentageOf(task, elapsed),
        successful: task.finished && task.successful,
        finished: task.finished,
        messages: task.messages.map((translation) => ({ translation, args: [] })),
      },
    };
  }

  hit = m(/^\/user\/([^/]+)\/group\/([^/]+)$/);
  if (hit && (req.method === 'PUT' || req.method === 'DELETE')) {
    needAdmin();
    const u = mustUser(ctx, seg(hit[1]));
    const g = mustGroup(ctx, seg(hit[2]));
    if (req.method === 'PUT') model.addMember(g, u);
    else model.removeMember(g, u);
    return { status: 204 };
  }

  if (key === 'POST /admin/group') {
    needAdmin();
    const name = str(objectBody(req.body), 'name') ?? '';
    return { status: 201, body: groupJson(ctx, model.createGroup(name)) };
  }
  hit = m(/^\/admin\/group\/([^/]+)$/);
  if (req.method === 'DELETE' && hit) {
    needAdmin();
    model.deleteGroup(mustGroup(ctx, seg(hit[1])), req.actor);
    return { status: 204 };
  }

  if (!p.startsWith('/admin/user')) throw notFound(p);
  if (!ctx.fullAdmin) throw notFound(p);
  needAdmin();
  if (key === 'POST /admin/user') {
    const b = objectBody(req.body);
    const userName = str(b, 'userName') ?? '';
    const invalid = invalidUsername(userName);
    if (invalid) throw new ConfluenceFailure(400, invalid);
    const password = str(b, 'password');
    const notify = b.notifyViaEmail === true;
    if (password && notify) throw new ConfluenceFailure(400, 'Give either a password or notifyViaEmail, not both.');
    if (!password && !notify) throw new ConfluenceFailure(400, 'A password is required unless notifyViaEmail is true.');
    if (!str(b, 'email')) throw new ConfluenceFailure(400, 'An email address is required.');
    const u = model.createUser(
      { username: userName, fullName: str(b, 'fullName') ?? userName, email: str(b, 'email') as string },
      true,
    );
    // New users join the default group, which grants "can use" (the licence).
    const defaultGroup = model.findGroup('confluence-users');
    if (defaultGroup) model.putMember(defaultGroup, u);
    return { status: 201, body: { userKey: u.key } };
  }
  hit = m(/^\/admin\/user\/([^/]+)(?:\/(disable|enable))?$/);
  if (!hit) throw notFound(p);
  const u = mustUser(ctx, seg(hit[1]));
  if (req.method === 'PUT' && hit[2]) {
    model.setActive(u, hit[2] === 'enable');
    return { status: 204 };
  }
  if (req.method === 'PUT') {
    const b = objectBody(req.body);
    model.updateUser(u, {
      ...(str(b, 'fullName') !== undefined ? { fullName: str(b, 'fullName') as string } : {}),
      ...(str(b, 'email') !== undefined ? { email: str(b, 'email') as string } : {}),
    });
    return { status: 204 };
  }
  if (req.method === 'DELETE') {
    model.checkDelete(u, req.actor);
    const failWith = model.nextDeleteFailure;
    model.nextDeleteFailure = null;
    if (!ctx.asyncDelete && !failWith) {
      model.removeUser(u);
      return { status: 204 };
    }
    const id = randomBytes(8).toString('hex');
    // A deletion made to fail always names its task: without one, the failure could only be seen as "not gone yet".
    const tracked = ctx.asyncDelete !== 'untracked' || failWith !== null;
    model.tasks.set(id, {
      id,
      username: u.username,
      startedMs: ctx.nowMs(),
      durationMs: ctx.deleteMs,
      pollsNeeded: ctx.deletePolls,
      tracked,
      polls: 0,
      failWith,
      finished: false,
      successful: false,
      messages: [],
    });
    if (!tracked) return { status: 202 };
    return {
      status: 202,
      body: { id, links: { status: `${new URL(ctx.baseUrl).pathname.replace(/\/$/, '')}/rest/api/longtask/${id}` } },
    };
  }
  throw notFound(p);
}
