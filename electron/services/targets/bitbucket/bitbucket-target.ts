/**
 * Bitbucket Data Center as a {@link DirectoryTarget}, over `/rest/api/latest` with an administrator's basic auth
 * (atlassian-facts.md, Bitbucket). Bitbucket has no deactivation, so "disable" is the target's choice:
 * - `unlicense` (default): the user leaves every licensing group they are in (found from the global permissions,
 *   bitbucket-licence.ts); the groups are remembered first, so "enable" gives back exactly those (or the default
 *   licensing group for a user the sync never unlicensed);
 * - `delete`: the capability is off and the engine target turns leavers into deletions.
 * Users are created with a strong random password nobody needs (they sign in through SSO); it goes only into the
 * request and is never logged, returned or kept. Every write checks the current state first or after a refusal, so a
 * replayed item is `unchanged`, and an existing account of the same name (any case) or, when allowed, e-mail is
 * matched instead of duplicated. Read-only directory accounts are known from the user read and refused before any
 * request. Batches add many users to a group in one call (bitbucket-members.ts).
 */
import { randomBytes } from 'node:crypto';
import type { GroupFields, UserFields } from '../../../../shared/sync';
import { RateLearner } from '../remote/rate-learner';
import type {
  TargetCapabilities,
  TargetGroupMembers,
  TargetGroupRecord,
  TargetReadOptions,
  TargetUserRecord,
  UserRef,
  WriteResult,
} from '../directory-target';
import { RemotePacer } from '../remote/pacer';
import { readAdminProtection } from '../remote/target-policy';
import { RemoteTargetError } from '../remote/remote-error';
import { BitbucketClient, BitbucketHttpError } from './bitbucket-client';
import { bitbucketTargetError } from './bitbucket-errors';
import type { BitbucketTarget, BitbucketTargetOptions } from './bitbucket-target-types';
import { applyBitbucketBatch, type MemberBatchContext } from './bitbucket-members';
import { readLicenceGroups, type LicenceGroups } from './bitbucket-licence';
import { createLicenceOps } from './bitbucket-licence-ops';
import {
  findBitbucketUser,
  groupMembers,
  isReadOnlyUser,
  keyOf,
  readBitbucketGroups,
  readBitbucketMemberships,
  readBitbucketUsers,
  type BitbucketUserJson,
  type UserFacts,
} from './bitbucket-reads';

export type { BitbucketTarget, BitbucketTargetOptions };

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');

/** A password nobody needs or sees: 32 random bytes, with every character class a password policy may ask for. */
export function unusedPassword(): string {
  return `${randomBytes(32).toString('base64url')}-Aa9`;
}

