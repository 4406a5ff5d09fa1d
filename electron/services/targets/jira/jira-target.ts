/**
 * Jira Software / Service Management Data Center as a {@link DirectoryTarget}, over `/rest/api/2` with a personal
 * access token (atlassian-facts.md, Jira). Users are addressed by their stable key once linked (renames follow the
 * link), by username before; every write reads the current state first or checks it after a refusal, so a replayed
 * item is `unchanged` and an existing account with the same username (any case) or, when allowed, e-mail is matched
 * instead of duplicated.
 */
import type { GroupFields, UserFields } from '../../../../shared/sync';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type {
  DirectoryTarget,
  TargetCapabilities,
  TargetGroupMembers,
  TargetGroupRecord,
  TargetReadOptions,
  TargetUserRecord,
  UserRef,
  WriteResult,
} from '../directory-target';
import type { TargetLinks } from '../remote/links';
import { RemotePacer } from '../remote/pacer';
import { RemoteTargetError } from '../remote/remote-error';
import { JiraClient, JiraHttpError } from './jira-client';
import { jiraTargetError } from './jira-errors';
import {
  groupKeyOf,
  groupMembers,
  memberPage,
  readJiraGroups,
  readJiraMemberships,
  readJiraUsers,
  type JiraUserJson,
  type UserListApi,
} from './jira-reads';

export interface JiraTargetOptions {
  /** Stable id of the target for logs, history and links. */
  readonly id: string;
  /** With the context path: `https://jira.example.com/jira`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** Names of the groups the sync manages: Jira cannot list all groups in pages, so only these are read. */
  readonly managedGroups?: readonly string[];
  /** Entra id ↔ Jira key links; without them nothing is addressed by key and externalId stays null. */
  readonly links?: TargetLinks;
  /** Match an existing account by e-mail when no username matches (the admin allows it). */
  readonly matchByEmail?: boolean;
  /** Application access given to created users (`jira-software`, …); Jira's defaults when absent. */
  readonly applicationKeys?: readonly string[];
  /** Calls in flight. Default 4. */
  readonly maxConcurrency?: number;
  /** Shared pace; one is made from `clock` and `maxConcurrency` when absent. */
  readonly pacer?: RemotePacer;
  /** Force a user-listing API instead of finding it (`user/list`, else `user/search`). */
  readonly userListApi?: UserListApi;
}

export interface JiraTarget extends DirectoryTarget {
  readonly pacer: RemotePacer;
  /** The user-listing API the instance turned out to have (after a read). */
  readonly userListApi: UserListApi | undefined;
  /** The token's own account (`/myself`): protected, the sync never changes it. */
  myself(signal?: AbortSignal): Promise<{ readonly key: string; readonly name: string }>;
  /** Every member of a group (to protect the administrators); none when the group does not exist. */
  members(group: string, signal?: AbortSignal): Promise<{ readonly key: string; readonly name: string }[]>;
}

