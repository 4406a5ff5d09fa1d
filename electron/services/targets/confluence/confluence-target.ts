/**
 * Confluence Data Center as a {@link DirectoryTarget}, over `/rest/api` with a personal access token
 * (atlassian-facts.md, Confluence). Users are linked by their stable user key and written through the admin API by
 * their (lower-case) user name; disable and enable are the admin API's idempotent `disable` / `enable`; a deletion is
 * a long task that is waited for and whose outcome is the item's; groups are lower case in Confluence and keep the
 * sync's spelling in our records. Every write reads the current state first or checks it after a refusal, so a
 * replayed item is `unchanged` and an existing account of the same name (409) is matched instead of duplicated.
 * Before 8.4 the user admin API is missing: user writes fail as unsupported, groups and memberships still work.
 */
import { randomBytes } from 'node:crypto';
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
import { ConfluenceClient, ConfluenceHttpError, segment } from './confluence-client';
import { confluenceTargetError } from './confluence-errors';
import {
  groupKeyOf,
  isActive,
  pages,
  readConfluenceGroups,
  readConfluenceMemberships,
  readConfluenceUsers,
  type ConfluenceUserJson,
} from './confluence-reads';
import { deleteConfluenceUser, type ConfluenceDeleteCounts, type ConfluenceUserDeletion } from './confluence-user-delete';

export interface ConfluenceTargetOptions {
  readonly id: string;
  /** With the context path: `https://confluence.example.com/confluence`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** The user admin API exists (8.4+). Default true. */
  readonly fullAdmin?: boolean;
  /** The version, for messages. */
  readonly version?: string;
  /** Names of the groups the sync manages (their members are read). */
  readonly managedGroups?: readonly string[];
  readonly links?: TargetLinks;
  readonly maxConcurrency?: number;
  readonly pacer?: RemotePacer;
  /** A deletion's long task moved on (percentage). */
  readonly onDeleteProgress?: (username: string, percentage: number) => void;
  /** Budget of one deletion's wait: the pauses between reads of its state (confluence-longtask.ts). Default 10 minutes. */
  readonly deleteTimeoutMs?: number;
}

/** What this target did that the run's notes tell. */
export interface ConfluenceActivity {
  /** Users whose deletion long task was waited for and succeeded, and the longest wait. */
  readonly deleted: number;
  readonly longestDeleteMs: number;
  /** Users whose deletion long task finished unsuccessfully. */
  readonly failedDeletes: number;
}

export interface ConfluenceTarget extends DirectoryTarget {
  readonly pacer: RemotePacer;
  /** The token's own account (`user/current`): protected, the sync never changes it. */
  myself(signal?: AbortSignal): Promise<{ readonly key: string; readonly name: string }>;
  /** A group's members (for protecting the administrators); empty when the group does not exist. */
  members(group: string, signal?: AbortSignal): Promise<{ readonly key: string; readonly name: string }[]>;
  activity(): ConfluenceActivity;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');
const INVALID = /[\s\\,+<>'"]/;

/** Creates the Confluence target. */
export function createConfluenceTarget(options: ConfluenceTargetOptions): ConfluenceTarget {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency });
  const client = new ConfluenceClient({ baseUrl: options.baseUrl, token: options.token, transport: options.transport, pacer });
  const links = options.links;
  const fullAdmin = options.fullAdmin ?? true;
  const managed = new Map<string, string>((options.managedGroups ?? []).map((n) => [groupKeyOf(n), n]));
  const nameByKey = new Map<string, string>();
  const done: ConfluenceDeleteCounts = { deleted: 0, longestDeleteMs: 0, failedDeletes: 0 };

