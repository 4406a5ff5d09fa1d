import { z } from 'zod';
import { cloudById, type CloudId } from './clouds';

/**
 * How the sync settles name conflicts (two Entra objects that would get one target name): a rule for duplicate group
 * names, and names the admin sets per object (a group's name, a user's username). Part of the sync policy
 * (shared/sync.ts → `names`), applied by the planner (electron/services/sync/plan.ts). Pure: shared by the services
 * and the renderer (Sync settings → Name conflicts, the Resolve dialog of a run's conflicts).
 */

/** What happens to Entra groups that share a display name. */
export const duplicateGroupRules = ['skip', 'appendShortId'] as const;
export type DuplicateGroupRule = (typeof duplicateGroupRules)[number];

/** The longest name an override may hold (Jira's and Confluence's group and user name limit). */
export const maxOverrideLength = 255;

const objectId = z.string().min(1).max(100);
const overrideName = z.string().trim().min(1).max(maxOverrideLength);

export const nameRulesSchema = z.object({
  /**
   * `skip`: none of the groups sharing a name is synced (the one already holding it keeps it) until resolved;
   * `appendShortId`: each gets its name plus the start of its object id, "Marketing (3f2a1b9c)" — except the one
   * already holding the plain name in the target, which keeps it.
   */
  duplicateGroups: z.enum(duplicateGroupRules).default('skip'),
  /** Target group names set by the admin, by Entra object id; they win over the display name and the rule. */
  groupOverrides: z.record(objectId, overrideName).default({}),
  /** Target usernames set by the admin, by Entra object id; they win over the username mapping. */
  usernameOverrides: z.record(objectId, overrideName).default({}),
});
export type NameRules = z.infer<typeof nameRulesSchema>;

/** The part of an object id the `appendShortId` rule adds (its first block: 8 hex digits for a GUID). */
export function shortId(id: string): string {
  const first = id.split('-')[0] ?? id;
  return (first.length >= 6 ? first : id.replace(/-/g, '')).slice(0, 8);
}

/** A group's name under the `appendShortId` rule. */
export function nameWithShortId(name: string, id: string): string {
  return `${name} (${shortId(id)})`;
}

/** Names are unique case-insensitively, as in the targets. */
export function nameKeyOf(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Why an override name cannot be saved, or undefined. `others`: the names it must not take — the other overrides of
 * the same kind and the names the other objects of its conflict get.
 */
export function overrideProblem(name: string, others: Iterable<string>): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a name, or remove the override.';
  if (trimmed.length > maxOverrideLength) return `At most ${maxOverrideLength} characters.`;
  const key = nameKeyOf(trimmed);
  for (const other of others)
    if (nameKeyOf(other) === key) return `“${other}” is already taken by another object: choose a name no other object has.`;
  return undefined;
}

/** Which Entra object a conflict involves. */
export type ConflictObjectKind = 'user' | 'group';

/** One Entra object of a conflict, with what tells it apart from the others. */
export interface ConflictObject {
  readonly id: string;
  readonly displayName: string | null;
  /** The user's UPN; the group's description. */
  readonly detail: string | null;
  /** Direct members of a group, as read. */
  readonly memberCount?: number;
}

/** The object's page in the Entra admin center of the connection's cloud (the demo tenant: the global portal). */
export function entraObjectUrl(cloud: CloudId, kind: ConflictObjectKind, id: string): string {
  const host = cloud === 'custom' ? cloudById('global').portalHost : cloudById(cloud).portalHost;
  const safe = encodeURIComponent(id);
  return kind === 'group'
    ? `${host}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${safe}`
    : `${host}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${safe}`;
}
