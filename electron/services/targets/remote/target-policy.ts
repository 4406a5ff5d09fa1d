import type { SyncPolicyInput } from '../../../../shared/sync';
import type { TargetConfig } from '../../../../shared/targets';

/**
 * The policy a target syncs with: its own or the global one; groups that vanish from Entra are deleted only when the
 * admin chose it for this target (a product's group deletion cannot be undone).
 */
export function targetPolicy(config: TargetConfig, globalPolicy: SyncPolicyInput): SyncPolicyInput {
  const base: SyncPolicyInput = config.sync === 'inherit' ? globalPolicy : config.sync;
  if (config.deleteVanishedGroups) return base;
  return { ...base, cleanup: { ...base.cleanup, vanishedGroups: 'keep' } };
}

/**
 * The one administrator rule of every product target: an account that is a member of one of the product's
 * administrator groups, directly or through a nested group where the product nests groups (Crowd), is protected. The
 * sync never changes, disables or deletes it and never adds it to or removes it from a group (so never from the
 * administrator group, however it got there), and the plan says why: "member of crowd-administrators via group ops".
 */
export interface AdminGroupReads {
  /** The user members of `group` as the product lists them (none when the group is missing). */
  users(group: string): Promise<readonly { readonly name: string; readonly key?: string }[]>;
  /** The groups nested directly in `group`, for a product with nested groups (Crowd); absent: `users` is all. */
  childGroups?(group: string): Promise<readonly string[]>;
}

export interface AdminProtection {
  /** Lower-cased usernames of the protected administrators. */
  readonly usernames: ReadonlySet<string>;
  /** Keys of the protected administrators, where the product gives them. */
  readonly keys: ReadonlySet<string>;
  /** Why `username` is protected (`member of G` or `member of G via group X`); undefined when it is not. */
  reasonOf(username: string): string | undefined;
  /** Lower-cased name → name of each group nested (at any depth) in an administrator group, with that group. */
  readonly nestedGroups: ReadonlyMap<string, { readonly name: string; readonly admin: string }>;
}

const lowerName = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * Reads the members of the administrator groups, walking nested groups breadth first (each group once per
 * administrator group, so a cycle ends), and keeps for each account the shortest way it is an administrator: a direct
 * membership before a nested one. `granted` are the accounts given administrator rights directly (Bitbucket's
 * global permissions), by username, with why.
 */
export async function readAdminProtection(
  adminGroups: readonly string[],
  reads: AdminGroupReads,
  granted: ReadonlyMap<string, string> = new Map(),
): Promise<AdminProtection> {
  const reasons = new Map<string, string>([...granted].map(([name, why]) => [lowerName(name), why]));
  const keys = new Set<string>();
  const nestedGroups = new Map<string, { name: string; admin: string }>();
  // Every administrator group's members first, then the groups nested one level down in each, and so on.
  const seen = new Set(adminGroups.map((g) => `${lowerName(g)}\n${lowerName(g)}`));
  let level = adminGroups.map((admin) => ({ admin, group: admin, path: [] as readonly string[] }));
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { admin, group, path } of level) {
      for (const user of await reads.users(group)) {
        if (user.key !== undefined) keys.add(user.key);
        const key = lowerName(user.name);
        if (reasons.has(key)) continue;
        const via = path.length === 0 ? '' : ` via group${path.length > 1 ? 's' : ''} ${path.join(' → ')}`;
        reasons.set(key, `member of ${admin}${via}`);
      }
      for (const child of (await reads.childGroups?.(group)) ?? []) {
        const mark = `${lowerName(admin)}\n${lowerName(child)}`;
        if (seen.has(mark)) continue;
        seen.add(mark);
        if (!nestedGroups.has(lowerName(child))) nestedGroups.set(lowerName(child), { name: child, admin });
        next.push({ admin, group: child, path: [...path, child] });
      }
    }
    level = next;
  }
  return {
    usernames: new Set(reasons.keys()),
    keys,
    reasonOf: (username) => reasons.get(lowerName(username)),
    nestedGroups,
  };
}
