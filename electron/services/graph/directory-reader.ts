import { RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../shared/errors';
import type { SyncPolicy } from '../../../shared/sync';
import { emptySourceDirectory, type MutableSourceDirectory } from '../sync/model';
import {
  groupType,
  mergeGroups,
  toSourceUser,
  userType,
  type RawGroup,
  type RawMember,
  type RawUser,
} from '../sync/source-merge';
import { describeFailure, type ConnectionFailure } from './graph-client';

/**
 * Reads users, groups and memberships from Microsoft Graph into the sync's normalised source model
 * (graph-facts.md §5):
 * - full read: `/users` with `$select` of the mapped fields and `$top=999`, and — at the same time —
 *   `/groups/delta` with `$select=displayName,description,members`, which yields every group with its direct
 *   members (`members@delta`, a big group spread over several pages is merged by id) *and* the groups delta link.
 *   The users delta link is taken first with `$deltatoken=latest`, so a change made during the read is replayed
 *   by the next delta read instead of lost.
 * - delta read: both stored delta links, merged into the previous source; an expired or rejected token throws
 *   {@link DeltaExpiredError} and the caller reads everything again.
 * - naive read (bench baseline): list groups, then page each group's `/members` one group at a time.
 * Any request that still fails after the pager's retries throws: a partial read is never returned.
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
  /** Attempts per request (default 8) and first backoff in ms (default 500), see GraphPager. */
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
}

