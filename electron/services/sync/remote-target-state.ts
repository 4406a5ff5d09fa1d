import type { PlanWarning, SyncPolicy } from '../../../shared/sync';
import type { DirectoryTarget, TargetUserRecord } from '../targets/directory-target';
import { yieldToEventLoop } from './database';
import { nameKey, type SourceDirectory, type TargetGroupState, type TargetUserState } from './model';
import { groupName, groupsInScope, mapUser, passesUserFilters, userScopeCandidates } from './scope';
import type { MutableTargetState } from './state-cache';
import { readMemberIds } from './target-state';

/**
 * Reads a remote target (Jira) into the planner's state, with the two rules a product target adds to the embedded
 * directory's:
 * - **Matching.** An account the sync has no link for is matched to the Entra user whose mapped username is the same
 *   in any case (as Jira compares them), else, when the admin allows it, whose e-mail is the same (one account only).
 *   Groups match by name. A match is planned like a linked account and said as a `matched` warning, so the dry run
 *   shows it before anything changes; the link itself is written only when the run applies ({@link RemoteState.commit}).
 * - **Protection.** The token's own account and the administrator groups are never managed: not matched, not read
 *   as linked even if a link exists, their names left held (the planner then creates nothing under them), each one
 *   said as a `protected` warning.
 */

export interface Protection {
  /** Keys of protected accounts (the token's own). */
  readonly userKeys: ReadonlySet<string>;
  /** Lower-cased usernames of protected accounts. */
  readonly usernames: ReadonlySet<string>;
  /** Lower-cased names of protected groups. */
  readonly groups: ReadonlySet<string>;
  /** Why an account is protected, in the plan's words ("member of crowd-administrators via group ops"). */
  readonly reasonOf?: (username: string) => string | undefined;
}

export interface PendingLink {
  readonly externalId: string;
  readonly key: string;
  readonly name: string;
}

export interface RemoteState {
  readonly state: MutableTargetState;
  readonly warnings: PlanWarning[];
  readonly userMatches: readonly PendingLink[];
  readonly groupMatches: readonly PendingLink[];
}

export interface RemoteReadOptions {
  readonly policy: SyncPolicy;
  readonly protection: Protection;
  readonly matchByEmail: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number) => void;
}

/** What Entra wants in the target, by lower-cased name: the candidates a match is looked up in. */
function wanted(source: SourceDirectory, policy: SyncPolicy) {
  const byUsername = new Map<string, string>();
  const byEmail = new Map<string, string | null>();
  for (const id of userScopeCandidates(source, policy)) {
    const user = source.users.get(id);
    if (!user || !passesUserFilters(user, policy)) continue;
    const mapped = mapUser(user, policy.mapping);
    if (mapped.username) byUsername.set(nameKey(mapped.username), id);
    // Two Entra users with one address match nothing by e-mail.
    if (mapped.email) {
      const key = nameKey(mapped.email);
      byEmail.set(key, byEmail.has(key) ? null : id);
    }
  }
  const groups = new Map<string, { id: string; name: string }>();
  for (const id of groupsInScope(source, policy)) {
    const name = groupName(source.groups.get(id)!.displayName, id);
    groups.set(nameKey(name), { id, name });
  }
  return { byUsername, byEmail, groups };
}

