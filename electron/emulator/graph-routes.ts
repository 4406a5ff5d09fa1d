/**
 * The Graph v1.0 routes the emulator serves, as a table: path pattern, the permission family it needs, its
 * throttling cost family, and the handler producing the JSON body. Application routes live in graph-app-routes.ts.
 */
import type { DirectoryRecord, UserRecord } from './directory';
import { deltaPage } from './delta';
import { matches, type ParsedFilter } from './filter';
import { APP_ROUTES } from './graph-app-routes';
import { GraphFailure } from './graph-errors';
import {
  GROUP_FILTERABLE,
  GROUP_PROPS_MAP,
  MEMBER_PROPS,
  USER_FILTERABLE,
  USER_PROPS,
  isEventual,
  parseFilterOption,
  parseSelect,
  parseTop,
  projectGroup,
  projectMember,
  projectUser,
  queryOption,
} from './odata';
import { allows } from './permissions';
import { context, notFound, type Route, type RouteContext, type RouteResult } from './route-kit';

export type { Route, RouteContext, RouteResult } from './route-kit';
/** Query options shared by list routes; refuses what the emulator does not implement rather than ignoring it. */
function listOptions(ctx: RouteContext, filterable: ReadonlySet<string>, entity: string) {
  const eventual = isEventual(ctx.headers);
  const countParam = queryOption(ctx.params, 'count');
  const count = countParam === 'true';
  if (count && !eventual) {
    throw new GraphFailure(
      400,
      'Request_BadRequest',
      '$count is not currently supported. Send the ConsistencyLevel: eventual header.',
    );
  }
  for (const unsupported of ['orderby', 'search', 'expand', 'skip']) {
    if (queryOption(ctx.params, unsupported) !== undefined) {
      throw new GraphFailure(
        400,
        'Request_UnsupportedQuery',
        `The demo tenant does not support $${unsupported} on this resource.`,
      );
    }
  }
  const filter = parseFilterOption(queryOption(ctx.params, 'filter'), filterable, entity, eventual && count);
  // @odata.count is on the first page only; later pages keep $count=true so advanced filters stay allowed.
  const first = queryOption(ctx.params, 'skiptoken') === undefined;
  return { top: parseTop(queryOption(ctx.params, 'top')) ?? 100, filter, count: count && first };
}

interface ScanState {
  readonly k: string;
  readonly pos: number;
}

/** Pages over `items` from the skiptoken's position, keeping the request's other query options in nextLink. */
function page<T>(
  ctx: RouteContext,
  kindKey: string,
  items: readonly T[],
  accept: (item: T) => boolean,
  top: number,
  project: (item: T) => Record<string, unknown>,
): { value: Record<string, unknown>[]; nextLink?: string } {
  const token = queryOption(ctx.params, 'skiptoken');
  let pos = 0;
  if (token) {
    const state = ctx.codec.open<ScanState>(token);
    if (!state || state.k !== kindKey) throw new GraphFailure(400, 'Request_BadRequest', 'The skip token is not valid.');
    pos = state.pos;
  }
  const value: Record<string, unknown>[] = [];
  for (; pos < items.length && value.length < top; pos++) {
    const item = items[pos] as T;
    if (accept(item)) value.push(project(item));
  }
  // Look ahead so the last page carries no nextLink (Graph never sends an empty trailing page here).
  while (pos < items.length && !accept(items[pos] as T)) pos++;
  if (pos >= items.length) return { value };
  const params = new URLSearchParams(ctx.params);
  params.delete('$skiptoken');
  params.delete('skiptoken');
  params.set('$skiptoken', ctx.codec.seal({ k: kindKey, pos } satisfies ScanState));
  const path = kindKey.split(':')[0] as string;
  return { value, nextLink: `${ctx.versionBase}/${path}?${params.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}` };
}

function listBody(ctx: RouteContext, fragment: string, result: { value: unknown[]; nextLink?: string }, count?: number) {
  const body: Record<string, unknown> = { '@odata.context': context(ctx, fragment) };
  if (count !== undefined) body['@odata.count'] = count;
  body.value = result.value;
  if (result.nextLink) body['@odata.nextLink'] = result.nextLink;
  return body;
}

