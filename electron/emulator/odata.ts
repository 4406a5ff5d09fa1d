/**
 * OData query options as Graph reads them on directory objects ($select, $top, $count, $filter, …) and the
 * projection of stored records into Graph's JSON shapes.
 */
import type { DirectoryRecord, GroupRecord, UserRecord } from './directory';
import { odataType } from './directory';
import { FilterError, parseFilter, type ParsedFilter } from './filter';
import { GraphFailure } from './graph-errors';

/** Query options, read with or without the `$` prefix as Graph v1.0 allows. */
export function queryOption(params: URLSearchParams, name: string): string | undefined {
  return params.get(`$${name}`) ?? params.get(name) ?? undefined;
}

const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;
const USER_MORE = [
  'accountEnabled',
  'userType',
  'mailNickname',
  'onPremisesSamAccountName',
  'department',
  'createdDateTime',
  'externalUserState',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'employeeId',
  'otherMails',
  'proxyAddresses',
] as const;
const GROUP_PROPS = [
  'id',
  'displayName',
  'description',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'groupTypes',
  'createdDateTime',
  'visibility',
  'onPremisesSyncEnabled',
  'proxyAddresses',
] as const;

/** Canonical property names by lower-case name, per entity; Graph accepts any case in $select. */
const canon = (names: readonly string[]) => new Map(names.map((n) => [n.toLowerCase(), n]));
export const USER_PROPS = canon([...USER_DEFAULT, ...USER_MORE]);
export const GROUP_PROPS_MAP = canon([...GROUP_PROPS, 'members']);
/** Properties that can appear in $filter. */
export const USER_FILTERABLE = new Set([...USER_DEFAULT, ...USER_MORE]);
export const GROUP_FILTERABLE = new Set<string>(GROUP_PROPS);

const EMPTY: readonly string[] = Object.freeze([]);

/** Parses `$select` against an entity's properties; undefined when absent. */
export function parseSelect(value: string | undefined, props: ReadonlyMap<string, string>, entity: string): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((raw) => {
    const name = raw.trim();
    const canonical = props.get(name.toLowerCase());
    if (!canonical) {
      throw new GraphFailure(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.${entity}'.`,
      );
    }
    return canonical;
  });
}

/** Parses `$top` (1..max). */
export function parseTop(value: string | undefined, max = 999): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new GraphFailure(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${value}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return n;
}

/** Parses `$filter`, turning syntax problems into Graph's 400s and checking advanced-query rules. */
export function parseFilterOption(
  value: string | undefined,
  filterable: ReadonlySet<string>,
  entity: string,
  advancedAllowed: boolean,
): ParsedFilter | undefined {
  if (value === undefined) return undefined;
  let parsed: ParsedFilter;
  try {
    parsed = parseFilter(value, filterable, entity);
  } catch (error) {
    if (error instanceof FilterError) throw new GraphFailure(400, error.graphCode, error.message);
    throw error;
  }
  if (parsed.advanced && !advancedAllowed) {
    throw new GraphFailure(
      400,
      'Request_UnsupportedQuery',
      "Unsupported or invalid query filter clause specified for this resource. Use 'ConsistencyLevel: eventual' and '$count=true' for advanced queries.",
    );
  }
  return parsed;
}

/** True when the request carries `ConsistencyLevel: eventual`. */
export function isEventual(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const v = headers['consistencylevel'];
  return typeof v === 'string' && v.toLowerCase() === 'eventual';
}

function userValue(u: UserRecord, name: string): unknown {
  switch (name) {
    case 'businessPhones':
    case 'otherMails':
      return EMPTY;
    case 'proxyAddresses':
      return u.mail && u.userType === 'Member' ? [`SMTP:${u.mail}`] : EMPTY;
    case 'mobilePhone':
    case 'officeLocation':
    case 'preferredLanguage':
    case 'onPremisesImmutableId':
    case 'employeeId':
      return null;
    case 'onPremisesSyncEnabled':
      return u.onPremisesSamAccountName ? true : null;
    default:
      return (u as unknown as Record<string, unknown>)[name] ?? null;
  }
}

function groupValue(g: GroupRecord, name: string): unknown {
  switch (name) {
    case 'visibility':
      return g.groupTypes.includes('Unified') ? 'Private' : null;
    case 'onPremisesSyncEnabled':
      return null;
    case 'proxyAddresses':
      return g.mail ? [`SMTP:${g.mail}`] : EMPTY;
    default:
      return (g as unknown as Record<string, unknown>)[name] ?? null;
  }
}

/** A user as Graph returns it with `select` (or the default property set). */
export function projectUser(u: UserRecord, select?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select ?? USER_DEFAULT) out[name] = userValue(u, name);
  return out;
}

/** A group as Graph returns it with `select` (or all its properties); `members` is never projected here. */
export function projectGroup(g: GroupRecord, select?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select ?? GROUP_PROPS) if (name !== 'members') out[name] = groupValue(g, name);
  return out;
}

/**
 * A directory object as a member in a list: `@odata.type` plus the selected properties it has. When the caller may
 * not read that kind, only `@odata.type` and `id` come back, as Graph does.
 */
export function projectMember(
  record: DirectoryRecord,
  select: readonly string[] | undefined,
  canRead: boolean,
): Record<string, unknown> {
  const head = { '@odata.type': odataType[record.kind], id: record.id };
  if (!canRead) return head;
  if (record.kind === 'user') return { ...head, ...projectUser(record, select) };
  if (record.kind === 'group') return { ...head, ...projectGroup(record, select) };
  const all: Record<string, unknown> = { id: record.id, displayName: record.displayName, ...record.extra };
  if (!select) return { ...head, ...all };
  const out: Record<string, unknown> = { ...head };
  for (const name of select) if (name in all) out[name] = all[name];
  return out;
}

/** Lower-case names allowed in a members $select (union of the member kinds' properties). */
export const MEMBER_PROPS = canon([...USER_DEFAULT, ...USER_MORE, ...GROUP_PROPS, 'deviceId', 'operatingSystem', 'appId']);
