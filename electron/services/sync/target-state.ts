import type { DirectoryTarget } from '../targets/directory-target';
import { yieldToEventLoop } from './database';
import { nameKey, type TargetGroupState, type TargetUserState } from './model';
import type { MutableTargetState } from './state-cache';

/**
 * Reads a target's current state through its paged reads into the planner's {@link TargetState}: managed objects by
 * Entra id, names of unmanaged ones (which block those names), memberships between managed objects.
 */
export async function readTargetState(
  target: DirectoryTarget,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<MutableTargetState> {
  const { signal } = options;
  const users = new Map<string, TargetUserState>();
  const groups = new Map<string, TargetGroupState>();
  const members = new Map<string, string[]>();
  const unmanagedUsernames = new Set<string>();
  const unmanagedGroupNames = new Set<string>();
  const userByKey = new Map<string, string>();
  const groupByKey = new Map<string, string>();
  let done = 0;
  const step = async (n: number) => {
    done += n;
    options.onProgress?.(done);
    signal?.throwIfAborted();
    await yieldToEventLoop();
  };

  for await (const page of target.readUsers({ signal })) {
    for (const u of page) {
      if (u.externalId === null) {
        unmanagedUsernames.add(nameKey(u.username));
        continue;
      }
      // One object per user, named field by field (a rest-and-spread copy made two per user at 100k users).
      users.set(u.externalId, {
        externalId: u.externalId,
        username: u.username,
        email: u.email,
        displayName: u.displayName,
        givenName: u.givenName,
        surname: u.surname,
        active: u.active,
      });
      userByKey.set(u.key, u.externalId);
    }
    await step(page.length);
  }
  for await (const page of target.readGroups({ signal })) {
    for (const g of page) {
      if (g.externalId === null) {
        unmanagedGroupNames.add(nameKey(g.name));
        continue;
      }
      groups.set(g.externalId, { externalId: g.externalId, name: g.name, description: g.description });
      groupByKey.set(g.key, g.externalId);
    }
    await step(page.length);
  }
  await readMemberIds(target, { signal, groupByKey, userByKey, members, step });
  return { capabilities: target.capabilities, users, groups, members, unmanagedUsernames, unmanagedGroupNames };
}

/**
 * Reads a target's memberships into `members` (group id → user ids) between the managed objects only: a group or
 * user key not in `groupByKey` / `userByKey` (unmanaged, or not read) is passed over. `step` gets each page's count.
 */
export async function readMemberIds(
  target: Pick<DirectoryTarget, 'readMemberships'>,
  read: {
    readonly signal?: AbortSignal;
    readonly groupByKey: ReadonlyMap<string, string>;
    readonly userByKey: ReadonlyMap<string, string>;
    readonly members: Map<string, string[]>;
    readonly step: (count: number) => Promise<void>;
  },
): Promise<void> {
  const { groupByKey, userByKey, members } = read;
  for await (const page of target.readMemberships({ signal: read.signal })) {
    let count = 0;
    for (const chunk of page) {
      const groupId = groupByKey.get(chunk.groupKey);
      if (groupId === undefined) continue;
      let list = members.get(groupId);
      if (!list) members.set(groupId, (list = []));
      for (const key of chunk.userKeys) {
        const userId = userByKey.get(key);
        if (userId !== undefined) list.push(userId);
      }
      count += chunk.userKeys.length;
    }
    await read.step(count);
  }
}