  const capabilities: TargetCapabilities = {
    canDisable: fullAdmin,
    canDeleteUsers: fullAdmin,
    canRenameUsers: false,
    canRenameGroups: false,
    canDeleteGroups: true,
    storesExternalId: false,
    maxConcurrency,
    userFields: ['username', 'email', 'displayName'],
    groupFields: ['name'],
  };

  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw confluenceTargetError(error, what);
    }
  };
  const needAdminApi = (what: string) => {
    if (!fullAdmin) {
      throw new RemoteTargetError(
        'unsupported',
        'invalid',
        `Confluence ${options.version ?? 'before 8.4'} has no user admin API (it came with 8.4), so ${what} cannot be created, changed, disabled or deleted here. Manage the account in the directory Confluence reads (LDAP or Crowd), or upgrade Confluence; groups and memberships are still synced.`,
      );
    }
  };

  const getUser = async (at: { key: string } | { username: string }): Promise<ConfluenceUserJson | undefined> => {
    try {
      const { body } = await client.request<ConfluenceUserJson>('GET', '/user', at);
      if (body?.userKey) nameByKey.set(body.userKey, body.username);
      return body;
    } catch (error) {
      if (error instanceof ConfluenceHttpError && error.status === 404) return undefined;
      throw error;
    }
  };

  /** The current account of `ref`: by its linked key, else by user name. */
  const findUser = async (ref: UserRef) => {
    const key = links?.user(ref.externalId)?.key;
    if (!key) return getUser({ username: lower(ref.username) });
    const found = await getUser({ key });
    if (!found) links?.unlinkUser(ref.externalId);
    return found;
  };

  /** The user name to address `ref` by, without a read when it is known. */
  const nameOf = async (ref: UserRef): Promise<string | undefined> => {
    const key = links?.user(ref.externalId)?.key;
    if (!key) return lower(ref.username);
    return nameByKey.get(key) ?? (await findUser(ref))?.username;
  };

  const adminUser = (name: string) => `/admin/user/${segment(name)}`;

  /** Writes the differences between `current` and `wanted`; `unchanged` when there are none. */
  const converge = async (
    current: ConfluenceUserJson,
    wanted: { email?: string | null; fullName?: string | null; active?: boolean },
  ): Promise<WriteResult> => {
    const patch: Record<string, string> = {};
    if (wanted.email && !sameText(wanted.email, current.email)) patch.email = wanted.email;
    if (wanted.fullName && !sameText(wanted.fullName, current.displayName)) patch.fullName = wanted.fullName;
    let changed = false;
    if (Object.keys(patch).length > 0) {
      await client.request('PUT', adminUser(current.username), undefined, patch);
      changed = true;
    }
    if (wanted.active !== undefined && wanted.active !== isActive(current)) {
      await client.request('PUT', `${adminUser(current.username)}/${wanted.active ? 'enable' : 'disable'}`);
      changed = true;
    }
    return changed ? 'applied' : 'unchanged';
  };

  const deletion: ConfluenceUserDeletion = {
    client,
    clock: options.clock,
    onDeleteProgress: options.onDeleteProgress,
    deleteTimeoutMs: options.deleteTimeoutMs,
    done,
  };

  const notFound = (ref: UserRef) =>
    new RemoteTargetError('not-found', 'not-found', `user ${ref.username} does not exist in Confluence.`);

  return {
    id: options.id,
    capabilities,
    pacer,
    activity: () => ({ ...done }),
    myself: (signal) =>
      wrap("reading the token's own account", async () => {
        const { body } = await client.request<ConfluenceUserJson>('GET', '/user/current', undefined, undefined, signal);
        return { key: body.userKey, name: body.username };
      }),
    members: (group, signal) =>
      wrap(`reading group ${group}`, async () => {
        const out: { key: string; name: string }[] = [];
        try {
          for await (const page of pages<ConfluenceUserJson>(client, `/group/${segment(group)}/member`, 1000, signal)) {
            for (const u of page) out.push({ key: u.userKey, name: u.username });
          }
        } catch (error) {
          if (!(error instanceof ConfluenceHttpError && error.status === 404)) throw error;
        }
        return out;
      }),

    readUsers(read: TargetReadOptions = {}): AsyncIterable<readonly TargetUserRecord[]> {
      const pages = readConfluenceUsers(client, links, Math.min(read.pageSize ?? 1000, 1000), fullAdmin, read.signal);
      return (async function* () {
        for await (const page of pages) {
          for (const u of page) nameByKey.set(u.key, u.username);
          yield page;
        }
      })();
    },
    readGroups: (read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupRecord[]> =>
      readConfluenceGroups(client, managed, links, read.signal),
    readMemberships: (read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupMembers[]> =>
      readConfluenceMemberships(client, [...managed.values()], Math.min(read.pageSize ?? 1000, 1000), read.signal),

    createUser: (externalId, fields: UserFields, active) =>
      wrap(`user ${fields.username}`, async () => {
        needAdminApi(`user ${fields.username}`);
        const userName = lower(fields.username);
        if (INVALID.test(userName) || userName === 'anonymous') {
          throw new RemoteTargetError(
            'rejected',
            'invalid',
            `Confluence user names cannot contain whitespace or any of \\ , + < > ' " and cannot be "anonymous", so ${fields.username} cannot be created. Map another attribute to the username or set this user's username in Sync settings → Name conflicts.`,
          );
        }
        const wanted = { email: fields.email, fullName: fields.displayName, active };
        const linked = links?.user(externalId) ? await findUser({ externalId, username: userName }) : undefined;
        if (linked) return converge(linked, wanted);
        if (!fields.email) {
          throw new RemoteTargetError(
            'rejected',
            'invalid',
            `Confluence needs an e-mail address for every user, and ${fields.username} has none. Map an attribute that always holds one (mail or userPrincipalName).`,
          );
        }
        let key: string;
        try {
          // A random password nobody needs (people sign in through SSO); never logged or shown.
          const { body } = await client.request<{ userKey?: string }>('POST', '/admin/user', undefined, {
            userName,
            fullName: fields.displayName || userName,
            email: fields.email,
            password: randomBytes(30).toString('base64url'),
          });
          key = body?.userKey ?? (await getUser({ username: userName }))?.userKey ?? '';
        } catch (error) {
          // Exists already (someone else's, or our own create whose answer was lost): the same name is a match.
          const now =
            error instanceof ConfluenceHttpError && error.status === 409 ? await getUser({ username: userName }) : undefined;
          if (!now) throw error;
          links?.linkUser(externalId, now.userKey, 'matched');
          return converge(now, wanted);
        }
        nameByKey.set(key, userName);
        links?.linkUser(externalId, key, 'created');
        if (!active) await client.request('PUT', `${adminUser(userName)}/disable`);
        return 'applied';
      }),

    updateUser: (ref, changes) =>
      wrap(`user ${ref.username}`, async () => {
        needAdminApi(`user ${ref.username}`);
        if (changes.username !== undefined && lower(changes.username) !== lower(ref.username)) {
          throw new RemoteTargetError(
            'unsupported',
            'invalid',
            `Confluence's REST API cannot rename users, so ${ref.username} keeps its name; rename it in Confluence administration if needed.`,
          );
        }
        const current = await findUser(ref);
        if (!current) throw notFound(ref);
        return converge(current, {
          ...(changes.email !== undefined ? { email: changes.email } : {}),
          ...(changes.displayName !== undefined ? { fullName: changes.displayName } : {}),
        });
      }),

    setUserActive: (ref, active) =>
      wrap(`user ${ref.username}`, async () => {
        needAdminApi(`user ${ref.username}`);
        const current = await findUser(ref);
        if (!current) throw notFound(ref);
        return converge(current, { active });
      }),

    deleteUser: (ref) =>
      wrap(`user ${ref.username}`, async () => {
        needAdminApi(`user ${ref.username}`);
        const current = await findUser(ref);
        if (!current) {
          links?.unlinkUser(ref.externalId);
          return 'unchanged';
        }
        await deleteConfluenceUser(deletion, current, async () => (await getUser({ key: current.userKey })) === undefined);
        nameByKey.delete(current.userKey);
        links?.unlinkUser(ref.externalId);
        return 'applied';
      }),

    createGroup: (externalId, fields: GroupFields) =>
      wrap(`group ${fields.name}`, async () => {
        const key = groupKeyOf(fields.name);
        managed.set(key, managed.get(key) ?? fields.name);
        try {
          await client.request('POST', '/admin/group', undefined, { name: key });
        } catch (error) {
          const exists =
            error instanceof ConfluenceHttpError &&
            (error.status === 409 || error.status === 400) &&
            (await client.request('GET', `/group/${segment(key)}`).then(
              () => true,
              () => false,
            ));
          if (!exists) throw error;
          if (links?.groupByKey(key)?.externalId !== externalId) links?.linkGroup(externalId, key, 'matched');
          return 'unchanged';
        }
        links?.linkGroup(externalId, key, 'created');
        return 'applied';
      }),

    updateGroup: async (group, changes) => {
      // Names differing only in case are the same Confluence group (it keeps them lower case).
      if (changes.name !== undefined && groupKeyOf(changes.name) !== groupKeyOf(group.name)) {
        throw new RemoteTargetError(
          'unsupported',
          'cannot-rename-group',
          `Confluence cannot rename groups, so group ${group.name} keeps its name; create ${changes.name} instead if you need it.`,
        );
      }
      if (changes.name !== undefined) managed.set(groupKeyOf(changes.name), changes.name);
      return 'unchanged';
    },

    deleteGroup: (group) =>
      wrap(`group ${group.name}`, async () => {
        try {
          await client.request('DELETE', `/admin/group/${segment(groupKeyOf(group.name))}`);
        } catch (error) {
          if (!(error instanceof ConfluenceHttpError && error.status === 404)) throw error;
          return 'unchanged';
        }
        links?.unlinkGroup(group.externalId);
        managed.delete(groupKeyOf(group.name));
        return 'applied';
      }),

    addMember: (group, user) =>
      wrap<WriteResult>(`user ${user.username} in group ${group.name}`, async () => {
        const name = await nameOf(user);
        if (name === undefined) throw notFound(user);
        // Idempotent in Confluence: 204 whether or not the user was a member.
        await client.request('PUT', `/user/${segment(name)}/group/${segment(groupKeyOf(group.name))}`);
        return 'applied';
      }),

    removeMember: (group, user) =>
      wrap(`user ${user.username} in group ${group.name}`, async () => {
        const name = await nameOf(user);
        if (name === undefined) return 'unchanged';
        try {
          await client.request('DELETE', `/user/${segment(name)}/group/${segment(groupKeyOf(group.name))}`);
        } catch (error) {
          if (error instanceof ConfluenceHttpError && error.status === 404) return 'unchanged';
          throw error;
        }
        return 'applied';
      }),
  };
}
