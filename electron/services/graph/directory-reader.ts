import type { Client } from '@microsoft/microsoft-graph-client';
import type { SyncPolicy } from '../../../shared/sync';
import type { Clock } from '../ports';
import { emptySourceDirectory, type MutableSourceDirectory } from '../sync/model';
import { groupType, mergeGroups, toSourceUser, userType } from '../sync/source-merge';
import { checkGroups, checkMembers, checkUsers, ItemReport } from './graph-items';
import { DeltaExpiredError, GraphAnswerError, GraphPager, GraphReadError, pathOf } from './graph-pager';

export { DeltaExpiredError, GraphAnswerError, GraphReadError, isDeltaExpired, type GraphPage } from './graph-pager';

/**
 * Reads users, groups and memberships from Microsoft Graph into the sync's normalised source model
 * (graph-facts.md §5):
 * - full read: `/users` with `$select` of the mapped fields and `$top=999`, and — at the same time —
 *   `/groups/delta` with `$select=displayName,description,members`, which yields every group with its direct
 *   members (`members@delta`, a big group spread over several pages is merged by id) *and* the groups delta link.
 *   The users delta link is taken first with `$deltatoken=latest`, so a change made during the read is replayed
 *   by the next delta read instead of lost.
 *   If that bootstrap fails, the full read still succeeds: it returns no delta links and says why in
 *   `deltaLinkProblem` (the next run reads everything again).
 * - delta read: both stored delta links, merged into the previous source; an expired or rejected token throws
 *   {@link DeltaExpiredError} and the caller reads everything again. Any other failure is a failure of the run.
 * - naive read (bench baseline): list groups, then page each group's `/members` one group at a time.
 * Any request that still fails after the pager's retries throws: a partial read is never returned.
 * Every item is checked as it arrives (graph-items.ts); what was repaired is in `warnings`.
 * Devices, contacts and service principals among members are dropped as they are read.
 */

/** The two delta links a delta read continues from. */
export interface DeltaLinks {
  readonly users: string;
  readonly groups: string;
}

/** Counters of a read in progress. */
export interface ReadProgress {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly requests: number;
  readonly retries: number;
}

export interface DirectoryReadOptions {
  readonly client: Client;
  /** User properties to `$select` (see {@link userFieldsFor}). */
  readonly userFields: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Time for retry waits (default: the system clock). */
  readonly clock?: Clock;
  /** Attempts per request (default 8) and first backoff in ms (default 500), see GraphPager. */
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
  /** Jitter source of the backoff (tests pin it). */
  readonly random?: () => number;
  /** See PagerOptions.pageSlack. */
  readonly pageSlack?: number;
}

export interface FullReadResult {
  readonly source: MutableSourceDirectory;
  /** Null when Graph handed out no delta link (then the next run reads everything again). */
  readonly deltaLinks: DeltaLinks | null;
  /** Why there are no delta links although the read succeeded (the users delta bootstrap failed, or Graph sent none). */
  readonly deltaLinkProblem: string | null;
  /** What was repaired or resolved in Graph's items (control characters, duplicates), one sentence each. */
  readonly warnings: readonly string[];
  readonly requests: number;
  readonly retries: number;
}

export interface DeltaReadResult {
  readonly deltaLinks: DeltaLinks;
  /** Ids of users and groups added or changed, and of those removed, for saving the snapshot incrementally. */
  readonly changedUsers: ReadonlySet<string>;
  readonly removedUsers: ReadonlySet<string>;
  readonly changedGroups: ReadonlySet<string>;
  readonly removedGroups: ReadonlySet<string>;
  readonly warnings: readonly string[];
  readonly requests: number;
  readonly retries: number;
}

