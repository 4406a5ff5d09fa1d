/**
 * A SCIM 2.0 service (RFC 7643/7644; Atlassian Cloud user provisioning with its preset) as a {@link DirectoryTarget}.
 * Accounts are addressed by their SCIM `id` once linked, by a `userName eq` / `displayName eq` filter before;
 * `externalId` carries the Entra object id. Creates are one POST: a 409 (`uniqueness`) is read back by filter and
 * becomes a match of an account the sync may manage, or a conflict. Updates are PATCH when the service supports it,
 * else a PUT of the whole resource as read (never blanking an attribute). Memberships are PATCH add/remove
 * operations, several members per request in bounded chunks ({@link applyMemberBatch}), never a member-list replace.
 *
 * Atlassian Cloud's rule: a deactivated user is not returned by `GET /Users`. So a linked user missing from the list
 * is read by id: found, it is there (inactive); 404, it is gone and its link goes. Its state comes from the link
 * store, not from a list that hides it.
 */
import type { GroupFields, PlanItem, UserFields } from '../../../../shared/sync';
import type { ScimPreset } from '../../../../shared/targets';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type {
  BatchItemResult,
  DirectoryTarget,
  TargetCapabilities,
  TargetGroupMembers,
  TargetGroupRecord,
  TargetReadOptions,
  TargetUserRecord,
  UserRef,
  WriteResult,
} from '../directory-target';
import type { TargetLink, TargetLinks } from '../remote/links';
import { RemotePacer } from '../remote/pacer';
import { RemoteTargetError } from '../remote/remote-error';
import { ScimClient, ScimHttpError } from './scim-client';
import { scimTargetError } from './scim-errors';
import { applyMemberBatch, memberOps, type MemberContext } from './scim-members';
import { findBy, getById, readPages } from './scim-reads';
import {
  GROUP_SCHEMA,
  patchOp,
  putBody,
  userBody,
  userFieldsOf,
  userPatchOperations,
  type ScimGroupJson,
  type ScimUserJson,
} from './scim-resources';
import { minimalServiceConfig, type ScimServiceConfig } from './scim-service-config';

export interface ScimTargetOptions {
  readonly id: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** What `/ServiceProviderConfig` said (read once per run by the caller); without it PUT is used, never PATCH. */
  readonly serviceConfig?: ScimServiceConfig;
  readonly preset?: ScimPreset;
  /** Entra id ↔ SCIM id links; `users()` lists the linked users (the hidden-deactivated-users rule needs them). */
  readonly links?: TargetLinks & { users(): TargetLink[] };
  /** Match an existing account by e-mail when no username matches (the admin allows it). */
  readonly matchByEmail?: boolean;
  /** Entra ids in the source: an unlinked account whose `externalId` is one of them is that Entra user's. */
  readonly isEntraUser?: (externalId: string) => boolean;
  readonly isEntraGroup?: (externalId: string) => boolean;
  /** Calls in flight. Default 4. */
  readonly maxConcurrency?: number;
  readonly pacer?: RemotePacer;
  /** Members per PATCH request. Default 50. */
  readonly memberChunk?: number;
}

/** An unlinked account claimed by its `externalId` during a read. */
export interface ExternalIdMatch {
  readonly kind: 'user' | 'group';
  readonly externalId: string;
  readonly key: string;
  readonly name: string;
}

export interface ScimTarget extends DirectoryTarget {
  readonly pacer: RemotePacer;
  readonly client: ScimClient;
  readonly serviceConfig: ScimServiceConfig;
  /** What the membership batches need ({@link applyMemberBatch} over a guarded target). */
  readonly memberContext: MemberContext;
  /** Accounts the last reads matched by `externalId` (their links are written by the caller when the run applies). */
  externalIdMatches(): readonly ExternalIdMatch[];
  /** Linked users the list did not return and that were read by id (Atlassian Cloud's deactivated users). */
  readonly hiddenUsersRead: number;
}

