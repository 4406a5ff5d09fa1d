import type { DirectoryTarget, GroupRef, UserRef } from '../directory-target';
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
  return {
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
}
