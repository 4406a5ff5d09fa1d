import type { SqliteDatabase } from '../../sync/database';

/**
 * The embedded directory's tables. Names are unique case-insensitively (as in Jira and Confluence); memberships
 * use integer row ids so half a million of them stay small and fast; deleting a user or group removes its
 * memberships (ON DELETE CASCADE).
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS dir_users (
     id INTEGER PRIMARY KEY,
     external_id TEXT UNIQUE,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     email TEXT,
     display_name TEXT,
     given_name TEXT,
     surname TEXT,
     active INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS dir_groups (
     id INTEGER PRIMARY KEY,
     external_id TEXT UNIQUE,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     description TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS dir_members (
     group_id INTEGER NOT NULL REFERENCES dir_groups(id) ON DELETE CASCADE,
     user_id INTEGER NOT NULL REFERENCES dir_users(id) ON DELETE CASCADE,
     PRIMARY KEY (group_id, user_id)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS dir_members_user ON dir_members(user_id, group_id)`,
];

/** Creates the directory tables when missing (idempotent). */
export function migrateDirectory(db: SqliteDatabase): void {
  for (const sql of statements) db.exec(sql);
}
