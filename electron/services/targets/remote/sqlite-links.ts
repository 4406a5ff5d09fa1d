import type { SqliteDatabase } from '../../sync/database';
import type { LinkOrigin, TargetLink, TargetLinks } from './links';

/**
 * The link store of the remote targets, in the sync database: per target, Entra object id ↔ the target's stable key
 * (Jira user key, lower-cased group name) and whether the sync created or matched the account, plus the groups the
 * sync manages there by name (Jira cannot list all groups in pages, so the sync reads back only these). Every row
 * carries the target id: two Jira instances never see each other's links.
 */

const schema = [
  `CREATE TABLE IF NOT EXISTS target_links (
     target_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('user', 'group')), external_id TEXT NOT NULL,
     key TEXT NOT NULL, origin TEXT NOT NULL CHECK (origin IN ('created', 'matched')),
     PRIMARY KEY (target_id, kind, external_id))`,
  'CREATE UNIQUE INDEX IF NOT EXISTS target_links_key ON target_links(target_id, kind, key)',
  `CREATE TABLE IF NOT EXISTS target_managed_groups (
     target_id TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (target_id, key))`,
];

export interface SqliteTargetLinks extends TargetLinks {
  readonly targetId: string;
  /** Names of the groups the sync manages in this target (created or matched), as last written. */
  managedGroups(): string[];
  manageGroup(name: string): void;
  forgetGroup(name: string): void;
  users(): TargetLink[];
  groups(): TargetLink[];
  /** Removes everything kept for this target (the target was removed). */
  clear(): void;
}

interface LinkRow {
  external_id: string;
  key: string;
  origin: LinkOrigin;
}

const toLink = (row: LinkRow | undefined): TargetLink | undefined =>
  row ? { externalId: row.external_id, key: row.key, origin: row.origin } : undefined;

/** Creates the tables if needed and returns the links of one target. */
export function createSqliteLinks(db: SqliteDatabase, targetId: string): SqliteTargetLinks {
  for (const sql of schema) db.exec(sql);
  const byId = db.prepare(
    'SELECT external_id, key, origin FROM target_links WHERE target_id = ? AND kind = ? AND external_id = ?',
  );
  const byKey = db.prepare('SELECT external_id, key, origin FROM target_links WHERE target_id = ? AND kind = ? AND key = ?');
  const all = db.prepare('SELECT external_id, key, origin FROM target_links WHERE target_id = ? AND kind = ? ORDER BY key');
  const removeId = db.prepare('DELETE FROM target_links WHERE target_id = ? AND kind = ? AND external_id = ?');
  const removeKey = db.prepare('DELETE FROM target_links WHERE target_id = ? AND kind = ? AND key = ?');
  const insert = db.prepare('INSERT INTO target_links (target_id, kind, external_id, key, origin) VALUES (?, ?, ?, ?, ?)');
  const groupNames = db.prepare('SELECT name FROM target_managed_groups WHERE target_id = ? ORDER BY key');
  const upsertGroup = db.prepare(
    'INSERT INTO target_managed_groups (target_id, key, name) VALUES (?, ?, ?) ON CONFLICT (target_id, key) DO UPDATE SET name = excluded.name',
  );
  const removeGroup = db.prepare('DELETE FROM target_managed_groups WHERE target_id = ? AND key = ?');

  const side = (kind: 'user' | 'group') => ({
    get: (externalId: string) => toLink(byId.get(targetId, kind, externalId) as LinkRow | undefined),
    byKey: (key: string) => toLink(byKey.get(targetId, kind, key) as LinkRow | undefined),
    set: db.transaction((externalId: string, key: string, origin: LinkOrigin) => {
      const old = toLink(byId.get(targetId, kind, externalId) as LinkRow | undefined);
      if (old?.key === key) return;
      // A key moves to its newest Entra owner; the old owner's link goes (as in the memory links).
      removeId.run(targetId, kind, externalId);
      removeKey.run(targetId, kind, key);
      insert.run(targetId, kind, externalId, key, origin);
    }),
    remove: (externalId: string) => void removeId.run(targetId, kind, externalId),
    all: () => (all.all(targetId, kind) as LinkRow[]).map((row) => toLink(row)!),
  });
  const users = side('user');
  const groups = side('group');
  const groupKey = (name: string) => name.toLocaleLowerCase('en-US');
  return {
    targetId,
    user: users.get,
    userByKey: users.byKey,
    linkUser: (externalId, key, origin) => users.set(externalId, key, origin),
    unlinkUser: users.remove,
    group: groups.get,
    groupByKey: groups.byKey,
    linkGroup: (externalId, key, origin) => groups.set(externalId, key, origin),
    unlinkGroup: groups.remove,
    users: users.all,
    groups: groups.all,
    managedGroups: () => (groupNames.all(targetId) as { name: string }[]).map((r) => r.name),
    manageGroup: (name) => void upsertGroup.run(targetId, groupKey(name), name),
    forgetGroup: (name) => void removeGroup.run(targetId, groupKey(name)),
    clear: db.transaction(() => {
      db.prepare('DELETE FROM target_links WHERE target_id = ?').run(targetId);
      db.prepare('DELETE FROM target_managed_groups WHERE target_id = ?').run(targetId);
    }),
  };
}
