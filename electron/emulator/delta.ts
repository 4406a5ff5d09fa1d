/**
 * `/users/delta` and `/groups/delta`. A round is the pages between two tokens: the first round lists every live
 * object (groups with all their members in `members@delta`); later rounds list objects changed since the previous
 * deltaLink, with their current state, `@removed` for deleted ones and member additions/removals. Objects are
 * reported in their current state, so a change made while a round is paged may be reported twice — as Graph warns
 * ("expect replays"), never lost. Tokens are sealed and carry their issue time, so they can expire.
 */
import type { Directory, GroupRecord, MemberChange, UserRecord } from './directory';
import { odataType } from './directory';
import { GraphFailure } from './graph-errors';
import type { TokenCodec } from './opaque-token';
import { projectGroup, projectUser } from './odata';

/** The state sealed in delta nextLinks and deltaLinks. */
interface DeltaState {
  /** users or groups */
  readonly k: 'u' | 'g';
  /** Changes after this sequence number are reported; -1 = initial round (everything). */
  readonly since: number;
  /** Upper bound of the round, fixed when the round starts. */
  readonly upto: number;
  /** Position in the round's object list. */
  readonly pos: number;
  /** Offset in the current group's member list (a big group spans pages). */
  readonly mpos: number;
  readonly sel: string[] | null;
  /** Issue time of the round (ms), for expiry. */
  readonly iat: number;
  /** Token generation; bumping it on the server expires every token. */
  readonly ep: number;
  /** deltaLink (d) or nextLink (n). */
  readonly t: 'd' | 'n';
}

/** Settings and state delta needs. */
export interface DeltaContext {
  readonly directory: Directory;
  readonly codec: TokenCodec;
  readonly now: Date;
  /** e.g. https://127.0.0.1:1234/v1.0 */
  readonly versionBase: string;
  readonly tokenLifetimeMs: number;
  readonly epoch: number;
  readonly expiredCode: 'resyncRequired' | 'syncStateNotFound';
}

const USERS_PER_PAGE = 200;
const GROUPS_PER_PAGE = 100;
const MEMBERS_PER_PAGE = 1000;

/** Serves one delta page for `kind` with the request's query parameters. */
export function deltaPage(
  ctx: DeltaContext,
  kind: 'users' | 'groups',
  params: URLSearchParams,
  select: string[] | undefined,
): { body: Record<string, unknown>; headers: Record<string, string> } {
  const k = kind === 'users' ? 'u' : 'g';
  const skip = params.get('$skiptoken') ?? params.get('skiptoken');
  const delta = params.get('$deltatoken') ?? params.get('deltatoken');
  const nowMs = ctx.now.getTime();
  const context = `${ctx.versionBase.replace(/\/v1\.0$/, '')}/v1.0/$metadata#${kind}${select ? `(${select.join(',')})` : ''}`;
  const link = (state: DeltaState) =>
    `${ctx.versionBase}/${kind}/delta?${state.t === 'd' ? '$deltatoken' : '$skiptoken'}=${ctx.codec.seal(state)}`;

  if (delta === 'latest') {
    const state: DeltaState = {
      k,
      since: ctx.directory.seq,
      upto: ctx.directory.seq,
      pos: 0,
      mpos: 0,
      sel: select ?? null,
      iat: nowMs,
      ep: ctx.epoch,
      t: 'd',
    };
    return { body: { '@odata.context': context, value: [], '@odata.deltaLink': link(state) }, headers: {} };
  }

  let state: DeltaState;
  const token = skip ?? delta;
  if (token) {
    const opened = ctx.codec.open<DeltaState>(token);
    if (!opened || opened.k !== k) throw new GraphFailure(400, 'Request_BadRequest', 'The delta or skip token is not valid.');
    if (opened.ep !== ctx.epoch || nowMs - opened.iat > ctx.tokenLifetimeMs) {
      const restart = `${ctx.versionBase}/${kind}/delta${opened.sel ? `?$select=${opened.sel.join(',')}` : ''}`;
      throw new GraphFailure(
        410,
        ctx.expiredCode,
        ctx.expiredCode === 'resyncRequired'
          ? 'The delta token is no longer valid, and the application must reset the sync state and run a full synchronization.'
          : 'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
        { location: restart },
      );
    }
    // A deltaLink starts a new round from where the previous one ended; a nextLink continues the round.
    state =
      opened.t === 'd' ? { ...opened, since: opened.upto, upto: ctx.directory.seq, pos: 0, mpos: 0, iat: nowMs, t: 'n' } : opened;
  } else {
    state = { k, since: -1, upto: ctx.directory.seq, pos: 0, mpos: 0, sel: select ?? null, iat: nowMs, ep: ctx.epoch, t: 'n' };
  }

  const sel = state.sel ?? undefined;
  const page = kind === 'users' ? userPage(ctx.directory, state, sel) : groupPage(ctx.directory, state, sel);
  const body: Record<string, unknown> = { '@odata.context': context, value: page.value };
  if (page.next) body['@odata.nextLink'] = link({ ...state, pos: page.next.pos, mpos: page.next.mpos, t: 'n' });
  else body['@odata.deltaLink'] = link({ ...state, pos: 0, mpos: 0, t: 'd' });
  return { body, headers: {} };
}

