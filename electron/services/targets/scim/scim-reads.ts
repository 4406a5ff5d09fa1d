/**
 * Paged reads of a SCIM service (RFC 7644 §3.4.2.4): `startIndex` (1-based) and `count`, on until `totalResults`
 * or an empty page, the page size capped by what the service allows (Atlassian Cloud: 100). Lookups by a single
 * `eq` filter, the one kind every service supports.
 */
import type { ScimClient } from './scim-client';
import { ScimHttpError } from './scim-client';
import { eqFilter, type ScimListJson } from './scim-resources';

/** Every resource of `/Users` or `/Groups`, one page at a time. */
export async function* readPages<T>(
  client: ScimClient,
  path: '/Users' | '/Groups',
  count: number,
  signal?: AbortSignal,
  extra: Readonly<Record<string, string>> = {},
): AsyncGenerator<readonly T[]> {
  let startIndex = 1;
  for (;;) {
    signal?.throwIfAborted();
    const { body } = await client.request<ScimListJson<T>>('GET', path, { ...extra, startIndex, count }, undefined, signal);
    const page = body?.Resources ?? [];
    if (page.length > 0) yield page;
    startIndex += page.length;
    const total = typeof body?.totalResults === 'number' ? body.totalResults : undefined;
    if (page.length === 0 || (total !== undefined && startIndex > total)) return;
  }
}

/** The resources matching `attribute eq "value"` (at most a few); [] when none. */
export async function findBy<T>(
  client: ScimClient,
  path: '/Users' | '/Groups',
  attribute: Parameters<typeof eqFilter>[0],
  value: string,
  signal?: AbortSignal,
): Promise<readonly T[]> {
  const { body } = await client.request<ScimListJson<T>>(
    'GET',
    path,
    { filter: eqFilter(attribute, value), startIndex: 1, count: 10 },
    undefined,
    signal,
  );
  return body?.Resources ?? [];
}

/** One resource by id; undefined on 404 (gone, or — Atlassian Cloud — deleted, which deactivated it). */
export async function getById<T>(
  client: ScimClient,
  path: '/Users' | '/Groups',
  id: string,
  signal?: AbortSignal,
): Promise<T | undefined> {
  try {
    return (await client.request<T>('GET', `${path}/${encodeURIComponent(id)}`, undefined, undefined, signal)).body;
  } catch (error) {
    if (error instanceof ScimHttpError && error.status === 404) return undefined;
    throw error;
  }
}
