/**
 * Reading a Confluence instance's state in pages (`{results, start, limit, size, _links.next}`): every user through
 * `user/list` (8.4+, deactivated users included) or, where it does not exist, the members of every group; the groups
 * the sync manages out of the paged list of all groups; and their members.
 */
import type { TargetGroupMembers, TargetGroupRecord, TargetUserRecord } from '../directory-target';
import type { TargetLinks } from '../remote/links';
import { ConfluenceHttpError, segment, type ConfluenceClient } from './confluence-client';
import { confluenceTargetError } from './confluence-errors';

/** A user as Confluence's REST API returns it (the fields we use). */
export interface ConfluenceUserJson {
  readonly username: string;
  readonly userKey: string;
  readonly displayName?: string;
  readonly email?: string;
  /** `deactivated` for a disabled account (emulated field; absent means active). */
  readonly status?: string;
}

export interface ConfluencePage<T> {
  readonly results?: readonly T[];
  readonly start?: number;
  readonly limit?: number;
  readonly size?: number;
  readonly _links?: { readonly next?: string };
}

/** A Confluence group's key in our records: its name in lower case, as Confluence stores group names. */
export const groupKeyOf = (name: string) => name.toLocaleLowerCase('en-US');

export const isActive = (u: ConfluenceUserJson) => u.status !== 'deactivated';

export function toUserRecord(u: ConfluenceUserJson, links: TargetLinks | undefined): TargetUserRecord {
  return {
    key: u.userKey,
    username: u.username,
    email: u.email || null,
    displayName: u.displayName ?? null,
    givenName: null,
    surname: null,
    active: isActive(u),
    externalId: links?.userByKey(u.userKey)?.externalId ?? null,
  };
}

/** Every page of `path`; undefined (instead of the first page) when the resource does not exist (404). */
export async function* pages<T>(
  client: ConfluenceClient,
  path: string,
  limit: number,
  signal?: AbortSignal,
): AsyncIterable<readonly T[]> {
  for (let start = 0; ;) {
    const { body } = await client.request<ConfluencePage<T>>('GET', path, { start, limit }, undefined, signal);
    const results = body?.results ?? [];
    if (results.length > 0) yield results;
    start += results.length;
    if (!body?._links?.next || results.length === 0) return;
  }
}

/** Every group name, in pages. */
export async function allGroupNames(client: ConfluenceClient, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pages<{ name: string }>(client, '/group', 1000, signal)) for (const g of page) out.push(g.name);
  return out;
}

/** Every user: `user/list` when it exists, else the members of every group (each user once). */
export async function* readConfluenceUsers(
  client: ConfluenceClient,
  links: TargetLinks | undefined,
  pageSize: number,
  hasUserList: boolean,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetUserRecord[]> {
  try {
    if (hasUserList) {
      for await (const page of pages<ConfluenceUserJson>(client, '/user/list', pageSize, signal)) {
        yield page.map((u) => toUserRecord(u, links));
      }
      return;
    }
    const seen = new Set<string>();
    for (const name of await allGroupNames(client, signal)) {
      for await (const page of pages<ConfluenceUserJson>(client, `/group/${segment(name)}/member`, pageSize, signal)) {
        const fresh = page.filter((u) => !seen.has(u.userKey));
        for (const u of fresh) seen.add(u.userKey);
        if (fresh.length > 0) yield fresh.map((u) => toUserRecord(u, links));
      }
    }
  } catch (error) {
    throw confluenceTargetError(error, 'reading Confluence users');
  }
}

/** The managed groups that exist in Confluence, named as the sync knows them (Confluence lower-cases them). */
export async function* readConfluenceGroups(
  client: ConfluenceClient,
  managed: ReadonlyMap<string, string>,
  links: TargetLinks | undefined,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupRecord[]> {
  let names: string[];
  try {
    names = await allGroupNames(client, signal);
  } catch (error) {
    throw confluenceTargetError(error, 'reading Confluence groups');
  }
  const out: TargetGroupRecord[] = [];
  for (const name of names) {
    const key = groupKeyOf(name);
    const known = managed.get(key);
    if (known === undefined) continue;
    out.push({ key, name: known, description: null, externalId: links?.groupByKey(key)?.externalId ?? null });
  }
  if (out.length > 0) yield out;
}

/** The members of each managed group that exists, one record per page. */
export async function* readConfluenceMemberships(
  client: ConfluenceClient,
  names: readonly string[],
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupMembers[]> {
  for (const name of names) {
    try {
      for await (const page of pages<ConfluenceUserJson>(
        client,
        `/group/${segment(groupKeyOf(name))}/member`,
        pageSize,
        signal,
      )) {
        yield [{ groupKey: groupKeyOf(name), userKeys: page.map((u) => u.userKey) }];
      }
    } catch (error) {
      if (error instanceof ConfluenceHttpError && error.status === 404) continue;
      throw confluenceTargetError(error, `reading group ${name}`);
    }
  }
}