/** Reads the target's users, managed groups and their members, matching and protecting as described above. */
export async function readRemoteTargetState(
  target: DirectoryTarget,
  source: SourceDirectory,
  options: RemoteReadOptions,
): Promise<RemoteState> {
  const { signal, protection, policy } = options;
  const want = wanted(source, policy);
  const users = new Map<string, TargetUserState>();
  const groups = new Map<string, TargetGroupState>();
  const members = new Map<string, string[]>();
  const unmanagedUsernames = new Set<string>();
  const unmanagedGroupNames = new Set<string>();
  const userByKey = new Map<string, string>();
  const groupByKey = new Map<string, string>();
  const warnings: PlanWarning[] = [];
  const userMatches: PendingLink[] = [];
  const groupMatches: PendingLink[] = [];
  let done = 0;
  const step = async (n: number) => {
    done += n;
    options.onProgress?.(done);
    signal?.throwIfAborted();
    await yieldToEventLoop();
  };
  const isProtected = (u: TargetUserRecord) => protection.userKeys.has(u.key) || protection.usernames.has(nameKey(u.username));
  const unlinked: TargetUserRecord[] = [];

  for await (const page of target.readUsers({ signal })) {
    for (const u of page) {
      if (isProtected(u)) {
        unmanagedUsernames.add(nameKey(u.username));
        const entraId = want.byUsername.get(nameKey(u.username));
        if (entraId !== undefined || u.externalId !== null)
          warnings.push({
            code: 'protected',
            externalId: u.externalId ?? entraId ?? '',
            message: `${u.username} is protected (${protection.reasonOf?.(u.username) ?? 'the account the sync signs in with, or an administrator'}): never changed, deactivated or removed from groups.`,
          });
        continue;
      }
      if (u.externalId === null) {
        unlinked.push(u);
        continue;
      }
      const { key, ...state } = u;
      users.set(u.externalId, { ...state, externalId: u.externalId });
      userByKey.set(key, u.externalId);
    }
    await step(page.length);
  }
  // Matched after every linked account is known: a linked Entra user is never matched a second account.
  const byEmail = new Map<string, TargetUserRecord | null>();
  if (options.matchByEmail)
    for (const u of unlinked) {
      if (!u.email) continue;
      const key = nameKey(u.email);
      byEmail.set(key, byEmail.has(key) ? null : u);
    }
  const claimed = new Set<string>();
  for (const u of unlinked) {
    const entraId = want.byUsername.get(nameKey(u.username));
    if (entraId !== undefined && !users.has(entraId) && !claimed.has(entraId)) matchUser(u, entraId, 'username');
  }
  if (options.matchByEmail) {
    for (const [email, entraId] of want.byEmail) {
      const u = byEmail.get(email);
      if (!u || entraId === null || users.has(entraId) || claimed.has(entraId) || userByKey.has(u.key)) continue;
      matchUser(u, entraId, 'e-mail');
    }
  }
  for (const u of unlinked) if (!userByKey.has(u.key)) unmanagedUsernames.add(nameKey(u.username));

  function matchUser(u: TargetUserRecord, entraId: string, how: 'username' | 'e-mail') {
    claimed.add(entraId);
    const { key, ...state } = u;
    users.set(entraId, { ...state, externalId: entraId });
    userByKey.set(key, entraId);
    userMatches.push({ externalId: entraId, key, name: u.username });
    warnings.push({
      code: 'matched',
      externalId: entraId,
      message: `Existing account ${u.username} is matched by ${how} and will be managed by the sync from now on.`,
    });
  }

  for (const [key, { id, name }] of want.groups) {
    if (!protection.groups.has(key)) continue;
    unmanagedGroupNames.add(key);
    warnings.push({
      code: 'protected',
      externalId: id,
      message: `Group ${name} is protected (an administrator group): never created, changed, deleted or stripped of members by the sync.`,
    });
  }
  for await (const page of target.readGroups({ signal })) {
    for (const g of page) {
      const key = nameKey(g.name);
      if (protection.groups.has(key)) continue;
      let externalId = g.externalId;
      const match = want.groups.get(key);
      if (externalId === null && match && !groups.has(match.id)) {
        externalId = match.id;
        groupMatches.push({ externalId, key: g.key, name: g.name });
        warnings.push({
          code: 'matched',
          externalId,
          message: `Existing group ${g.name} is matched by name and will be managed by the sync from now on.`,
        });
      }
      if (externalId === null) {
        unmanagedGroupNames.add(key);
        continue;
      }
      groups.set(externalId, { externalId, name: g.name, description: g.description });
      groupByKey.set(g.key, externalId);
    }
    await step(page.length);
  }
  await readMemberIds(target, { signal, groupByKey, userByKey, members, step });
  return {
    state: { capabilities: target.capabilities, users, groups, members, unmanagedUsernames, unmanagedGroupNames },
    warnings,
    userMatches,
    groupMatches,
  };
}