type UserLocator = { key: string } | { username: string };

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');
const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Creates the Jira target. */
export function createJiraTarget(options: JiraTargetOptions): JiraTarget {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency });
  const client = new JiraClient({ baseUrl: options.baseUrl, token: options.token, transport: options.transport, pacer });
  const links = options.links;
  const managed = new Map<string, string>((options.managedGroups ?? []).map((n) => [groupKeyOf(n), n]));
  let listApi = options.userListApi;
  /**
   * The current username of each user key, as last read or written by this target (readUsers, every GET, our own
   * creates and renames), so a membership of a linked user needs no GET to follow a rename. A name that turns out
   * stale (Jira answers 404 for it) is dropped and the key read again.
   */
  const nameByKey = new Map<string, string>();
  const learn = (u: { readonly key: string; readonly name: string } | undefined) => {
    if (u?.key && u.name) nameByKey.set(u.key, u.name);
    return u;
  };

  const capabilities: TargetCapabilities = {
    canDisable: true,
    canDeleteUsers: true,
    canRenameUsers: true,
    canRenameGroups: false,
    canDeleteGroups: true,
    storesExternalId: false,
    maxConcurrency,
    userFields: ['username', 'email', 'displayName'],
    groupFields: ['name'],
  };

  /** The user, or undefined when Jira has no such user. */
  const getUser = async (at: UserLocator, expandGroups = false): Promise<JiraUserJson | undefined> => {
    try {
      return learn(
        (await client.request<JiraUserJson>('GET', '/user', { ...at, ...(expandGroups ? { expand: 'groups' } : {}) })).body,
      );
    } catch (error) {
      if (error instanceof JiraHttpError && error.status === 404) {
        if ('key' in at) nameByKey.delete(at.key);
        return undefined;
      }
      throw error;
    }
  };

  const locate = (ref: UserRef): UserLocator => {
    const key = links?.user(ref.externalId)?.key;
    return key ? { key } : { username: ref.username };
  };

  /** The current account for `ref`: by its linked key, else by username. */
  const findUser = async (ref: UserRef, expandGroups = false) => {
    const at = locate(ref);
    const found = await getUser(at, expandGroups);
    if (!found && 'key' in at) links?.unlinkUser(ref.externalId);
    return found;
  };

  /** PUTs the differences between `current` and `wanted`; `unchanged` when there are none. */
  const converge = async (
    current: JiraUserJson,
    wanted: { name?: string; emailAddress?: string | null; displayName?: string | null; active?: boolean },
  ): Promise<WriteResult> => {
    const patch: Record<string, unknown> = {};
    if (wanted.name !== undefined && wanted.name !== current.name) patch.name = wanted.name;
    if (wanted.emailAddress && !sameText(wanted.emailAddress, current.emailAddress)) patch.emailAddress = wanted.emailAddress;
    if (wanted.displayName && !sameText(wanted.displayName, current.displayName)) patch.displayName = wanted.displayName;
    if (wanted.active !== undefined && wanted.active !== (current.active ?? true)) patch.active = wanted.active;
    if (Object.keys(patch).length === 0) return 'unchanged';
    await client.request('PUT', '/user', { key: current.key }, patch);
    if (patch.name !== undefined) nameByKey.set(current.key, wanted.name as string);
    return 'applied';
  };

  /** An existing account the new user should become: same username in any case, else (when allowed) same e-mail. */
  const findMatch = async (fields: UserFields): Promise<JiraUserJson | undefined> => {
    const byName = await getUser({ username: fields.username });
    if (byName || !options.matchByEmail || !fields.email) return byName;
    const { body } = await client.request<JiraUserJson[]>('GET', '/user/search', {
      username: fields.email,
      maxResults: 10,
      includeActive: true,
      includeInactive: true,
    });
    const same = (Array.isArray(body) ? body : []).filter((u) => lower(u.emailAddress ?? '') === lower(fields.email as string));
    return same.length === 1 ? same[0] : undefined;
  };

  const userLabel = (name: string) => `user ${name}`;

  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw jiraTargetError(error, what);
    }
  };

  /** The current username of a user ref (a rename since the plan is followed through the key). */
  const usernameOf = async (ref: UserRef, useKnown = false): Promise<string> => {
    const key = links?.user(ref.externalId)?.key;
    if (!key) return ref.username;
    const known = useKnown ? nameByKey.get(key) : undefined;
    if (known !== undefined) return known;
    const found = await findUser(ref);
    if (!found) throw new RemoteTargetError('not-found', 'not-found', `${userLabel(ref.username)} does not exist in Jira.`);
    return found.name;
  };

  const isMember = async (group: string, username: string): Promise<boolean | undefined> => {
    const user = await getUser({ username }, true);
    if (!user) return undefined;
    return (user.groups?.items ?? []).some((g) => groupKeyOf(g.name) === groupKeyOf(group));
  };

  return {
    id: options.id,
    capabilities,
    pacer,
    get userListApi() {
      return listApi;
    },
    myself: (signal) =>
      wrap("reading the token's own account", async () => {
        const { body } = await client.request<JiraUserJson>('GET', '/myself', undefined, undefined, signal);
        return { key: body.key, name: body.name };
      }),
    members: (group, signal) => groupMembers(client, group, signal),

    readUsers(read: TargetReadOptions = {}): AsyncIterable<readonly TargetUserRecord[]> {
      const size = Math.min(read.pageSize ?? 1000, 1000);
      const pages = readJiraUsers(client, links, listApi, (api) => (listApi = api), size, read.signal);
      return (async function* () {
        for await (const page of pages) {
          for (const u of page) if (u.key) nameByKey.set(u.key, u.username);
          yield page;
        }
      })();
    },
    readGroups(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupRecord[]> {
      return readJiraGroups(client, [...managed.values()], links, read.signal);
    },
    readMemberships(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupMembers[]> {
      return readJiraMemberships(client, [...managed.values()], Math.min(read.pageSize ?? 50, 1000), read.signal);
    },

    createUser: (externalId, fields, active) =>
      wrap(userLabel(fields.username), async () => {
        const wanted = { emailAddress: fields.email, displayName: fields.displayName, active };
        const linked = links?.user(externalId) ? await findUser({ externalId, username: fields.username }) : undefined;
        // A replay of a create that landed, or an account that already exists: converge, never a second account.
        // Matching by username alone needs no GET first: Jira refuses a second account of the same name in any case,
        // and that refusal (below) is a match too. One request per create.
        const nameOnly = !options.matchByEmail && !!fields.email;
        const existing = linked ?? (nameOnly ? undefined : await findMatch(fields));
        if (existing) {
          if (!linked) links?.linkUser(externalId, existing.key, 'matched');
          return converge(existing, wanted);
        }
        if (!fields.email) {
          throw new RemoteTargetError(
            'rejected',
            'invalid',
            `Jira needs an e-mail address for every user, and ${fields.username} has none. Map an attribute that always holds one (mail or userPrincipalName).`,
          );
        }
        let created: JiraUserJson;
        try {
          created = (
            await client.request<JiraUserJson>('POST', '/user', undefined, {
              name: fields.username,
              emailAddress: fields.email,
              displayName: fields.displayName || fields.username,
              ...(options.applicationKeys ? { applicationKeys: options.applicationKeys } : {}),
            })
          ).body;
        } catch (error) {
          // Created meanwhile by someone else (or a lost answer of ours): the same name, in any case, is a match.
          const now =
            error instanceof JiraHttpError && error.status === 400 ? await getUser({ username: fields.username }) : undefined;
          if (!now) throw error;
          links?.linkUser(externalId, now.key, 'matched');
          return converge(now, wanted);
        }
        learn(created);
        links?.linkUser(externalId, created.key, 'created');
        if (!active) await converge(created, { active: false });
        return 'applied';
      }),

    updateUser: (ref, changes) =>
      wrap(userLabel(ref.username), async () => {
        let current = await findUser(ref);
        // Renamed already (a replay without a link): the account answers to its new name.
        if (!current && changes.username) current = await getUser({ username: changes.username });
        if (!current) throw new RemoteTargetError('not-found', 'not-found', `${userLabel(ref.username)} does not exist in Jira.`);
        return converge(current, {
          ...(changes.username !== undefined ? { name: changes.username } : {}),
          ...(changes.email !== undefined ? { emailAddress: changes.email } : {}),
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        });
      }),

    setUserActive: (ref, active) =>
      wrap(userLabel(ref.username), async () => {
        const current = await findUser(ref);
        if (!current) throw new RemoteTargetError('not-found', 'not-found', `${userLabel(ref.username)} does not exist in Jira.`);
        return converge(current, { active });
      }),

    deleteUser: (ref) =>
      wrap(userLabel(ref.username), async () => {
        const at = locate(ref);
        if ('key' in at) nameByKey.delete(at.key);
        try {
          await client.request('DELETE', '/user', at);
        } catch (error) {
          if (!(error instanceof JiraHttpError && error.status === 404)) throw error;
          links?.unlinkUser(ref.externalId);
          return 'unchanged';
        }
        links?.unlinkUser(ref.externalId);
        return 'applied';
      }),

    createGroup: (externalId, fields: GroupFields) =>
      wrap(`group ${fields.name}`, async () => {
        const key = groupKeyOf(fields.name);
        managed.set(key, managed.get(key) ?? fields.name);
        try {
          await client.request('POST', '/group', undefined, { name: fields.name });
        } catch (error) {
          if (!(error instanceof JiraHttpError && error.status === 400 && (await memberPage(client, fields.name, 0, 1))))
            throw error;
          if (links?.groupByKey(key)?.externalId !== externalId) links?.linkGroup(externalId, key, 'matched');
          return 'unchanged';
        }
        links?.linkGroup(externalId, key, 'created');
        return 'applied';
      }),

    updateGroup: async (group, changes) => {
      // Jira keeps no description, and group names never change (capabilities.canRenameGroups is false).
      if (changes.name !== undefined && groupKeyOf(changes.name) !== groupKeyOf(group.name)) {
        throw new RemoteTargetError(
          'unsupported',
          'cannot-rename-group',
          `Jira cannot rename groups, so group ${group.name} keeps its name; create ${changes.name} instead if you need it.`,
        );
      }
      return 'unchanged';
    },

    deleteGroup: (group) =>
      wrap(`group ${group.name}`, async () => {
        try {
          await client.request('DELETE', '/group', { groupname: group.name });
        } catch (error) {
          if (!(error instanceof JiraHttpError && error.status === 404)) throw error;
          return 'unchanged';
        }
        links?.unlinkGroup(group.externalId);
        managed.delete(groupKeyOf(group.name));
        return 'applied';
      }),

    addMember: (group, user) =>
      wrap(`${userLabel(user.username)} in group ${group.name}`, async () => {
        // One request: the user's name as last seen (a rename since is found by the 404 and the key read again).
        const add = async (username: string) => {
          try {
            await client.request('POST', '/group/user', { groupname: group.name }, { name: username });
          } catch (error) {
            if (error instanceof JiraHttpError && error.status === 400 && (await isMember(group.name, username)))
              return 'unchanged';
            throw error;
          }
          return 'applied';
        };
        const known = await usernameOf(user, true);
        try {
          return await add(known);
        } catch (error) {
          const key = links?.user(user.externalId)?.key;
          if (!(error instanceof JiraHttpError && error.status === 404 && key && nameByKey.get(key) === known)) throw error;
          nameByKey.delete(key);
          const current = await usernameOf(user);
          if (current === known) throw error;
          return add(current);
        }
      }),

    removeMember: (group, user) =>
      wrap(`${userLabel(user.username)} in group ${group.name}`, async () => {
        const username = await usernameOf(user).catch((error: unknown) => {
          // A user gone from Jira is in no group any more.
          if (error instanceof RemoteTargetError && error.code === 'not-found') return undefined;
          throw error;
        });
        if (username === undefined) return 'unchanged';
        try {
          await client.request('DELETE', '/group/user', { groupname: group.name, username });
        } catch (error) {
          // Not a member (or no such group) any more: what a replay finds.
          const refused = error instanceof JiraHttpError && (error.status === 400 || error.status === 404);
          if (refused && (await isMember(group.name, username)) !== true) return 'unchanged';
          throw error;
        }
        return 'applied';
      }),
  };
}
