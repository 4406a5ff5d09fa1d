import type { SourceUser } from '../../../shared/sync';
import type { MutableSourceDirectory } from './model';

/**
 * Graph's JSON into the sync's source model: users (a delta object's missing properties keep their previous
 * values), groups with `members@delta` merged by id (a big group spans several pages; removals carry `@removed`;
 * replays must not duplicate). Devices, contacts and service principals are dropped here.
 */

/** The `@odata.type` values of the members the sync keeps. */
export const userType = '#microsoft.graph.user';
export const groupType = '#microsoft.graph.group';

/** A user object as Graph sends it (only `$select`ed properties; delta objects may carry fewer). */
export interface RawUser {
  readonly id: string;
  readonly '@removed'?: unknown;
  readonly [property: string]: unknown;
}

/** One entry of `members@delta` or of a `/members` page. */
export interface RawMember {
  readonly id: string;
  readonly '@odata.type'?: string;
  readonly '@removed'?: unknown;
}

/** A group object of `/groups/delta` (or `/groups`). */
export interface RawGroup {
  readonly id: string;
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly '@removed'?: unknown;
  readonly 'members@delta'?: readonly RawMember[];
}

function text(raw: RawUser, name: string, previous: string | null | undefined): string | null {
  if (!(name in raw)) return previous ?? null;
  const value = raw[name];
  return typeof value === 'string' ? value : null;
}

/** A Graph user as a {@link SourceUser}; properties missing from a delta object keep their previous values. */
export function toSourceUser(raw: RawUser, previous?: SourceUser): SourceUser {
  return {
    id: raw.id,
    upn: text(raw, 'userPrincipalName', previous?.upn) ?? '',
    mail: text(raw, 'mail', previous?.mail),
    mailNickname: text(raw, 'mailNickname', previous?.mailNickname),
    onPremisesSamAccountName: text(raw, 'onPremisesSamAccountName', previous?.onPremisesSamAccountName),
    displayName: text(raw, 'displayName', previous?.displayName),
    givenName: text(raw, 'givenName', previous?.givenName),
    surname: text(raw, 'surname', previous?.surname),
    accountEnabled: 'accountEnabled' in raw ? raw.accountEnabled !== false : (previous?.accountEnabled ?? true),
    userType: text(raw, 'userType', previous?.userType),
  };
}

/** Merges a page of `/groups/delta` objects into `source`; returns how many member links it touched. */
export function mergeGroups(
  source: MutableSourceDirectory,
  groups: readonly RawGroup[],
  changed?: Set<string>,
  removed?: Set<string>,
): number {
  let links = 0;
  for (const raw of groups) {
    if (raw['@removed'] !== undefined) {
      source.groups.delete(raw.id);
      source.members.delete(raw.id);
      removed?.add(raw.id);
      changed?.delete(raw.id);
      continue;
    }
    const previous = source.groups.get(raw.id);
    source.groups.set(raw.id, {
      id: raw.id,
      displayName: 'displayName' in raw ? (raw.displayName ?? null) : (previous?.displayName ?? null),
      description: 'description' in raw ? (raw.description ?? null) : (previous?.description ?? null),
    });
    changed?.add(raw.id);
    removed?.delete(raw.id);
    const delta = raw['members@delta'];
    if (!delta) continue;
    let members = source.members.get(raw.id);
    if (!members) source.members.set(raw.id, (members = []));
    let removals: Set<string> | undefined;
    let present: Set<string> | undefined;
    for (const member of delta) {
      links++;
      if (member['@removed'] !== undefined) (removals ??= new Set()).add(member.id);
      else if (member['@odata.type'] === userType || member['@odata.type'] === groupType) {
        // A replayed addition must not duplicate; only delta rounds (with a previous list) need the check.
        if (changed && (present ??= new Set(members)).has(member.id)) continue;
        removals?.delete(member.id);
        members.push(member.id);
        present?.add(member.id);
      }
    }
    if (removals) {
      const gone = removals;
      source.members.set(
        raw.id,
        members.filter((id) => !gone.has(id)),
      );
    }
  }
  return links;
}