const liveUser = (filter: ParsedFilter | undefined) => (u: UserRecord) =>
  !u.removed && (!filter || matches(filter.node, u as unknown as Record<string, unknown>));

const MEMBER_CASTS: Record<string, DirectoryRecord['kind']> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
  'microsoft.graph.device': 'device',
  'microsoft.graph.orgContact': 'orgContact',
  'microsoft.graph.servicePrincipal': 'servicePrincipal',
};

function canReadKind(roles: readonly string[], kind: DirectoryRecord['kind']): boolean {
  if (kind === 'user') return allows(roles, 'users');
  if (kind === 'group') return allows(roles, 'groups');
  if (kind === 'servicePrincipal') return allows(roles, 'applications');
  return allows(roles, 'devices');
}

function membersRoute(transitive: boolean): Route['handle'] {
  return (ctx, m) => {
    const group = ctx.directory.findGroup(m[1] as string);
    if (!group) throw notFound(m[1] as string);
    const cast = m[2] ? MEMBER_CASTS[m[2]] : undefined;
    if (m[2] && !cast) throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${m[2]}'.`);
    const select = parseSelect(
      queryOption(ctx.params, 'select'),
      cast === 'user' ? USER_PROPS : MEMBER_PROPS,
      cast ?? 'directoryObject',
    );
    const opts = listOptions(ctx, cast === 'user' ? USER_FILTERABLE : new Set(['id', 'displayName']), cast ?? 'directoryObject');
    const records = transitive
      ? ctx.directory.transitiveMembers(group.id)
      : group.members.map((id) => ctx.directory.get(id)).filter((r): r is DirectoryRecord => r !== undefined);
    const accept = (r: DirectoryRecord) =>
      (!cast || r.kind === cast) &&
      !('removed' in r && r.removed) &&
      (!opts.filter || matches(opts.filter.node, r as unknown as Record<string, unknown>));
    const segment = transitive ? 'transitiveMembers' : 'members';
    const result = page(ctx, `groups/${group.id}/${segment}${m[2] ? `/${m[2]}` : ''}`, records, accept, opts.top, (r) =>
      projectMember(r, select, canReadKind(ctx.roles, r.kind)),
    );
    return {
      body: listBody(ctx, cast ? `${cast}s` : 'directoryObjects', result, opts.count ? records.filter(accept).length : undefined),
    };
  };
}

const GUID = '([0-9a-fA-F-]{36})';