export interface FullReadResult {
  readonly source: MutableSourceDirectory;
  /** Null when Graph handed out no delta link (then the next run reads everything again). */
  readonly deltaLinks: DeltaLinks | null;
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
  const select = options.userFields.join(',');
  const usersLink = await pager.follow(`/users/delta?$select=${select}&$deltatoken=latest`, () => {}, true);
  const [, groupsLink] = await Promise.all([
    pager.follow<RawUser>(`/users?$select=${select}&$top=999`, (users) => {
      for (const raw of users) source.users.set(raw.id, toSourceUser(raw));
      report();
    }),
    pager.follow<RawGroup>(
      '/groups/delta?$select=displayName,description,members',
      (groups) => report(mergeGroups(source, groups)),
      true,
    ),
  ]);
  const deltaLinks = usersLink && groupsLink ? { users: usersLink, groups: groupsLink } : null;
  return { source, deltaLinks, requests: pager.requests, retries: pager.retries };
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
  const changedUsers = new Set<string>();
  const removedUsers = new Set<string>();
  const changedGroups = new Set<string>();
  const removedGroups = new Set<string>();
  const [users, groups] = await Promise.all([
    pager.follow<RawUser>(
      links.users,
      (page) => {
        for (const raw of page) {
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
    pager.follow<RawGroup>(links.groups, (page) => report(mergeGroups(source, page, changedGroups, removedGroups)), true),
  ]);
  // A delta round always ends in a delta link; a missing one means the chain broke, which we treat as expiry.
  if (!users || !groups) throw new DeltaExpiredError('/delta', 'no delta link at the end of the round');
  return {
    deltaLinks: { users, groups },
    changedUsers,
    removedUsers,
    changedGroups,
    removedGroups,
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
  const select = options.userFields.join(',');
  await pager.follow<RawUser>(`/users?$select=${select}&$top=999`, (users) => {
    for (const raw of users) source.users.set(raw.id, toSourceUser(raw));
    report();
  });
  await pager.follow<RawGroup>('/groups?$select=id,displayName,description&$top=999', (groups) => {
    for (const raw of groups)
      source.groups.set(raw.id, { id: raw.id, displayName: raw.displayName ?? null, description: raw.description ?? null });
    report();
  });
  // groupLimit lets the bench sample the slow part and extrapolate.
  for (const groupId of [...source.groups.keys()].slice(0, options.groupLimit)) {
    const members: string[] = [];
    source.members.set(groupId, members);
    await pager.follow<RawMember>(`/groups/${groupId}/members?$select=id&$top=999`, (page) => {
      for (const member of page) {
        if (member['@odata.type'] === userType || member['@odata.type'] === groupType) members.push(member.id);
      }
      report(page.length);
    });
  }
  return { source, deltaLinks: null, requests: pager.requests, retries: pager.retries };
}

// ---------------------------------------------------------------------------------------------------------------
// Paging with our own retry policy, shared by every request of one read: 429 honours Retry-After (and pauses every
// request of the read, as the throttle applies per app and tenant), 5xx and connection resets back off
// exponentially, anything else fails at once. The Graph client's own retry is switched off per request so the two
// do not multiply.

/** A page of a Graph collection. */
export interface GraphPage<T> {
  readonly value?: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

interface PagerOptions {
  readonly client: Client;
  readonly signal?: AbortSignal;
  /** Attempts per request before the read fails (default 8). */
  readonly maxAttempts?: number;
  /** First backoff without Retry-After, doubled per attempt up to 30 s (default 500 ms). */
  readonly backoffMs?: number;
}

/** A Graph read that failed for good: the run must stop rather than plan on part of the directory. */
export class GraphReadError extends AppError {
  readonly failure: ConnectionFailure;
  constructor(failure: ConnectionFailure, path: string) {
    super('graph-read-failed', `Reading ${path} from Microsoft Graph failed: ${describe(failure)}`);
    this.name = 'GraphReadError';
    this.failure = failure;
  }
}

/** A delta link Graph no longer accepts (expired, or the sync state is gone): read everything again. */
export class DeltaExpiredError extends AppError {
  constructor(path: string, reason: string) {
    super('delta-expired', `The delta token for ${path} was rejected (${reason}); a full read is needed.`);
    this.name = 'DeltaExpiredError';
  }
}

function describe(failure: ConnectionFailure): string {
  switch (failure.kind) {
    case 'network':
      return failure.failure.message;
    case 'graph':
      return `${failure.status} ${failure.code}: ${failure.message}`;
    case 'token':
      return failure.aadsts ? `AADSTS${failure.aadsts}: ${failure.description}` : failure.description;
    case 'unknown':
      return failure.message;
  }
}

const deltaExpiredCodes = new Set([
  'syncstatenotfound',
  'resyncrequired',
  'syncstateinvalid',
  'invaliddeltatoken',
  'badrequest_expiredtoken',
]);

/** Whether a failure says "this delta token is no good", in any of the shapes Graph uses. */
export function isDeltaExpired(failure: ConnectionFailure): boolean {
  if (failure.kind !== 'graph') return false;
  if (failure.status === 410) return true;
  const code = failure.code.toLowerCase();
  return deltaExpiredCodes.has(code) || (failure.status === 400 && /delta ?token|sync ?state|resync/i.test(failure.message));
}

/** The path of a URL without its query (skiptokens are opaque; keep messages short). */
function pathOf(url: string): string {
  const withoutQuery = url.split('?')[0] ?? url;
  return withoutQuery.replace(/^https?:\/\/[^/]+/, '');
}

/** Sends GETs for one read. Counts requests and retries for the run's record. */
class GraphPager {
  requests = 0;
  retries = 0;
  private pausedUntil = 0;
  private readonly noClientRetry = [new RetryHandlerOptions(0, 0)];

  constructor(private readonly options: PagerOptions) {}

  /** GETs one page (absolute nextLink or a path relative to the Graph root). */
  async get<T>(url: string, isDelta = false): Promise<GraphPage<T>> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      await this.waitForPause();
      this.options.signal?.throwIfAborted();
      this.requests++;
      try {
        return (await this.options.client.api(url).middlewareOptions(this.noClientRetry).get()) as GraphPage<T>;
      } catch (error) {
        this.options.signal?.throwIfAborted();
        const failure = describeFailure(error);
        if (isDelta && isDeltaExpired(failure)) throw new DeltaExpiredError(pathOf(url), failureCode(failure));
        const delay = this.retryDelay(failure, attempt);
        if (delay === undefined || attempt >= maxAttempts) throw new GraphReadError(failure, pathOf(url));
        this.retries++;
        await sleep(delay, this.options.signal);
      }
    }
  }

  /** Follows `@odata.nextLink` from `url` to the end, handing each page to `onPage`; returns the delta link if any. */
  async follow<T>(url: string, onPage: (items: T[]) => void | Promise<void>, isDelta = false): Promise<string | undefined> {
    let next: string | undefined = url;
    // A collection that keeps handing out nextLinks forever is a bug somewhere; stop rather than spin.
    for (let pages = 0; next; pages++) {
      if (pages > 1_000_000) throw new AppError('graph-read-failed', `Paging ${pathOf(url)} did not end.`);
      const page: GraphPage<T> = await this.get<T>(next, isDelta);
      await onPage(page.value ?? []);
      if (page['@odata.deltaLink']) return page['@odata.deltaLink'];
      next = page['@odata.nextLink'];
    }
    return undefined;
  }

  private retryDelay(failure: ConnectionFailure, attempt: number): number | undefined {
    const backoff = Math.min((this.options.backoffMs ?? 500) * 2 ** (attempt - 1), 30_000) * (0.5 + Math.random() / 2);
    if (failure.kind === 'network') {
      return ['reset', 'timeout', 'unknown'].includes(failure.failure.code) ? backoff : undefined;
    }
    if (failure.kind !== 'graph') return undefined;
    if (failure.status === 429) {
      const wait = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : backoff;
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
      return wait;
    }
    if ([500, 502, 503, 504].includes(failure.status)) {
      return failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : backoff;
    }
    return undefined;
  }

  private async waitForPause(): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, this.options.signal);
  }
}

function failureCode(failure: ConnectionFailure): string {
  return failure.kind === 'graph' ? `${failure.status} ${failure.code}` : failure.kind;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