interface Page {
  value: Record<string, unknown>[];
  next?: { pos: number; mpos: number };
}

/** Ids changed in (since, upto], in order of first change, from one or more logs. */
function changedIds(
  logs: ReadonlyArray<ReadonlyArray<{ seq: number; id?: string; groupId?: string }>>,
  since: number,
  upto: number,
): string[] {
  const entries: { seq: number; id: string }[] = [];
  for (const log of logs) {
    for (let i = firstAfter(log, since); i < log.length; i++) {
      const e = log[i] as { seq: number; id?: string; groupId?: string };
      if (e.seq > upto) break;
      entries.push({ seq: e.seq, id: (e.groupId ?? e.id) as string });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of entries) {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e.id);
    }
  }
  return out;
}

/** Index of the first entry with seq > since (logs are sorted by seq). */
function firstAfter(log: ReadonlyArray<{ seq: number }>, since: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as { seq: number }).seq <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function withId(select: string[] | undefined): string[] | undefined {
  return select && !select.includes('id') ? [...select, 'id'] : select;
}

function userItem(user: UserRecord, select: string[] | undefined): Record<string, unknown> {
  if (user.removed) return { id: user.id, '@removed': { reason: user.removed } };
  return projectUser(user, withId(select));
}

function userPage(dir: Directory, state: DeltaState, select: string[] | undefined): Page {
  const value: Record<string, unknown>[] = [];
  if (state.since < 0) {
    let pos = state.pos;
    for (; pos < dir.users.length && value.length < USERS_PER_PAGE; pos++) {
      const u = dir.users[pos] as UserRecord;
      if (!u.removed) value.push(userItem(u, select));
    }
    return pos < dir.users.length ? { value, next: { pos, mpos: 0 } } : { value };
  }
  const ids = changedIds([dir.userChanges], state.since, state.upto);
  let pos = state.pos;
  for (; pos < ids.length && value.length < USERS_PER_PAGE; pos++) {
    const u = dir.get(ids[pos] as string);
    if (u?.kind === 'user') value.push(userItem(u, select));
  }
  return pos < ids.length ? { value, next: { pos, mpos: 0 } } : { value };
}

function memberRef(dir: Directory, memberId: string, removed: boolean): Record<string, unknown> {
  const kind = dir.get(memberId)?.kind ?? 'user';
  const ref: Record<string, unknown> = { '@odata.type': odataType[kind], id: memberId };
  if (removed) ref['@removed'] = { reason: 'deleted' };
  return ref;
}

function groupPage(dir: Directory, state: DeltaState, select: string[] | undefined): Page {
  const withMembers = !select || select.includes('members');
  const props = select?.filter((s) => s !== 'members');
  const value: Record<string, unknown>[] = [];
  let members = 0;
  const full = state.since < 0;
  let ids: string[];
  let changes: Map<string, MemberChange[]> | undefined;
  if (full) {
    ids = [];
  } else {
    const logs = withMembers ? [dir.groupChanges, dir.memberChanges] : [dir.groupChanges];
    ids = changedIds(logs, state.since, state.upto);
    changes = new Map();
    if (withMembers) {
      for (let i = firstAfter(dir.memberChanges, state.since); i < dir.memberChanges.length; i++) {
        const c = dir.memberChanges[i] as MemberChange;
        if (c.seq > state.upto) break;
        const list = changes.get(c.groupId) ?? [];
        list.push(c);
        changes.set(c.groupId, list);
      }
    }
  }
  const total = full ? dir.groups.length : ids.length;
  let pos = state.pos;
  let mpos = state.mpos;
  while (pos < total && value.length < GROUPS_PER_PAGE && members < MEMBERS_PER_PAGE) {
    const g = (full ? dir.groups[pos] : dir.get(ids[pos] as string)) as GroupRecord | undefined;
    if (!g || g.kind !== 'group' || (full && g.removed)) {
      pos++;
      continue;
    }
    if (g.removed) {
      value.push({ id: g.id, '@removed': { reason: g.removed } });
      pos++;
      continue;
    }
    const item = projectGroup(g, withId(props));
    if (!withMembers) {
      value.push(item);
      pos++;
      continue;
    }
    let refs: Record<string, unknown>[];
    if (full) {
      refs = g.members.map((m) => memberRef(dir, m, false));
    } else {
      // Net effect per member within the round: the last change wins.
      const net = new Map<string, boolean>();
      for (const c of changes?.get(g.id) ?? []) net.set(c.memberId, c.removed);
      refs = [...net].map(([m, removed]) => memberRef(dir, m, removed));
    }
    const room = MEMBERS_PER_PAGE - members;
    const chunk = refs.slice(mpos, mpos + room);
    if (chunk.length > 0) item['members@delta'] = chunk;
    value.push(item);
    members += chunk.length;
    if (mpos + chunk.length < refs.length) {
      mpos += chunk.length;
      // The rest of this group's members follow on the next page, under the same group id.
      return { value, next: { pos, mpos } };
    }
    pos++;
    mpos = 0;
  }
  return pos < total ? { value, next: { pos, mpos: 0 } } : { value };
}