/** The route table, matched in order against the path after `/v1.0`. */
export const ROUTES: readonly Route[] = [
  {
    name: 'GET /users/$count',
    pattern: /^\/users\/\$count$/,
    access: 'users',
    family: 'users',
    handle(ctx) {
      if (!isEventual(ctx.headers)) {
        throw new GraphFailure(
          400,
          'Request_BadRequest',
          '$count is not currently supported. Send the ConsistencyLevel: eventual header.',
        );
      }
      const filter = parseFilterOption(queryOption(ctx.params, 'filter'), USER_FILTERABLE, 'user', true);
      const accept = liveUser(filter);
      let n = 0;
      for (const u of ctx.directory.users) if (accept(u)) n++;
      return { body: String(n), text: true };
    },
  },
  {
    name: 'GET /users/delta',
    pattern: /^\/users\/delta(?:\(\))?$/,
    access: 'users',
    family: 'users',
    handle(ctx) {
      return deltaRoute(ctx, 'users', USER_PROPS, 'user');
    },
  },
  {
    name: 'GET /users',
    pattern: /^\/users$/,
    access: 'users',
    family: 'users',
    handle(ctx) {
      const select = parseSelect(queryOption(ctx.params, 'select'), USER_PROPS, 'user');
      const opts = listOptions(ctx, USER_FILTERABLE, 'user');
      const accept = liveUser(opts.filter);
      const result = page(ctx, 'users', ctx.directory.users, accept, opts.top, (u) => projectUser(u, select));
      let count: number | undefined;
      if (opts.count) {
        count = 0;
        for (const u of ctx.directory.users) if (accept(u)) count++;
      }
      return { body: listBody(ctx, select ? `users(${select.join(',')})` : 'users', result, count) };
    },
  },
  {
    name: 'GET /users/{id}',
    pattern: /^\/users\/([^/]+)$/,
    access: 'users',
    family: 'users',
    handle(ctx, m) {
      const key = decodeURIComponent(m[1] as string);
      const user = ctx.directory.findUser(key);
      if (!user) throw notFound(key);
      const select = parseSelect(queryOption(ctx.params, 'select'), USER_PROPS, 'user');
      return { body: { '@odata.context': context(ctx, 'users/$entity'), ...projectUser(user, select) } };
    },
  },
  {
    name: 'GET /groups/delta',
    pattern: /^\/groups\/delta(?:\(\))?$/,
    access: 'groups',
    family: 'other',
    handle(ctx) {
      return deltaRoute(ctx, 'groups', GROUP_PROPS_MAP, 'group');
    },
  },
  {
    name: 'GET /groups',
    pattern: /^\/groups$/,
    access: 'groups',
    family: 'other',
    handle(ctx) {
      const select = parseSelect(queryOption(ctx.params, 'select'), GROUP_PROPS_MAP, 'group')?.filter((s) => s !== 'members');
      const opts = listOptions(ctx, GROUP_FILTERABLE, 'group');
      const accept = (g: (typeof ctx.directory.groups)[number]) =>
        !g.removed && (!opts.filter || matches(opts.filter.node, g as unknown as Record<string, unknown>));
      const result = page(ctx, 'groups', ctx.directory.groups, accept, opts.top, (g) => projectGroup(g, select));
      return { body: listBody(ctx, 'groups', result, opts.count ? ctx.directory.groups.filter(accept).length : undefined) };
    },
  },
  {
    name: 'GET /groups/{id}/members',
    pattern: new RegExp(`^/groups/${GUID}/members(?:/([A-Za-z.]+))?$`),
    access: 'groups',
    family: 'members',
    handle: membersRoute(false),
  },
  {
    name: 'GET /groups/{id}/transitiveMembers',
    pattern: new RegExp(`^/groups/${GUID}/transitiveMembers(?:/([A-Za-z.]+))?$`),
    access: 'groups',
    family: 'transitiveMembers',
    handle: membersRoute(true),
  },
  {
    name: 'GET /groups/{id}',
    pattern: new RegExp(`^/groups/${GUID}$`),
    access: 'groups',
    family: 'other',
    handle(ctx, m) {
      const group = ctx.directory.findGroup(m[1] as string);
      if (!group) throw notFound(m[1] as string);
      const select = parseSelect(queryOption(ctx.params, 'select'), GROUP_PROPS_MAP, 'group');
      return { body: { '@odata.context': context(ctx, 'groups/$entity'), ...projectGroup(group, select) } };
    },
  },
  ...APP_ROUTES,
];

function deltaRoute(
  ctx: RouteContext,
  kind: 'users' | 'groups',
  props: ReadonlyMap<string, string>,
  entity: string,
): RouteResult {
  for (const unsupported of ['top', 'orderby', 'expand', 'search', 'count']) {
    if (queryOption(ctx.params, unsupported) !== undefined) {
      throw new GraphFailure(400, 'Request_UnsupportedQuery', `$${unsupported} is not supported on ${kind}/delta.`);
    }
  }
  const select = parseSelect(queryOption(ctx.params, 'select'), props, entity);
  if (queryOption(ctx.params, 'filter') !== undefined) {
    throw new GraphFailure(400, 'Request_UnsupportedQuery', 'The demo tenant does not support $filter on delta queries.');
  }
  const result = deltaPage(
    { ...ctx.delta, directory: ctx.directory, codec: ctx.codec, versionBase: ctx.versionBase, now: ctx.now },
    kind,
    ctx.params,
    select,
  );
  return { body: result.body, headers: result.headers };
}
