/**
 * Crowd Data Center as a {@link DirectoryTarget}, over `/rest/usermanagement/1` signed in as a Crowd application
 * (atlassian-facts.md, Crowd). Crowd's rules, applied here:
 * - **PUT replaces the whole user**: a field left out of the body is blanked. Every change reads the user first and
 *   sends back every field it read, with only the changed ones replaced; deactivation is the same PUT with
 *   `active: false`.
 * - Users and groups are addressed by name (compared in any case). A linked user is addressed by its link's key (its
 *   name in lower case as last written), so a rename earlier in the run is followed; a rename is `user/rename`, and
 *   the link moves with it. A new account lands in the application's first writable directory, which the REST API
 *   does not name.
 * - Nested groups are left as they are: only direct user memberships are written, child groups never.
 * Every write is idempotent from the caller's view: creating what exists converges it, removing what is gone is
 * `unchanged`, so an interrupted run can be run again.
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
import { CrowdClient, CrowdHttpError } from './crowd-client';
import { crowdTargetError } from './crowd-errors';
import { crowdLookups } from './crowd-lookups';
import { RateLearner } from '../remote/rate-learner';
import { fullBody, sameBody, unusedPassword, withChanges } from './crowd-user-body';
import { readAdminProtection, type AdminProtection } from '../remote/target-policy';
import {
  directChildGroups,
  directMembers,
  keyOf,
  readCrowdGroups,
  readCrowdMemberships,
  readCrowdUsers,
  type CrowdUserJson,
} from './crowd-reads';

export interface CrowdTargetOptions {
  readonly id: string;
  /** With the context path: `https://crowd.example.com/crowd`. */
  readonly baseUrl: string;
  readonly applicationName: string;
  readonly password: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** Names of the groups whose direct members the sync reads (one request per group). */
  readonly managedGroups?: readonly string[];
  readonly links?: TargetLinks;
  readonly matchByEmail?: boolean;
  /** Calls in flight. Default 4. */
  readonly maxConcurrency?: number;
  readonly pacer?: RemotePacer;
}

export interface CrowdTarget extends DirectoryTarget {
  readonly pacer: RemotePacer;
  readonly learner: RateLearner;
  /** The members of the administrator groups, directly or through nested groups: protected accounts. */
  administrators(groups: readonly string[], signal?: AbortSignal): Promise<AdminProtection>;
  /** What this target applied so far: the run's notes explain Crowd's rules where they mattered. */
  applied(): { readonly createdUsers: number; readonly membershipWrites: number };
}

