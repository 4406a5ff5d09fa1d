/**
 * Reading a Crowd application's state in pages: every user and every group through `search` (`start-index` /
 * `max-results`, no total: paged until a short page), and the direct user members of the groups the sync manages
 * through `group/user/direct`. Child groups (nested groups) are never read as members: the sync manages direct user
 * memberships only; they are read (`group/child-group/direct`) only to find who is an administrator through one.
 */
import type { TargetGroupMembers, TargetGroupRecord, TargetUserRecord } from '../directory-target';
import type { TargetLinks } from '../remote/links';
import { CrowdHttpError, type CrowdClient } from './crowd-client';

/** A user as Crowd's REST API returns it (every field it has: a PUT must send them all back). */
export interface CrowdUserJson {
  readonly name: string;
  readonly 'first-name'?: string;
  readonly 'last-name'?: string;
  readonly 'display-name'?: string;
  readonly email?: string;
  readonly active?: boolean;
  readonly key?: string;
}

export interface CrowdGroupJson {
  readonly name: string;
  readonly description?: string;
  readonly active?: boolean;
  readonly type?: string;
}

/** A Crowd user's or group's key in our records: its name in lower case, as Crowd compares names. */
export const keyOf = (name: string) => name.toLocaleLowerCase('en-US');

export function toUserRecord(u: CrowdUserJson, links: TargetLinks | undefined): TargetUserRecord {
  const key = keyOf(u.name);
  return {
    key,
    username: u.name,
    email: u.email || null,
    displayName: u['display-name'] || null,
    givenName: u['first-name'] || null,
    surname: u['last-name'] || null,
    active: u.active ?? true,
    externalId: links?.userByKey(key)?.externalId ?? null,
  };
}

/** Pages of `search` for one entity type, each fully expanded. */
async function* search<T>(
  client: CrowdClient,
  type: 'user' | 'group',
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly T[]> {
  for (let start = 0; ;) {
    const { body } = await client.request<{ users?: T[]; groups?: T[] }>(
      'GET',
      '/search',
      { 'entity-type': type, 'start-index': start, 'max-results': pageSize, expand: type },
      undefined,
      signal,
    );
    const values = (type === 'user' ? body?.users : body?.groups) ?? [];
    if (values.length > 0) yield values;
    // No total in Crowd's answer: a page shorter than asked is the last.
    if (values.length < pageSize) return;
    start += values.length;
  }
}

export async function* readCrowdUsers(
  client: CrowdClient,
  links: TargetLinks | undefined,
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetUserRecord[]> {
  for await (const page of search<CrowdUserJson>(client, 'user', pageSize, signal)) yield page.map((u) => toUserRecord(u, links));
}

export async function* readCrowdGroups(
  client: CrowdClient,
  links: TargetLinks | undefined,
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupRecord[]> {
  for await (const page of search<CrowdGroupJson>(client, 'group', pageSize, signal)) {
    yield page.map((g) => ({
      key: keyOf(g.name),
      name: g.name,
      description: g.description || null,
      externalId: links?.groupByKey(keyOf(g.name))?.externalId ?? null,
    }));
  }
}

/** Direct user members (`user`) or direct child groups (`child-group`) of one group, in pages; undefined when the
 * group does not exist. */
async function directOf(
  client: CrowdClient,
  what: 'user' | 'child-group',
  group: string,
  pageSize: number,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const names: string[] = [];
  for (let start = 0; ;) {
    let found: { name: string }[];
    try {
      const { body } = await client.request<{ users?: { name: string }[]; groups?: { name: string }[] }>(
        'GET',
        `/group/${what}/direct`,
        { groupname: group, 'start-index': start, 'max-results': pageSize },
        undefined,
        signal,
      );
      found = (what === 'user' ? body?.users : body?.groups) ?? [];
    } catch (error) {
      if (error instanceof CrowdHttpError && error.status === 404) return undefined;
      throw error;
    }
    names.push(...found.map((u) => u.name));
    if (found.length < pageSize) return names;
    start += found.length;
  }
}

/** Direct user members of one group, in pages; undefined when the group does not exist. */
export const directMembers = (client: CrowdClient, group: string, pageSize: number, signal?: AbortSignal) =>
  directOf(client, 'user', group, pageSize, signal);

/**
 * The groups nested directly in one group (Crowd's nested groups), in pages; none when the group does not exist or
 * its directory does not nest groups. Read only to protect the administrators: the sync never writes child groups.
 */
export const directChildGroups = async (client: CrowdClient, group: string, pageSize: number, signal?: AbortSignal) =>
  (await directOf(client, 'child-group', group, pageSize, signal)) ?? [];

/** The direct members of each managed group that exists. */
export async function* readCrowdMemberships(
  client: CrowdClient,
  names: readonly string[],
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupMembers[]> {
  for (const name of names) {
    const members = await directMembers(client, name, pageSize, signal);
    if (members && members.length > 0) yield [{ groupKey: keyOf(name), userKeys: members.map(keyOf) }];
  }
}
