/**
 * Reading a Jira instance's state in pages: every user through `user/list` (10.3 LTS, 11.0+) or, where that does not
 * exist, the older `user/search?username=.` (bare arrays, capped per call: paged until an empty page); the groups the
 * sync manages (Jira has no paged list of all groups) and their members through `group/member`.
 */
import type { TargetGroupMembers, TargetGroupRecord, TargetUserRecord } from '../directory-target';
import type { TargetLinks } from '../remote/links';
import { JiraHttpError, type JiraClient } from './jira-client';
import { jiraTargetError } from './jira-errors';

/** A user as Jira's REST API returns it (the fields we use). */
export interface JiraUserJson {
  readonly key: string;
  readonly name: string;
  readonly emailAddress?: string;
  readonly displayName?: string;
  readonly active?: boolean;
  readonly groups?: { readonly items?: readonly { readonly name: string }[] };
}

/** Which user-listing API the instance has, found on first use. */
export type UserListApi = 'list' | 'search';

/** A Jira group's key in our records: its name in lower case, as Jira compares group names. */
export const groupKeyOf = (name: string) => name.toLocaleLowerCase('en-US');

export function toUserRecord(u: JiraUserJson, links: TargetLinks | undefined): TargetUserRecord {
  return {
    key: u.key,
    username: u.name,
    email: u.emailAddress || null,
    displayName: u.displayName ?? null,
    // Jira keeps no given name or surname.
    givenName: null,
    surname: null,
    active: u.active ?? true,
    externalId: links?.userByKey(u.key)?.externalId ?? null,
  };
}

interface ListPage {
  readonly values?: readonly JiraUserJson[];
  readonly isLast?: boolean;
  readonly nextCursor?: string;
}

/** Every user, in pages; `api` is the API found to work (or forced), updated through `found`. */
export async function* readJiraUsers(
  client: JiraClient,
  links: TargetLinks | undefined,
  api: UserListApi | undefined,
  found: (api: UserListApi) => void,
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetUserRecord[]> {
  try {
    if (api !== 'search') {
      let cursor: string | undefined;
      let first = true;
      for (;;) {
        let page: ListPage;
        try {
          page = (await client.request<ListPage>('GET', '/user/list', { maxResults: pageSize, cursor }, undefined, signal)).body;
        } catch (error) {
          if (first && error instanceof JiraHttpError && error.status === 404) break;
          throw error;
        }
        if (first) found('list');
        first = false;
        const values = page.values ?? [];
        if (values.length > 0) yield values.map((u) => toUserRecord(u, links));
        if (page.isLast !== false || !page.nextCursor) return;
        cursor = page.nextCursor;
      }
    }
    found('search');
    // The search API caps each answer below what was asked on 10.x/11.x, so a short page is not the end: stop on an
    // empty one. Keys already seen are skipped in case the order shifts between calls.
    const seen = new Set<string>();
    for (let startAt = 0; ;) {
      const { body } = await client.request<JiraUserJson[]>(
        'GET',
        '/user/search',
        { username: '.', startAt, maxResults: pageSize, includeActive: true, includeInactive: true },
        undefined,
        signal,
      );
      const values = Array.isArray(body) ? body : [];
      if (values.length === 0) return;
      startAt += values.length;
      const fresh = values.filter((u) => !seen.has(u.key));
      for (const u of fresh) seen.add(u.key);
      if (fresh.length > 0) yield fresh.map((u) => toUserRecord(u, links));
    }
  } catch (error) {
    throw jiraTargetError(error, 'reading Jira users');
  }
}

interface MemberPage {
  readonly values?: readonly JiraUserJson[];
  readonly isLast?: boolean;
  readonly total?: number;
}

/** One page of a group's members; undefined when the group does not exist. */
export async function memberPage(
  client: JiraClient,
  group: string,
  startAt: number,
  maxResults: number,
  signal?: AbortSignal,
): Promise<MemberPage | undefined> {
  try {
    return (
      await client.request<MemberPage>(
        'GET',
        '/group/member',
        { groupname: group, includeInactiveUsers: true, startAt, maxResults },
        undefined,
        signal,
      )
    ).body;
  } catch (error) {
    if (error instanceof JiraHttpError && error.status === 404) return undefined;
    throw jiraTargetError(error, `reading group ${group}`);
  }
}

/** Every member of one group (Jira lists members of its nested groups too); none when the group does not exist. */
export async function groupMembers(
  client: JiraClient,
  group: string,
  signal?: AbortSignal,
): Promise<{ readonly key: string; readonly name: string }[]> {
  const out: { key: string; name: string }[] = [];
  for (let startAt = 0; ;) {
    const page = await memberPage(client, group, startAt, 50, signal);
    const values = page?.values ?? [];
    out.push(...values.map((u) => ({ key: u.key, name: u.name })));
    startAt += values.length;
    if (!page || page.isLast !== false || values.length === 0) return out;
  }
}

/** The managed groups that exist in Jira. */
export async function* readJiraGroups(
  client: JiraClient,
  names: readonly string[],
  links: TargetLinks | undefined,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupRecord[]> {
  for (const name of names) {
    if (!(await memberPage(client, name, 0, 1, signal))) continue;
    const key = groupKeyOf(name);
    yield [{ key, name, description: null, externalId: links?.groupByKey(key)?.externalId ?? null }];
  }
}

/** The members of each managed group that exists, one record per page as Jira returns them. */
export async function* readJiraMemberships(
  client: JiraClient,
  names: readonly string[],
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<readonly TargetGroupMembers[]> {
  for (const name of names) {
    for (let startAt = 0; ;) {
      const page = await memberPage(client, name, startAt, pageSize, signal);
      if (!page) break;
      const values = page.values ?? [];
      if (values.length > 0) yield [{ groupKey: groupKeyOf(name), userKeys: values.map((u) => u.key) }];
      startAt += values.length;
      if (page.isLast !== false || values.length === 0) break;
    }
  }
}