/** Creates the Crowd target. */
export function createCrowdTarget(options: CrowdTargetOptions): CrowdTarget {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency });
  const learner = new RateLearner(options.clock);
  const client = new CrowdClient({
    baseUrl: options.baseUrl,
    applicationName: options.applicationName,
    password: options.password,
    transport: options.transport,
    pacer,
    learner,
  });
  const links = options.links;
  const managed = new Map<string, string>((options.managedGroups ?? []).map((n) => [keyOf(n), n]));
  const app = options.applicationName;
  const counts = { createdUsers: 0, membershipWrites: 0 };

  const capabilities: TargetCapabilities = {
    canDisable: true,
    canDeleteUsers: true,
    canRenameUsers: true,
    canRenameGroups: false,
    canDeleteGroups: true,
    storesExternalId: false,
    maxConcurrency,
    userFields: ['username', 'email', 'displayName', 'givenName', 'surname'],
    groupFields: ['name', 'description'],
  };

  const wrap = async <T>(what: string, fn: () => Promise<T>, existingUser = false): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw crowdTargetError(error, what, { application: app, existingUser });
    }
  };
  const notFound = (s: string) => new RemoteTargetError('not-found', 'not-found', `user ${s} does not exist in Crowd.`);
  const { getUser, getGroup, findByEmail } = crowdLookups(client);

  /** PUTs the whole user with `changes` over what was read; `unchanged` when nothing differs. */
  const converge = async (current: CrowdUserJson, changes: Partial<UserFields>, active?: boolean): Promise<WriteResult> => {
    const before = fullBody(current);
    const after = withChanges(before, changes, active);
    if (sameBody(before, after)) return 'unchanged';
    await client.request('PUT', '/user', { username: current.name }, after);
    return 'applied';
  };

  /** `user/rename`, then the link follows the new name. */
  const rename = async (ref: UserRef, current: CrowdUserJson, to: string): Promise<CrowdUserJson> => {
    try {
      await client.request('POST', '/user/rename', { username: current.name }, { 'new-name': to });
    } catch (error) {
      // An HTML 404 (no Crowd reason): this Crowd has no rename resource.
      if (error instanceof CrowdHttpError && error.status === 404 && !error.reason) {
        throw new RemoteTargetError(
          'unsupported',
          'invalid',
          `This Crowd cannot rename users over REST, so user ${current.name} keeps its name; rename it in the Crowd console to ${to}.`,
        );
      }
      throw error;
    }
    const link = links?.user(ref.externalId);
    if (link) links?.linkUser(ref.externalId, keyOf(to), link.origin);
    return { ...current, name: to };
  };

  /** The name to address a user by: its link's key (Crowd compares names in any case), else the plan's name. */
  const nameOf = (ref: UserRef) => links?.user(ref.externalId)?.key ?? ref.username;

  const userOp = (ref: UserRef, fn: (current: CrowdUserJson) => Promise<WriteResult>) =>
    wrap(
      `user ${ref.username}`,
      async () => {
        const current = await getUser(nameOf(ref));
        if (!current) throw notFound(ref.username);
        return fn(current);
      },
      true,
    );

  return {
    id: options.id,
    capabilities,
    pacer,
    learner,
    applied: () => ({ ...counts }),
    administrators: (groups, signal) =>
      wrap(`reading the administrator groups ${groups.join(', ')}`, () =>
        readAdminProtection(groups, {
          users: async (group) => ((await directMembers(client, group, 1000, signal)) ?? []).map((name) => ({ name })),
          childGroups: (group) => directChildGroups(client, group, 1000, signal),
        }),
      ),

    readUsers(read: TargetReadOptions = {}): AsyncIterable<readonly TargetUserRecord[]> {
      const pages = readCrowdUsers(client, links, Math.min(read.pageSize ?? 1000, 1000), read.signal);
      return (async function* () {
        try {
          yield* pages;
        } catch (error) {
          throw crowdTargetError(error, 'reading Crowd users', { application: app });
        }
      })();
    },
    readGroups(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupRecord[]> {
      const pages = readCrowdGroups(client, links, Math.min(read.pageSize ?? 1000, 1000), read.signal);
      return (async function* () {
        try {
          yield* pages;
        } catch (error) {
          throw crowdTargetError(error, 'reading Crowd groups', { application: app });
        }
      })();
    },
    readMemberships(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupMembers[]> {
      const pages = readCrowdMemberships(client, [...managed.values()], Math.min(read.pageSize ?? 1000, 1000), read.signal);
      return (async function* () {
        try {
          yield* pages;
        } catch (error) {
          throw crowdTargetError(error, 'reading Crowd group members', { application: app });
        }
      })();
    },

    createUser: (externalId, fields, active) =>
      wrap(`user ${fields.username}`, async () => {
        const wanted: Partial<UserFields> = {
          email: fields.email,
          displayName: fields.displayName,
          givenName: fields.givenName,
          surname: fields.surname,
        };
        // A replay of a create that landed, or an account matched by e-mail: converge it, never a second account.
        const linked = links?.user(externalId) ? await getUser(fields.username) : undefined;
        const existing = linked ?? (options.matchByEmail && fields.email ? await findByEmail(fields.email) : undefined);
        if (existing) {
          if (!linked) links?.linkUser(externalId, keyOf(existing.name), 'matched');
          return converge(existing, wanted, active);
        }
        try {
          await client.request('POST', '/user', undefined, {
            name: fields.username,
            'first-name': fields.givenName ?? '',
            'last-name': fields.surname ?? '',
            'display-name': fields.displayName || fields.username,
            email: fields.email ?? '',
            password: { value: unusedPassword() },
            active,
          });
        } catch (error) {
          // The same name in any case exists (ours from a lost answer, or someone's): a match, converged.
          const now = error instanceof CrowdHttpError && error.status === 400 ? await getUser(fields.username) : undefined;
          if (!now) throw error;
          links?.linkUser(externalId, keyOf(now.name), 'matched');
          return converge(now, wanted, active);
        }
        links?.linkUser(externalId, keyOf(fields.username), 'created');
        counts.createdUsers += 1;
        return 'applied';
      }),

    updateUser: (ref, changes) =>
      wrap(
        `user ${ref.username}`,
        async () => {
          let current = await getUser(nameOf(ref));
          // Renamed already (a replay whose link did not move): the account answers to its new name.
          if (!current && changes.username) current = await getUser(changes.username);
          if (!current) throw notFound(ref.username);
          let renamed = false;
          if (changes.username !== undefined && changes.username !== current.name) {
            current = await rename(ref, current, changes.username);
            renamed = true;
          }
          const result = await converge(current, changes);
          return renamed ? 'applied' : result;
        },
        true,
      ),
    setUserActive: (ref, active) => userOp(ref, (current) => converge(current, {}, active)),

    deleteUser: (ref) =>
      wrap(
        `user ${ref.username}`,
        async () => {
          try {
            await client.request('DELETE', '/user', { username: nameOf(ref) });
          } catch (error) {
            if (!(error instanceof CrowdHttpError && error.status === 404)) throw error;
            links?.unlinkUser(ref.externalId);
            return 'unchanged';
          }
          links?.unlinkUser(ref.externalId);
          return 'applied';
        },
        true,
      ),

    createGroup: (externalId, fields: GroupFields) =>
      wrap(`group ${fields.name}`, async () => {
        const key = keyOf(fields.name);
        managed.set(key, managed.get(key) ?? fields.name);
        try {
          await client.request('POST', '/group', undefined, {
            name: fields.name,
            type: 'GROUP',
            description: fields.description ?? '',
            active: true,
          });
        } catch (error) {
          const now = error instanceof CrowdHttpError && error.status === 400 ? await getGroup(fields.name) : undefined;
          if (!now) throw error;
          if (links?.groupByKey(key)?.externalId !== externalId) links?.linkGroup(externalId, key, 'matched');
          if ((now.description ?? '') === (fields.description ?? '')) return 'unchanged';
          await client.request(
            'PUT',
            '/group',
            { groupname: now.name },
            { name: now.name, type: 'GROUP', active: now.active ?? true, description: fields.description ?? '' },
          );
          return 'applied';
        }
        links?.linkGroup(externalId, key, 'created');
        return 'applied';
      }),

    updateGroup: (group, changes) =>
      wrap(`group ${group.name}`, async () => {
        if (changes.name !== undefined && keyOf(changes.name) !== keyOf(group.name)) {
          throw new RemoteTargetError(
            'unsupported',
            'cannot-rename-group',
            `Crowd cannot rename groups, so group ${group.name} keeps its name; create ${changes.name} instead if you need it.`,
          );
        }
        if (changes.description === undefined) return 'unchanged';
        const current = await getGroup(group.name);
        if (!current) throw new RemoteTargetError('not-found', 'not-found', `group ${group.name} does not exist in Crowd.`);
        if ((current.description ?? '') === (changes.description ?? '')) return 'unchanged';
        // Like a user, a group is replaced whole: send back what was read.
        await client.request(
          'PUT',
          '/group',
          { groupname: current.name },
          { name: current.name, type: 'GROUP', active: current.active ?? true, description: changes.description ?? '' },
        );
        return 'applied';
      }),

    deleteGroup: (group) =>
      wrap(`group ${group.name}`, async () => {
        try {
          await client.request('DELETE', '/group', { groupname: group.name });
        } catch (error) {
          if (!(error instanceof CrowdHttpError && error.status === 404)) throw error;
          return 'unchanged';
        }
        links?.unlinkGroup(group.externalId);
        managed.delete(keyOf(group.name));
        return 'applied';
      }),

    addMember: (group, user) =>
      wrap(
        `user ${user.username} in group ${group.name}`,
        async () => {
          try {
            await client.request('POST', '/group/user/direct', { groupname: group.name }, { name: nameOf(user) });
          } catch (error) {
            if (error instanceof CrowdHttpError && error.status === 409) return 'unchanged';
            throw error;
          }
          counts.membershipWrites += 1;
          return 'applied';
        },
        true,
      ),

    removeMember: (group, user) =>
      wrap(
        `user ${user.username} in group ${group.name}`,
        async () => {
          try {
            await client.request('DELETE', '/group/user/direct', { groupname: group.name, username: nameOf(user) });
          } catch (error) {
            // Not a member, or the user or group is gone: what a replay finds.
            if (error instanceof CrowdHttpError && error.status === 404) return 'unchanged';
            throw error;
          }
          counts.membershipWrites += 1;
          return 'applied';
        },
        true,
      ),
  };
}
