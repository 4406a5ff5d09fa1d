/**
 * "Disable" and "enable" in Bitbucket under the `unlicense` choice (bitbucket-licence.ts has why): the user leaves
 * every licensing group they are in, remembered before the first removal so an interrupted run still knows, and on
 * re-enable gets back exactly those groups, or the default licensing group for a user the sync never unlicensed.
 * What was done is kept for the run's notes.
 */
import { RemoteTargetError } from '../remote/remote-error';
import type { WriteResult } from '../directory-target';
import type { BitbucketClient } from './bitbucket-client';
import type { LicenceGroups, LicenceMemory } from './bitbucket-licence';
import { groupsOfUser, keyOf, type BitbucketUserJson, type UserFacts } from './bitbucket-reads';

/** What the target did about licences this run, for the run's notes. */
export interface LicenceActivity {
  /** Username → the licensing groups it was removed from. */
  readonly unlicensed: ReadonlyMap<string, readonly string[]>;
  readonly relicensed: number;
  /** Users who keep a licence granted to them directly (not through a group). */
  readonly keptDirect: ReadonlySet<string>;
}

export interface LicenceOpsDeps {
  readonly client: BitbucketClient;
  readonly licence: () => Promise<LicenceGroups>;
  readonly memory: LicenceMemory;
  readonly facts: UserFacts;
}

/** The licence operations of one target, over its client, global permissions, memory and user facts. */
export function createLicenceOps({ client, licence, memory, facts }: LicenceOpsDeps) {
  const unlicensed = new Map<string, readonly string[]>();
  const keptDirect = new Set<string>();
  let relicensed = 0;
  const label = (name: string) => `user ${name}`;

  const licensingGroupsOf = async (name: string) => {
    const groups = await licence();
    return (await groupsOfUser(client, name)).filter((g) => groups.licensing.has(keyOf(g)));
  };

  /** Takes the licence away: leaves every licensing group, remembered before the first removal. */
  const unlicense = async (u: BitbucketUserJson): Promise<WriteResult> => {
    const groups = await licensingGroupsOf(u.name);
    const direct = (await licence()).directUsers.has(keyOf(u.name));
    if (direct) keptDirect.add(u.name);
    if (groups.length === 0) return 'unchanged';
    memory.remember(keyOf(u.name), groups);
    for (const group of groups) {
      await client.request('POST', '/admin/users/remove-group', undefined, { context: u.name, itemName: group });
    }
    facts.licensedBy.delete(keyOf(u.name));
    unlicensed.set(u.name, groups);
    return 'applied';
  };

  /** Gives the licence back: the groups the sync took it from, else the default licensing group. */
  const relicense = async (u: BitbucketUserJson): Promise<WriteResult> => {
    const groups = await licence();
    const key = keyOf(u.name);
    if ((await licensingGroupsOf(u.name)).length > 0) {
      memory.forget(key);
      return 'unchanged';
    }
    const back = (memory.removed(key) ?? []).filter((g) => groups.licensing.has(keyOf(g)));
    const wanted = back.length > 0 ? back : groups.defaultGroup ? [groups.defaultGroup] : [];
    if (wanted.length === 0) {
      throw new RemoteTargetError(
        'unsupported',
        'invalid',
        `No group grants the Bitbucket licence (LICENSED_USER) that ${label(u.name)} could be given back: grant it to a group in Global permissions.`,
      );
    }
    await client.request('POST', '/admin/users/add-groups', undefined, { user: u.name, groups: wanted });
    memory.forget(key);
    facts.licensedBy.set(key, wanted);
    relicensed += 1;
    return 'applied';
  };

  return {
    licensingGroupsOf,
    unlicense,
    relicense,
    activity: (): LicenceActivity => ({ unlicensed, relicensed, keptDirect }),
  };
}
