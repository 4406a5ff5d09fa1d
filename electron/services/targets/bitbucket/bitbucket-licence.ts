/**
 * Bitbucket's licence as the sync sees it. Bitbucket cannot deactivate a user: a user holds a licence through a
 * global permission (`LICENSED_USER` or any higher one, which implies it), granted directly or to a group. So the
 * groups that license are read from the global permissions, not assumed, and split in two:
 * - **licensing groups** (LICENSED_USER, PROJECT_CREATE): what "disable" removes a user from when the target's
 *   choice is `unlicense`, and what "enable" adds them back to;
 * - **administrator groups** (ADMIN, SYS_ADMIN): never touched; their members are protected accounts, so no sync
 *   takes an administrator's licence away.
 * The groups the sync removed a user from are remembered per target ({@link LicenceMemory}), so re-enabling gives
 * back exactly those.
 */
import type { SqliteDatabase } from '../../sync/database';
import { pagesOf, type BitbucketClient } from './bitbucket-client';

export type BitbucketPermission = 'LICENSED_USER' | 'PROJECT_CREATE' | 'ADMIN' | 'SYS_ADMIN';

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const isAdminPermission = (p: string) => p === 'ADMIN' || p === 'SYS_ADMIN';

export interface LicenceGroups {
  /** Lower-cased name → name of the groups that license and may be removed/added (not admin, not protected). */
  readonly licensing: ReadonlyMap<string, string>;
  /** Lower-cased name → name of the groups granting ADMIN or SYS_ADMIN. */
  readonly admin: ReadonlyMap<string, string>;
  /** Licensing groups the admin protected: a licence through them cannot be taken away by the sync. */
  readonly protectedLicensing: ReadonlyMap<string, string>;
  /** Where "enable" puts a user the sync never unlicensed: `stash-users` when it licenses, else the first one. */
  readonly defaultGroup: string | null;
  /** Lower-cased usernames holding a global permission directly → that permission. */
  readonly directUsers: ReadonlyMap<string, BitbucketPermission>;
}

interface GroupPermissionJson {
  readonly group?: { readonly name?: string };
  readonly permission?: string;
}

interface UserPermissionJson {
  readonly user?: { readonly name?: string };
  readonly permission?: string;
}

/**
 * Reads the global permissions. `protectedGroups` are the lower-cased groups the admin protected on the target: a
 * licence through one of them is left alone. (Bitbucket's own `stash-users` is protected from group sync, but it is
 * the licence "disable" removes: that is the product rule, not a membership the sync manages.)
 */
export async function readLicenceGroups(
  client: BitbucketClient,
  protectedGroups: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<LicenceGroups> {
  const licensing = new Map<string, string>();
  const admin = new Map<string, string>();
  const protectedLicensing = new Map<string, string>();
  for await (const page of pagesOf<GroupPermissionJson>(client, '/admin/permissions/groups', {}, 1000, signal)) {
    for (const entry of page) {
      const name = entry.group?.name;
      if (!name || !entry.permission) continue;
      const key = lower(name);
      if (isAdminPermission(entry.permission)) admin.set(key, name);
      else if (protectedGroups.has(key)) protectedLicensing.set(key, name);
      else licensing.set(key, name);
    }
  }
  const directUsers = new Map<string, BitbucketPermission>();
  for await (const page of pagesOf<UserPermissionJson>(client, '/admin/permissions/users', {}, 1000, signal)) {
    for (const entry of page) {
      if (entry.user?.name && entry.permission) directUsers.set(lower(entry.user.name), entry.permission as BitbucketPermission);
    }
  }
  const defaultGroup = licensing.get('stash-users') ?? [...licensing.values()].sort()[0] ?? null;
  return { licensing, admin, protectedLicensing, defaultGroup, directUsers };
}

/** The licensing groups the sync removed each user from (by the user's key), to give back on re-enable. */
export interface LicenceMemory {
  removed(userKey: string): readonly string[] | undefined;
  remember(userKey: string, groups: readonly string[]): void;
  forget(userKey: string): void;
  /** A renamed user's memory follows the new key. */
  move(fromKey: string, toKey: string): void;
}

export function createMemoryLicenceMemory(): LicenceMemory & { entries(): [string, readonly string[]][] } {
  const map = new Map<string, readonly string[]>();
  return {
    removed: (key) => map.get(key),
    remember: (key, groups) => void map.set(key, [...new Set([...(map.get(key) ?? []), ...groups])]),
    forget: (key) => void map.delete(key),
    move: (from, to) => {
      const had = map.get(from);
      if (had === undefined) return;
      map.delete(from);
      map.set(to, had);
    },
    entries: () => [...map.entries()],
  };
}

/** The memory in the sync database, per target (removed with the target's other rows by its id). */
export function createSqliteLicenceMemory(db: SqliteDatabase, targetId: string): LicenceMemory {
  db.exec(`CREATE TABLE IF NOT EXISTS bitbucket_removed_licences (
     target_id TEXT NOT NULL, user_key TEXT NOT NULL, groups TEXT NOT NULL, PRIMARY KEY (target_id, user_key))`);
  const get = db.prepare('SELECT groups FROM bitbucket_removed_licences WHERE target_id = ? AND user_key = ?');
  const put = db.prepare(
    'INSERT INTO bitbucket_removed_licences (target_id, user_key, groups) VALUES (?, ?, ?) ON CONFLICT (target_id, user_key) DO UPDATE SET groups = excluded.groups',
  );
  const remove = db.prepare('DELETE FROM bitbucket_removed_licences WHERE target_id = ? AND user_key = ?');
  const removed = (key: string) => {
    const row = get.get(targetId, key) as { groups: string } | undefined;
    return row ? (JSON.parse(row.groups) as string[]) : undefined;
  };
  return {
    removed,
    remember: (key, groups) => void put.run(targetId, key, JSON.stringify([...new Set([...(removed(key) ?? []), ...groups])])),
    forget: (key) => void remove.run(targetId, key),
    move: db.transaction((from: string, to: string) => {
      const had = removed(from);
      if (had === undefined) return;
      remove.run(targetId, from);
      put.run(targetId, to, JSON.stringify(had));
    }),
  };
}
