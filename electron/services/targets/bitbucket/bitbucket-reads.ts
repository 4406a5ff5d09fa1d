/**
 * Reading a Bitbucket instance's state in pages: every user through `admin/users` (with the directory facts that
 * say which accounts are read-only before any write), whether each holds a licence through a licensing group, every
 * group through `admin/groups`, and the members of the groups the sync manages through `admin/groups/more-members`.
 * Keys are lower-cased names: Bitbucket compares user and group names case-insensitively, and a create answers 204
 * without the new user's id, so the name is the key and a rename moves the link.
 */
import type { TargetGroupMembers, TargetGroupRecord, TargetUserRecord } from '../directory-target';
import type { TargetLinks } from '../remote/links';
import { BitbucketHttpError, pagesOf, type BitbucketClient } from './bitbucket-client';
import { bitbucketTargetError } from './bitbucket-errors';
import type { LicenceGroups } from './bitbucket-licence';

/** A user as `admin/users` returns it (the fields we use). */
export interface BitbucketUserJson {
  readonly name: string;
  readonly emailAddress?: string;
  readonly displayName?: string;
  readonly directoryName?: string;
  readonly mutableDetails?: boolean;
  readonly mutableGroups?: boolean;
  readonly type?: string;
}

export const keyOf = (name: string) => name.toLocaleLowerCase('en-US');

/** What a user read teaches the target besides the records. */
export interface UserFacts {
  /** Lower-cased usernames → the licensing groups they are in. */
  readonly licensedBy: Map<string, string[]>;
  /** Lower-cased usernames of read-only directory accounts → the directory's name. */
  readonly readOnly: Map<string, string>;
}

export const isReadOnlyUser = (u: BitbucketUserJson) => u.mutableDetails === false || u.mutableGroups === false;

/** The members of one group in pages; nothing when the group does not exist. */
export async function* groupMembers(
  client: BitbucketClient,
  group: string,
  limit: number,
  signal?: AbortSignal,
): AsyncIterable<readonly BitbucketUserJson[]> {
  try {
    yield* pagesOf<BitbucketUserJson>(client, '/admin/groups/more-members', { context: group }, limit, signal);
  } catch (error) {
    if (error instanceof BitbucketHttpError && error.status === 404) return;
    throw bitbucketTargetError(error, `reading group ${group}`);
  }
}

/** Every user; `facts` is filled with who holds a licence through a licensing group and who is read-only. */
export async function* readBitbucketUsers(
  client: BitbucketClient,
  licence: LicenceGroups,
  links: TargetLinks | undefined,
  facts: UserFacts,
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetUserRecord[]> {
  facts.licensedBy.clear();
  facts.readOnly.clear();
  for (const name of licence.licensing.values()) {
    for await (const page of groupMembers(client, name, pageSize, signal)) {
      for (const u of page) {
        const key = keyOf(u.name);
        facts.licensedBy.set(key, [...(facts.licensedBy.get(key) ?? []), name]);
      }
    }
  }
  try {
    for await (const page of pagesOf<BitbucketUserJson>(client, '/admin/users', {}, pageSize, signal)) {
      yield page.map((u) => {
        const key = keyOf(u.name);
        if (isReadOnlyUser(u)) facts.readOnly.set(key, u.directoryName ?? 'a read-only directory');
        return {
          key,
          username: u.name,
          email: u.emailAddress || null,
          displayName: u.displayName ?? null,
          // Bitbucket keeps no given name or surname.
          givenName: null,
          surname: null,
          // No deactivation in Bitbucket: "active" is holding a licence through a group the sync may change.
          active: facts.licensedBy.has(key),
          externalId: links?.userByKey(key)?.externalId ?? null,
        };
      });
    }
  } catch (error) {
    throw bitbucketTargetError(error, 'reading Bitbucket users');
  }
}

/** Every group. */
export async function* readBitbucketGroups(
  client: BitbucketClient,
  links: TargetLinks | undefined,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupRecord[]> {
  try {
    for await (const page of pagesOf<{ name: string }>(client, '/admin/groups', {}, 1000, signal)) {
      yield page.map((g) => ({
        key: keyOf(g.name),
        name: g.name,
        description: null,
        externalId: links?.groupByKey(keyOf(g.name))?.externalId ?? null,
      }));
    }
  } catch (error) {
    throw bitbucketTargetError(error, 'reading Bitbucket groups');
  }
}

/** The members of each named group that exists, one record per page. */
export async function* readBitbucketMemberships(
  client: BitbucketClient,
  names: readonly string[],
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupMembers[]> {
  for (const name of names) {
    for await (const page of groupMembers(client, name, pageSize, signal)) {
      yield [{ groupKey: keyOf(name), userKeys: page.map((u) => keyOf(u.name)) }];
    }
  }
}

/** One user by name (any case), or undefined. `admin/users?filter=` matches parts of names, so the exact one is picked. */
export async function findBitbucketUser(
  client: BitbucketClient,
  name: string,
  signal?: AbortSignal,
): Promise<BitbucketUserJson | undefined> {
  const { body } = await client.request<{ values?: BitbucketUserJson[] }>(
    'GET',
    '/admin/users',
    { filter: name, limit: 100 },
    undefined,
    signal,
  );
  return (body?.values ?? []).find((u) => keyOf(u.name) === keyOf(name));
}

/** The groups a user is in (names). */
export async function groupsOfUser(client: BitbucketClient, name: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pagesOf<{ name: string }>(client, '/admin/users/more-members', { context: name }, 1000, signal)) {
    out.push(...page.map((g) => g.name));
  }
  return out;
}
