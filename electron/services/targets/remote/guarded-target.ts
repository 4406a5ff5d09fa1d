import type { PlanItem } from '../../../../shared/sync';
import { applyItem } from '../../sync/apply';
import { TargetError, type BatchItemResult, type DirectoryTarget, type GroupRef, type UserRef } from '../directory-target';
import { RemoteTargetError } from './remote-error';

/**
 * Wraps a remote target for one apply with what a product refuses, so it is reported instead of retried item after
 * item, and with the protection rules enforced once more at the last step (the planner already skips protected
 * accounts; this is the belt to its braces):
 * - a protected account or group is never written;
 * - once the licensed-user limit refuses a creation, the other creations of the run fail with the same message
 *   without asking again, while updates and deactivations go on;
 * - an account in a read-only directory is tried once: its other items fail at once, and {@link notes} lists the
 *   accounts in one line for the run.
 *
 * When the inner target has `applyBatch`, so does the guard, for memberships: every item first passes the same
 * checks as one at a time (a refused item fails on its own and is never sent), the rest go to the inner batch in
 * their order, and each outcome comes back to its own item (a read-only refusal is remembered as above). Other kinds
 * go one by one through the guarded operations: the licence limit must stop the creations of a batch as they run,
 * which an inner batch cannot be told.
 */

export interface GuardedTargetOptions {
  readonly isProtectedUser: (username: string) => boolean;
  readonly isProtectedGroup: (name: string) => boolean;
  /** Called when a group was created or matched (`true`) or deleted (`false`): the managed-groups store. */
  readonly onGroup?: (name: string, managed: boolean) => void;
}

export interface GuardedTarget extends DirectoryTarget {
  /** Sentences for the run's notes: read-only accounts and the user limit, once each. */
  notes(): string[];
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

type MemberItem = Extract<PlanItem, { kind: 'add-member' | 'remove-member' }>;
const isMember = (item: PlanItem): item is MemberItem => item.kind === 'add-member' || item.kind === 'remove-member';

/** A refusal as a batch outcome, with its reason. */
export function failedOutcome(error: TargetError): BatchItemResult {
  const reason = error instanceof RemoteTargetError ? { reason: error.reason } : {};
  return { outcome: 'failed', error: { code: error.code, message: error.message, ...reason } };
}

/** Runs `jobs` with at most `limit` at once, in order. */
export async function runPool(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
}

/** One item through `target`'s single operations; a {@link TargetError} is its failure, anything else is thrown. */
export async function settleItem(target: DirectoryTarget, item: PlanItem): Promise<BatchItemResult> {
  try {
    return { outcome: await applyItem(target, item) };
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    return failedOutcome(error);
  }
}

const noOutcome: BatchItemResult = {
  outcome: 'failed',
  error: { code: 'unavailable', message: 'The target returned no outcome for this item.' },
};

export function guardTarget(inner: DirectoryTarget, options: GuardedTargetOptions): GuardedTarget {
  let userLimit: RemoteTargetError | undefined;
  let skippedCreates = 0;
  const readOnly = new Map<string, RemoteTargetError>();

  const protectedError = (what: string) =>
    new RemoteTargetError('unsupported', 'forbidden', `${what} is protected: the sync never changes it.`);
  const checkUser = (username: string) => {
    if (options.isProtectedUser(username)) throw protectedError(`User ${username}`);
    const known = readOnly.get(lower(username));
    if (known) throw known;
  };
  const checkGroup = (name: string) => {
    if (options.isProtectedGroup(name)) throw protectedError(`Group ${name}`);
  };
  /** Runs a write on a user, remembering a read-only refusal for the user's other items. */
  const onUser = async <T>(username: string, write: () => Promise<T>): Promise<T> => {
    checkUser(username);
    try {
      return await write();
    } catch (error) {
      if (error instanceof RemoteTargetError && error.reason === 'read-only-directory') readOnly.set(lower(username), error);
      throw error;
    }
  };
  const member = (group: GroupRef, user: UserRef, write: () => ReturnType<DirectoryTarget['addMember']>) => {
    checkGroup(group.name);
    return onUser(user.username, write);
  };

  let refusedCreates = 0;
  const guarded: GuardedTarget = {
    id: inner.id,
    capabilities: inner.capabilities,
    readUsers: (o) => inner.readUsers(o),
    readGroups: (o) => inner.readGroups(o),
    readMemberships: (o) => inner.readMemberships(o),
    createUser: async (externalId, fields, active) => {
      checkUser(fields.username);
      if (userLimit) {
        skippedCreates++;
        throw userLimit;
      }
      try {
        return await inner.createUser(externalId, fields, active);
      } catch (error) {
        if (error instanceof RemoteTargetError && error.reason === 'user-limit') {
          // Several creations may be in flight when the limit is met: each refusal is one user not created.
          userLimit ??= error;
          refusedCreates++;
        }
        throw error;
      }
    },
    updateUser: (user, changes) => onUser(user.username, () => inner.updateUser(user, changes)),
    setUserActive: (user, active) => onUser(user.username, () => inner.setUserActive(user, active)),
    deleteUser: (user) => onUser(user.username, () => inner.deleteUser(user)),
    createGroup: async (externalId, fields) => {
      checkGroup(fields.name);
      const result = await inner.createGroup(externalId, fields);
      options.onGroup?.(fields.name, true);
      return result;
    },
    updateGroup: (group, changes) => {
      checkGroup(group.name);
      return inner.updateGroup(group, changes);
    },
    deleteGroup: async (group) => {
      checkGroup(group.name);
      const result = await inner.deleteGroup(group);
      options.onGroup?.(group.name, false);
      return result;
    },
    addMember: (group, user) => member(group, user, () => inner.addMember(group, user)),
    removeMember: (group, user) => member(group, user, () => inner.removeMember(group, user)),
    notes() {
      const out: string[] = [];
      if (readOnly.size > 0)
        out.push(
          `Cannot change here: read-only directory (LDAP or Crowd) for ${[...readOnly.keys()].sort().join(', ')}. Change ${readOnly.size === 1 ? 'this account' : 'these accounts'} at the source directory.`,
        );
      if (userLimit)
        out.push(
          `The licensed-user limit is reached: user creation stopped (${refusedCreates + skippedCreates} not created) while updates and deactivations went on. Free seats or extend the licence, then sync again.`,
        );
      return out;
    },
  };
  const innerBatch = inner.applyBatch?.bind(inner);
  if (!innerBatch) return guarded;

  const applyBatch = async (items: readonly PlanItem[]): Promise<BatchItemResult[]> => {
    const results: BatchItemResult[] = new Array(items.length);
    const batched: number[] = [];
    const single: number[] = [];
    items.forEach((item, i) => {
      if (!isMember(item)) return void single.push(i);
      try {
        checkGroup(item.groupName);
        checkUser(item.username);
        batched.push(i);
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        results[i] = failedOutcome(error);
      }
    });
    await runPool(
      single.map((i) => async () => void (results[i] = await settleItem(guarded, items[i]!))),
      inner.capabilities.maxConcurrency,
    );
    if (batched.length > 0) {
      const out = await innerBatch(batched.map((i) => items[i]!));
      batched.forEach((i, j) => {
        const r = out[j] ?? noOutcome;
        results[i] = r;
        if (r.outcome === 'failed' && r.error.reason === 'read-only-directory') {
          const error = new RemoteTargetError(r.error.code, 'read-only-directory', r.error.message);
          readOnly.set(lower((items[i] as MemberItem).username), error);
        }
      });
    }
    return results;
  };
  return { ...guarded, applyBatch };
}