export function createBitbucketTarget(options: BitbucketTargetOptions): BitbucketTarget {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency });
  const learner = new RateLearner(options.clock);
  const client = new BitbucketClient({
    baseUrl: options.baseUrl,
    username: options.username,
    password: options.password,
    transport: options.transport,
    pacer,
    learner,
  });
  const { links, licenceMemory: memory } = options;
  const mode = options.disableMode ?? 'unlicense';
  const facts: UserFacts = { licensedBy: new Map(), readOnly: new Map() };
  let licencePromise: Promise<LicenceGroups> | undefined;
  const licence = (signal?: AbortSignal) => {
    licencePromise ??= readLicenceGroups(client, options.protectedGroups ?? new Set(), signal).catch((error: unknown) => {
      licencePromise = undefined;
      throw bitbucketTargetError(error, 'reading the global permissions');
    });
    return licencePromise;
  };

  const capabilities: TargetCapabilities = {
    canDisable: mode === 'unlicense',
    canDeleteUsers: true,
    canRenameUsers: true,
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
      throw bitbucketTargetError(error, what);
    }
  };
  const label = (name: string) => `user ${name}`;
  const readOnlyError = (name: string, directory: string) =>
    new RemoteTargetError(
      'unsupported',
      'read-only-directory',
      `Cannot change user ${name} here: the account belongs to ${directory}, which Bitbucket cannot change. Change it at its source.`,
    );
  const mustBeWritable = (u: BitbucketUserJson) => {
    if (isReadOnlyUser(u)) {
      facts.readOnly.set(keyOf(u.name), u.directoryName ?? 'a read-only directory');
      throw readOnlyError(u.name, u.directoryName ?? 'a read-only directory');
    }
  };
  const refuseKnownReadOnly = (name: string) => {
    const directory = facts.readOnly.get(keyOf(name));
    if (directory !== undefined) throw readOnlyError(name, directory);
  };
  /** The name the user has now: a link made by a rename since the plan follows it. */
  const currentName = (ref: UserRef) => links?.user(ref.externalId)?.key ?? ref.username;
  const mustFind = async (ref: UserRef) => {
    const found = await findBitbucketUser(client, currentName(ref));
    if (!found) throw new RemoteTargetError('not-found', 'not-found', `${label(ref.username)} does not exist in Bitbucket.`);
    return found;
  };

  const { licensingGroupsOf, unlicense, relicense, activity } = createLicenceOps({ client, licence, memory, facts });

  /** Writes the differences between `current` and `wanted`; `unchanged` when there are none. */
  const converge = async (
    externalId: string,
    current: BitbucketUserJson,
    wanted: { name?: string; email?: string | null; displayName?: string | null; active?: boolean },
  ): Promise<WriteResult> => {
    let result: WriteResult = 'unchanged';
    let name = current.name;
    const detailsChange =
      (wanted.email && !sameText(wanted.email, current.emailAddress)) ||
      (wanted.displayName && !sameText(wanted.displayName, current.displayName)) ||
      (wanted.name !== undefined && wanted.name !== current.name);
    if (detailsChange || wanted.active !== undefined) mustBeWritable(current);
    if (wanted.name !== undefined && wanted.name !== current.name) {
      await client.request('POST', '/admin/users/rename', undefined, { name: current.name, newName: wanted.name });
      name = wanted.name;
      memory.move(keyOf(current.name), keyOf(name));
      if (links?.user(externalId)) links.linkUser(externalId, keyOf(name), links.user(externalId)!.origin);
      result = 'applied';
    }
    const email = wanted.email && !sameText(wanted.email, current.emailAddress) ? wanted.email : undefined;
    const displayName = wanted.displayName && !sameText(wanted.displayName, current.displayName) ? wanted.displayName : undefined;
    if (email !== undefined || displayName !== undefined) {
      await client.request('PUT', '/admin/users', undefined, {
        name,
        displayName: displayName ?? current.displayName ?? name,
        email: email ?? current.emailAddress,
      });
      result = 'applied';
    }
    if (wanted.active !== undefined && mode === 'unlicense') {
      const licensed = (await licensingGroupsOf(name)).length > 0;
      if (licensed !== wanted.active) {
        const changed = wanted.active ? await relicense({ ...current, name }) : await unlicense({ ...current, name });
        if (changed === 'applied') result = 'applied';
      }
    }
    return result;
  };

  /** An existing account the new user should become: same username in any case, else (when allowed) same e-mail. */
  const findMatch = async (fields: UserFields): Promise<BitbucketUserJson | undefined> => {
    const byName = await findBitbucketUser(client, fields.username);
    if (byName || !options.matchByEmail || !fields.email) return byName;
    const { body } = await client.request<{ values?: BitbucketUserJson[] }>('GET', '/admin/users', {
      filter: fields.email,
      limit: 100,
    });
    const same = (body?.values ?? []).filter((u) => keyOf(u.emailAddress ?? '') === keyOf(fields.email as string));
    return same.length === 1 ? same[0] : undefined;
  };

  const target: BitbucketTarget = {
    id: options.id,
    capabilities,
    pacer,
    learner,
    facts,
    licence: (signal) => licence(signal),
    administrators: (signal) =>
      wrap('reading the administrators', async () => {
        const groups = await licence(signal);
        const granted = new Map<string, string>();
        for (const [name, permission] of groups.directUsers)
          if (permission === 'ADMIN' || permission === 'SYS_ADMIN') granted.set(name, `granted ${permission} directly`);
        const users = async (group: string) => {
          const out: { name: string }[] = [];
          for await (const page of groupMembers(client, group, 1000, signal)) out.push(...page);
          return out;
        };
        return readAdminProtection([...groups.admin.values()], { users }, granted);
      }),
    activity,

    readUsers(read: TargetReadOptions = {}): AsyncIterable<readonly TargetUserRecord[]> {
      const size = Math.min(read.pageSize ?? 1000, 1000);
      return (async function* () {
        const groups = await licence(read.signal);
        yield* readBitbucketUsers(client, groups, links, facts, size, read.signal);
      })();
    },
    readGroups: (read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupRecord[]> =>
      readBitbucketGroups(client, links, read.signal),
    readMemberships: (read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupMembers[]> =>
      readBitbucketMemberships(client, options.memberGroups?.() ?? [], Math.min(read.pageSize ?? 1000, 1000), read.signal),

    createUser: (externalId, fields, active) =>
      wrap(label(fields.username), async () => {
        refuseKnownReadOnly(fields.username);
        const wanted = { email: fields.email, displayName: fields.displayName, active };
        const linked = links?.user(externalId)
          ? await findBitbucketUser(client, currentName({ externalId, username: fields.username }))
          : undefined;
        // A name match needs no read first: Bitbucket refuses a second account of the same name (409), which is the match.
        const existing = linked ?? (options.matchByEmail && fields.email ? await findMatch(fields) : undefined);
        if (existing) {
          if (!linked) links?.linkUser(externalId, keyOf(existing.name), 'matched');
          return converge(externalId, existing, wanted);
        }
        if (!fields.email) {
          throw new RemoteTargetError(
            'rejected',
            'invalid',
            `Bitbucket needs an e-mail address for every user, and ${fields.username} has none. Map an attribute that always holds one (mail or userPrincipalName).`,
          );
        }
        try {
          // Query parameters, no body (atlassian-facts.md); the password exists only in this request.
          await client.request('POST', '/admin/users', {
            name: fields.username,
            displayName: fields.displayName || fields.username,
            emailAddress: fields.email,
            password: unusedPassword(),
            addToDefaultGroup: active,
            notify: false,
          });
        } catch (error) {
          if (!(error instanceof BitbucketHttpError && error.status === 409)) throw error;
          const now = await findBitbucketUser(client, fields.username);
          if (!now) throw error;
          links?.linkUser(externalId, keyOf(now.name), 'matched');
          return converge(externalId, now, wanted);
        }
        links?.linkUser(externalId, keyOf(fields.username), 'created');
        return 'applied';
      }),

    updateUser: (ref, changes) =>
      wrap(label(ref.username), async () => {
        refuseKnownReadOnly(currentName(ref));
        let current = await findBitbucketUser(client, currentName(ref));
        // Renamed already (a replay): the account answers to its new name.
        if (!current && changes.username) current = await findBitbucketUser(client, changes.username);
        if (!current)
          throw new RemoteTargetError('not-found', 'not-found', `${label(ref.username)} does not exist in Bitbucket.`);
        return converge(ref.externalId, current, {
          ...(changes.username !== undefined ? { name: changes.username } : {}),
          ...(changes.email !== undefined ? { email: changes.email } : {}),
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        });
      }),

    setUserActive: (ref, active) =>
      wrap(label(ref.username), async () => {
        refuseKnownReadOnly(currentName(ref));
        if (mode === 'delete') {
          throw new RemoteTargetError(
            'unsupported',
            'invalid',
            `Bitbucket cannot deactivate ${label(ref.username)}; this target deletes leavers instead.`,
          );
        }
        const current = await mustFind(ref);
        mustBeWritable(current);
        return active ? relicense(current) : unlicense(current);
      }),

    deleteUser: (ref) =>
      wrap(label(ref.username), async () => {
        refuseKnownReadOnly(currentName(ref));
        const name = currentName(ref);
        try {
          await client.request('DELETE', '/admin/users', { name });
        } catch (error) {
          if (!(error instanceof BitbucketHttpError && error.status === 404)) throw error;
          links?.unlinkUser(ref.externalId);
          memory.forget(keyOf(name));
          return 'unchanged';
        }
        links?.unlinkUser(ref.externalId);
        memory.forget(keyOf(name));
        return 'applied';
      }),

    createGroup: (externalId, fields: GroupFields) =>
      wrap(`group ${fields.name}`, async () => {
        const key = keyOf(fields.name);
        try {
          await client.request('POST', '/admin/groups', { name: fields.name });
        } catch (error) {
          if (!(error instanceof BitbucketHttpError && error.status === 409)) throw error;
          if (links?.groupByKey(key)?.externalId !== externalId) links?.linkGroup(externalId, key, 'matched');
          return 'unchanged';
        }
        links?.linkGroup(externalId, key, 'created');
        return 'applied';
      }),

    updateGroup: async (group, changes) => {
      if (changes.name !== undefined && keyOf(changes.name) !== keyOf(group.name)) {
        throw new RemoteTargetError(
          'unsupported',
          'cannot-rename-group',
          `Bitbucket cannot rename groups, so group ${group.name} keeps its name; create ${changes.name} instead if you need it.`,
        );
      }
      return 'unchanged';
    },

    deleteGroup: (group) =>
      wrap(`group ${group.name}`, async () => {
        try {
          await client.request('DELETE', '/admin/groups', { name: group.name });
        } catch (error) {
          if (!(error instanceof BitbucketHttpError && error.status === 404)) throw error;
          return 'unchanged';
        }
        links?.unlinkGroup(group.externalId);
        return 'applied';
      }),

    addMember: (group, user) =>
      wrap(`${label(user.username)} in group ${group.name}`, async () => {
        const name = currentName(user);
        refuseKnownReadOnly(name);
        await client.request('POST', '/admin/groups/add-users', undefined, { group: group.name, users: [name] });
        return 'applied' as const;
      }),

    removeMember: (group, user) =>
      wrap(`${label(user.username)} in group ${group.name}`, async () => {
        const name = currentName(user);
        refuseKnownReadOnly(name);
        try {
          await client.request('POST', '/admin/users/remove-group', undefined, { context: name, itemName: group.name });
        } catch (error) {
          // The user or the group is gone: the membership is too.
          if (error instanceof BitbucketHttpError && error.status === 404) return 'unchanged';
          throw error;
        }
        return 'applied';
      }),

    applyBatch: (items) => applyBitbucketBatch(batchContext, items),
  };
  const batchContext: MemberBatchContext = {
    client,
    target,
    nameOf: currentName,
    isReadOnly: (name) => facts.readOnly.has(keyOf(name)),
    chunk: options.memberChunk ?? 100,
    maxConcurrency,
  };
  return target;
}