/** Creates the SCIM target. */
export function createScimTarget(options: ScimTargetOptions): ScimTarget {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency });
  const client = new ScimClient({
    baseUrl: options.baseUrl,
    token: options.token,
    transport: options.transport,
    pacer,
    clock: options.clock,
  });
  const config = options.serviceConfig ?? minimalServiceConfig;
  const links = options.links;
  const service = options.preset === 'atlassian-cloud' ? 'Atlassian Cloud' : 'The SCIM service';
  const pageSize = (asked: number | undefined) => Math.max(1, Math.min(asked ?? 100, config.maxResults ?? 100, 100));
  const matches: ExternalIdMatch[] = [];
  let hiddenUsersRead = 0;
  /** Members of the groups the last group read returned them for, by group id. */
  const membersOf = new Map<string, string[] | null>();

  const capabilities: TargetCapabilities = {
    canDisable: true,
    canDeleteUsers: true,
    canRenameUsers: true,
    canRenameGroups: config.patch,
    canDeleteGroups: true,
    storesExternalId: false,
    maxConcurrency,
    userFields: ['username', 'email', 'displayName', 'givenName', 'surname'],
    groupFields: ['name'],
  };

  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw scimTargetError(error, what, service);
    }
  };
  const notFound = (what: string) =>
    new RemoteTargetError(
      'not-found',
      'not-found',
      `${what} does not exist in ${service === 'The SCIM service' ? 'the SCIM service' : service}.`,
    );

  const toRecord = (u: ScimUserJson): TargetUserRecord => {
    let externalId = links?.userByKey(u.id)?.externalId ?? null;
    if (externalId === null && u.externalId && options.isEntraUser?.(u.externalId) && !links?.user(u.externalId)) {
      externalId = u.externalId;
      matches.push({ kind: 'user', externalId, key: u.id, name: u.userName });
    }
    return { key: u.id, externalId, active: u.active ?? true, ...userFieldsOf(u) };
  };

  /** The account of `ref`: by its link, else by `userName eq`. */
  const findUser = async (ref: UserRef): Promise<ScimUserJson | undefined> => {
    const key = links?.user(ref.externalId)?.key;
    if (key) {
      const found = await getById<ScimUserJson>(client, '/Users', key);
      if (found) return found;
      links?.unlinkUser(ref.externalId);
    }
    return (await findBy<ScimUserJson>(client, '/Users', 'userName', ref.username))[0];
  };
  const userKeyOf = async (ref: UserRef): Promise<string | undefined> =>
    links?.user(ref.externalId)?.key ?? (await findBy<ScimUserJson>(client, '/Users', 'userName', ref.username))[0]?.id;
  const groupKeyOf = async (externalId: string, name: string): Promise<string | undefined> =>
    links?.group(externalId)?.key ?? (await findBy<ScimGroupJson>(client, '/Groups', 'displayName', name))[0]?.id;

  /** Writes the differences between `current` and what is wanted: PATCH when supported, else the whole user by PUT. */
  const converge = async (
    current: ScimUserJson,
    externalId: string,
    wanted: Partial<UserFields>,
    active?: boolean,
  ): Promise<WriteResult> => {
    const have = userFieldsOf(current);
    const changes: Partial<UserFields> = {};
    for (const [k, v] of Object.entries(wanted) as [keyof UserFields, string | null][]) {
      if (v === undefined || (v ?? '') === (have[k] ?? '')) continue;
      // An e-mail or display name Entra leaves empty keeps the service's own (the services require them).
      if (!v && (k === 'email' || k === 'displayName')) continue;
      (changes as Record<string, string | null>)[k] = v;
    }
    const activeChanges = active !== undefined && active !== (current.active ?? true);
    const idChanges = current.externalId !== externalId;
    if (Object.keys(changes).length === 0 && !activeChanges && !idChanges) return 'unchanged';
    if (config.patch) {
      const ops = userPatchOperations(changes);
      if (activeChanges) ops.push({ op: 'replace', path: 'active', value: active });
      if (idChanges) ops.push({ op: 'replace', path: 'externalId', value: externalId });
      await client.request('PATCH', `/Users/${encodeURIComponent(current.id)}`, undefined, patchOp(ops));
    } else {
      await client.request(
        'PUT',
        `/Users/${encodeURIComponent(current.id)}`,
        undefined,
        putBody(current, externalId, changes, active ?? current.active ?? true),
      );
    }
    return 'applied';
  };

  /** An account the new user may become after a 409: same externalId, or same userName and not another's. */
  const claimable = async (externalId: string, fields: UserFields): Promise<ScimUserJson | undefined> => {
    const byId = (await findBy<ScimUserJson>(client, '/Users', 'externalId', externalId))[0];
    if (byId) return byId;
    const byName = (await findBy<ScimUserJson>(client, '/Users', 'userName', fields.username))[0];
    if (!byName) return undefined;
    const owner = links?.userByKey(byName.id)?.externalId;
    return owner === undefined || owner === externalId ? byName : undefined;
  };

  const members: MemberContext = {
    client,
    config,
    service,
    userKeyOf,
    groupKeyOf,
    memberChunk: options.memberChunk ?? 50,
    maxConcurrency,
  };

  const target: ScimTarget = {
    id: options.id,
    capabilities,
    pacer,
    client,
    serviceConfig: config,
    memberContext: members,
    externalIdMatches: () => [...matches],
    get hiddenUsersRead() {
      return hiddenUsersRead;
    },

    readUsers(read: TargetReadOptions = {}): AsyncIterable<readonly TargetUserRecord[]> {
      return (async function* () {
        matches.splice(0, matches.length, ...matches.filter((m) => m.kind !== 'user'));
        const seen = new Set<string>();
        for await (const page of readPages<ScimUserJson>(client, '/Users', pageSize(read.pageSize), read.signal)) {
          for (const u of page) seen.add(u.id);
          yield page.map(toRecord);
        }
        // Linked users the list did not return: deactivated ones (Atlassian Cloud hides them) or gone.
        const missing = (links?.users() ?? []).filter((l) => !seen.has(l.key));
        const found: TargetUserRecord[] = [];
        let next = 0;
        const worker = async () => {
          while (next < missing.length) {
            const link = missing[next++]!;
            const u = await getById<ScimUserJson>(client, '/Users', link.key, read.signal);
            hiddenUsersRead++;
            if (u) found.push(toRecord(u));
            else links?.unlinkUser(link.externalId);
          }
        };
        await Promise.all(Array.from({ length: Math.min(maxConcurrency, missing.length) }, worker));
        if (found.length > 0) yield found;
      })();
    },
    readGroups(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupRecord[]> {
      return (async function* () {
        membersOf.clear();
        matches.splice(0, matches.length, ...matches.filter((m) => m.kind !== 'group'));
        for await (const page of readPages<ScimGroupJson>(client, '/Groups', pageSize(read.pageSize), read.signal)) {
          yield page.map((g) => {
            membersOf.set(g.id, Array.isArray(g.members) ? g.members.map((m) => m.value) : null);
            let externalId = links?.groupByKey(g.id)?.externalId ?? null;
            if (externalId === null && g.externalId && options.isEntraGroup?.(g.externalId) && !links?.group(g.externalId)) {
              externalId = g.externalId;
              matches.push({ kind: 'group', externalId, key: g.id, name: g.displayName });
            }
            return { key: g.id, externalId, name: g.displayName, description: null };
          });
        }
      })();
    },
    readMemberships(read: TargetReadOptions = {}): AsyncIterable<readonly TargetGroupMembers[]> {
      return (async function* () {
        for (const [groupKey, known] of membersOf) {
          // A service that leaves members out of lists: read the group by id.
          const userKeys =
            known ?? (await getById<ScimGroupJson>(client, '/Groups', groupKey, read.signal))?.members?.map((m) => m.value) ?? [];
          yield [{ groupKey, userKeys }];
        }
      })();
    },

    createUser: (externalId, fields, active) =>
      wrap(`user ${fields.username}`, async () => {
        const linked = links?.user(externalId) ? await findUser({ externalId, username: fields.username }) : undefined;
        if (linked) return converge(linked, externalId, fields, active);
        let created: ScimUserJson;
        try {
          created = (await client.request<ScimUserJson>('POST', '/Users', undefined, userBody(externalId, fields, active))).body;
        } catch (error) {
          if (!(error instanceof ScimHttpError && error.status === 409)) throw error;
          // Created meanwhile (a lost answer of ours, another tool): the same externalId or userName is a match.
          const now = await claimable(externalId, fields);
          if (!now)
            throw new RemoteTargetError(
              'conflict',
              'duplicate',
              `user ${fields.username}: ${service} already has an account with this name or e-mail that another Entra user owns, or that cannot be found by its name${options.preset === 'atlassian-cloud' ? ' (Atlassian Cloud does not find deactivated accounts by filter: reactivate or remove it in Atlassian Administration)' : ''}.${error.detail ? ` It said: "${error.detail}"` : ''} Remove or rename that account, or turn on matching by e-mail.`,
            );
          links?.linkUser(externalId, now.id, 'matched');
          return converge(now, externalId, fields, active);
        }
        links?.linkUser(externalId, created.id, 'created');
        return 'applied';
      }),

    updateUser: (ref, changes) =>
      wrap(`user ${ref.username}`, async () => {
        let current = await findUser(ref);
        if (!current && changes.username)
          current = (await findBy<ScimUserJson>(client, '/Users', 'userName', changes.username))[0];
        if (!current) throw notFound(`user ${ref.username}`);
        return converge(current, ref.externalId, changes);
      }),

    setUserActive: (ref, active) =>
      wrap(`user ${ref.username}`, async () => {
        const current = await findUser(ref);
        if (!current) throw notFound(`user ${ref.username}`);
        return converge(current, ref.externalId, {}, active);
      }),

    deleteUser: (ref) =>
      wrap(`user ${ref.username}`, async () => {
        const key = await userKeyOf(ref);
        if (!key) return 'unchanged';
        try {
          await client.request('DELETE', `/Users/${encodeURIComponent(key)}`);
        } catch (error) {
          if (!(error instanceof ScimHttpError && error.status === 404)) throw error;
          links?.unlinkUser(ref.externalId);
          return 'unchanged';
        }
        links?.unlinkUser(ref.externalId);
        return 'applied';
      }),

    createGroup: (externalId, fields: GroupFields) =>
      wrap(`group ${fields.name}`, async () => {
        const linked = links?.group(externalId)?.key;
        if (linked && (await getById<ScimGroupJson>(client, '/Groups', linked))) return 'unchanged';
        try {
          const { body } = await client.request<ScimGroupJson>('POST', '/Groups', undefined, {
            schemas: [GROUP_SCHEMA],
            displayName: fields.name,
            externalId,
          });
          links?.linkGroup(externalId, body.id, 'created');
          return 'applied';
        } catch (error) {
          if (!(error instanceof ScimHttpError && error.status === 409)) throw error;
          const now = (await findBy<ScimGroupJson>(client, '/Groups', 'displayName', fields.name))[0];
          const owner = now ? links?.groupByKey(now.id)?.externalId : undefined;
          if (!now || (owner !== undefined && owner !== externalId)) throw error;
          links?.linkGroup(externalId, now.id, 'matched');
          return 'unchanged';
        }
      }),

    updateGroup: (group, changes) =>
      wrap(`group ${group.name}`, async () => {
        if (changes.name === undefined || changes.name === group.name) return 'unchanged';
        if (!config.patch)
          throw new RemoteTargetError(
            'unsupported',
            'cannot-rename-group',
            `${service} does not support PATCH, and a PUT of group ${group.name} would replace its whole member list, so it keeps its name; rename it there.`,
          );
        const key = await groupKeyOf(group.externalId, group.name);
        if (!key) throw notFound(`group ${group.name}`);
        await client.request(
          'PATCH',
          `/Groups/${encodeURIComponent(key)}`,
          undefined,
          patchOp([{ op: 'replace', path: 'displayName', value: changes.name }]),
        );
        return 'applied';
      }),

    deleteGroup: (group) =>
      wrap(`group ${group.name}`, async () => {
        const key = await groupKeyOf(group.externalId, group.name);
        links?.unlinkGroup(group.externalId);
        if (!key) return 'unchanged';
        try {
          await client.request('DELETE', `/Groups/${encodeURIComponent(key)}`);
        } catch (error) {
          if (!(error instanceof ScimHttpError && error.status === 404)) throw error;
          return 'unchanged';
        }
        return 'applied';
      }),

    addMember: (group, user) =>
      wrap(`user ${user.username} in group ${group.name}`, () => memberOps(members, 'add', group, [user])),
    removeMember: (group, user) =>
      wrap(`user ${user.username} in group ${group.name}`, () => memberOps(members, 'remove', group, [user])),

    async applyBatch(items: readonly PlanItem[]): Promise<readonly BatchItemResult[]> {
      return applyMemberBatch(target, members, items);
    },
  };
  return target;
}