/** The user properties a policy needs: what the mapping can use, nothing more. */
export function userFieldsFor(mapping: SyncPolicy['mapping']): string[] {
  const fields = ['id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'accountEnabled', 'userType', 'mail'];
  if (mapping.username === 'mailNickname') fields.push('mailNickname');
  if (mapping.username === 'onPremisesSamAccountName') fields.push('onPremisesSamAccountName');
  return fields;
}

function progressReporter(pager: GraphPager, source: MutableSourceDirectory, options: DirectoryReadOptions) {
  let memberships = 0;
  return (links = 0) => {
    memberships += links;
    options.onProgress?.({
      users: source.users.size,
      groups: source.groups.size,
      memberships,
      requests: pager.requests,
      retries: pager.retries,
    });
  };
}

/** Reads the whole directory (users, groups, direct memberships) and the delta links for the next run. */
export async function readDirectoryFull(options: DirectoryReadOptions): Promise<FullReadResult> {
  const pager = new GraphPager(options);
  const source = emptySourceDirectory();
  const report = progressReporter(pager, source, options);
  const items = new ItemReport();
  const select = options.userFields.join(',');
  const usersLink = await bootstrapUsersDelta(pager, select);
  const usersPath = `/users?$select=${select}&$top=999`;
  const [, groupsLink] = await Promise.all([
    pager.follow(usersPath, (page, n) => {
      for (const raw of checkUsers(page, { collection: '/users', page: n }, items)) {
        if (source.users.has(raw.id)) items.duplicate(raw.id);
        source.users.set(raw.id, toSourceUser(raw));
      }
      report();
    }),
    // Not read as a delta round: this listing sends no token, so a 410 here is a failed read, not an expired token
    // (DeltaExpiredError would say "a full read is needed" of the full read that just failed).
    pager.follow('/groups/delta?$select=displayName,description,members', (page, n) => {
      const links = mergeGroups(source, checkGroups(page, { collection: '/groups/delta', page: n }, items));
      report(links);
      return links;
    }),
  ]);
  const deltaLinks = typeof usersLink === 'string' && groupsLink ? { users: usersLink, groups: groupsLink } : null;
  const deltaLinkProblem =
    typeof usersLink === 'object' ? usersLink.problem : groupsLink ? null : 'Graph sent no delta link for the groups';
  return { source, deltaLinks, deltaLinkProblem, warnings: items.notes(), requests: pager.requests, retries: pager.retries };
}

/**
 * The users delta link, taken with `$deltatoken=latest` before the listing starts. Only the next run needs it, so
 * a failure here costs that run a full read and nothing more: it is returned as a problem, not thrown.
 */
async function bootstrapUsersDelta(pager: GraphPager, select: string): Promise<string | { problem: string } | undefined> {
  const url = `/users/delta?$select=${select}&$deltatoken=latest`;
  try {
    return (await pager.follow(url, () => {}, true)) ?? { problem: 'Graph sent no delta link for the users' };
  } catch (error) {
    if (error instanceof GraphReadError || error instanceof DeltaExpiredError || error instanceof GraphAnswerError) {
      return { problem: `Starting change tracking of ${pathOf(url)} failed (${error.message})` };
    }
    throw error;
  }
}

/**
 * Applies the changes since `links` to `source` (in place). On any failure `source` is half-updated and must be
 * thrown away by the caller; it never reaches a plan.
 */
export async function readDirectoryDelta(
  source: MutableSourceDirectory,
  links: DeltaLinks,
  options: DirectoryReadOptions,
): Promise<DeltaReadResult> {
  const pager = new GraphPager(options);
  const report = progressReporter(pager, source, options);
  const items = new ItemReport();
  const changedUsers = new Set<string>();
  const removedUsers = new Set<string>();
  const changedGroups = new Set<string>();
  const removedGroups = new Set<string>();
  const [users, groups] = await Promise.all([
    pager.follow(
      links.users,
      (page, n) => {
        for (const raw of checkUsers(page, { collection: '/users/delta', page: n }, items)) {
          if (raw['@removed'] !== undefined) {
            source.users.delete(raw.id);
            removedUsers.add(raw.id);
            changedUsers.delete(raw.id);
          } else {
            source.users.set(raw.id, toSourceUser(raw, source.users.get(raw.id)));
            changedUsers.add(raw.id);
            removedUsers.delete(raw.id);
          }
        }
        report();
      },
      true,
    ),
    pager.follow(
      links.groups,
      (page, n) => {
        const checked = checkGroups(page, { collection: '/groups/delta', page: n }, items);
        const touched = mergeGroups(source, checked, changedGroups, removedGroups);
        report(touched);
        return touched;
      },
      true,
    ),
  ]);
  // A delta round always ends in a delta link; a missing one means the chain broke, which we treat as expiry.
  if (!users || !groups) throw new DeltaExpiredError('/delta', 'no delta link at the end of the round');
  return {
    deltaLinks: { users, groups },
    changedUsers,
    removedUsers,
    changedGroups,
    removedGroups,
    warnings: items.notes(),
    requests: pager.requests,
    retries: pager.retries,
  };
}

/**
 * The naive strategy, for the bench only: users and groups listed, then every group's members paged one group
 * at a time. Same result as {@link readDirectoryFull}, many more requests.
 */
export async function readDirectoryNaive(
  options: DirectoryReadOptions & { readonly groupLimit?: number },
): Promise<FullReadResult> {
  const pager = new GraphPager(options);
  const source = emptySourceDirectory();
  const report = progressReporter(pager, source, options);
  const items = new ItemReport();
  const select = options.userFields.join(',');
  await pager.follow(`/users?$select=${select}&$top=999`, (page, n) => {
    for (const raw of checkUsers(page, { collection: '/users', page: n }, items)) source.users.set(raw.id, toSourceUser(raw));
    report();
  });
  await pager.follow('/groups?$select=id,displayName,description&$top=999', (page, n) => {
    for (const raw of checkGroups(page, { collection: '/groups', page: n }, items))
      source.groups.set(raw.id, { id: raw.id, displayName: raw.displayName ?? null, description: raw.description ?? null });
    report();
  });
  // groupLimit lets the bench sample the slow part and extrapolate.
  for (const groupId of [...source.groups.keys()].slice(0, options.groupLimit)) {
    const members: string[] = [];
    source.members.set(groupId, members);
    const collection = `/groups/${groupId}/members`;
    await pager.follow(`${collection}?$select=id&$top=999`, (page, n) => {
      for (const member of checkMembers(page, { collection, page: n })) {
        if (member['@odata.type'] === userType || member['@odata.type'] === groupType) members.push(member.id);
      }
      report(page.length);
    });
  }
  return {
    source,
    deltaLinks: null,
    deltaLinkProblem: null,
    warnings: items.notes(),
    requests: pager.requests,
    retries: pager.retries,
  };
}
