import type { SourceGroupSummary, SourceUser } from '../../../shared/sync';
import type { DeltaLinks, DeltaReadResult } from '../graph/directory-reader';
import { inSlicedTransaction, inTransaction, yieldToEventLoop, type SqliteDatabase } from './database';
import { emptySourceDirectory, type MutableSourceDirectory, type SourceDirectory } from './model';

/**
 * What the sync remembers of the source between runs: the last full picture of Entra (users, groups, direct
 * members) and the delta links that continue from it. A delta read only says what changed, but planning needs the
 * whole source (nested required groups, leavers), so the snapshot is loaded, the changes merged, and the result
 * planned against the target.
 *
 * The snapshot and its links are one unit: a full save first marks the state incomplete, writes the snapshot in
 * batches, and only then stores the links — a crash half-way leaves no links, so the next run reads everything.
 * The state is tied to one source (tenant, app, Graph root) and one set of selected fields; anything else starts over.
 */

export interface SourceStateInfo {
  readonly sourceKey: string;
  readonly fields: string;
  readonly deltaLinks: DeltaLinks | null;
  readonly lastFullAt: string | null;
}

export interface SourceStateStore {
  /** The stored state, or null when there is none or it is incomplete. */
  info(): SourceStateInfo | null;
  /** Loads the snapshot (yielding to the event loop between batches). */
  load(signal?: AbortSignal): Promise<MutableSourceDirectory>;
  /** Replaces the snapshot after a full read and stores its links. */
  saveFull(
    state: { sourceKey: string; fields: string; at: string },
    source: SourceDirectory,
    links: DeltaLinks | null,
  ): Promise<void>;
  /** Writes what a delta read changed, and the new links, in one transaction (applied in slices). */
  saveDelta(source: SourceDirectory, delta: DeltaReadResult): Promise<void>;
  /** Forgets the links (e.g. after the token was rejected) so the next run reads everything. */
  forgetLinks(): void;
  /** Groups of the snapshot whose name contains `search`, for the "required groups" picker. */
  searchGroups(search: string, limit?: number): SourceGroupSummary[];
}

const schema = [
  `CREATE TABLE IF NOT EXISTS sync_source_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     source_key TEXT NOT NULL,
     fields TEXT NOT NULL,
     users_delta_link TEXT,
     groups_delta_link TEXT,
     complete INTEGER NOT NULL DEFAULT 0,
     last_full_at TEXT)`,
  `CREATE TABLE IF NOT EXISTS src_users (
     id TEXT PRIMARY KEY, upn TEXT NOT NULL, mail TEXT, mail_nickname TEXT, sam TEXT, display_name TEXT,
     given_name TEXT, surname TEXT, enabled INTEGER NOT NULL, user_type TEXT) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS src_groups (
     id TEXT PRIMARY KEY, display_name TEXT, description TEXT, member_count INTEGER NOT NULL, members TEXT NOT NULL) WITHOUT ROWID`,
];

/**
 * Rows read per statement when the snapshot loads, each page one slice of the event loop: a page of 5,000 users or
 * 250 groups' member lists (~12k ids parsed and mapped) held it for 15–40 ms, and with a collection or a busy core
 * on top a cold delta went past 100 ms. These pages keep a slice at a few milliseconds; more statements cost
 * little (each is a keyset seek on the primary key).
 */
const userPageSize = 1_000;
const groupPageSize = 2_000;
/** Groups whose members are read per statement (a big group's JSON is tens of kilobytes). */
const memberPageSize = 50;

/** Opens the source state on `db`, creating its tables when missing. */
export function createSourceStateStore(db: SqliteDatabase): SourceStateStore {
  for (const sql of schema) db.exec(sql);
  const upsertUser = db.prepare(
    `INSERT OR REPLACE INTO src_users (id, upn, mail, mail_nickname, sam, display_name, given_name, surname, enabled, user_type)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertGroup = db.prepare(
    'INSERT OR REPLACE INTO src_groups (id, display_name, description, member_count, members) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteUser = db.prepare('DELETE FROM src_users WHERE id = ?');
  const deleteGroup = db.prepare('DELETE FROM src_groups WHERE id = ?');

  const writeUser = (u: SourceUser) =>
    upsertUser.run(
      u.id,
      u.upn,
      u.mail,
      u.mailNickname,
      u.onPremisesSamAccountName,
      u.displayName,
      u.givenName,
      u.surname,
      u.accountEnabled ? 1 : 0,
      u.userType,
    );
  const writeGroup = (source: SourceDirectory, id: string) => {
    const group = source.groups.get(id);
    if (!group) return;
    const members = [...new Set(source.members.get(id) ?? [])];
    upsertGroup.run(id, group.displayName, group.description, members.length, JSON.stringify(members));
  };
  const setLinks = (links: DeltaLinks | null) =>
    db
      .prepare('UPDATE sync_source_state SET users_delta_link = ?, groups_delta_link = ? WHERE id = 1')
      .run(links?.users ?? null, links?.groups ?? null);

  return {
    info() {
      const row = db.prepare('SELECT * FROM sync_source_state WHERE id = 1').get() as
        | {
            source_key: string;
            fields: string;
            users_delta_link: string | null;
            groups_delta_link: string | null;
            complete: number;
            last_full_at: string | null;
          }
        | undefined;
      if (!row || row.complete !== 1) return null;
      return {
        sourceKey: row.source_key,
        fields: row.fields,
        deltaLinks:
          row.users_delta_link && row.groups_delta_link ? { users: row.users_delta_link, groups: row.groups_delta_link } : null,
        lastFullAt: row.last_full_at,
      };
    },

    async load(signal) {
      const source = emptySourceDirectory();
      const page = db
        .prepare(
          'SELECT id, upn, mail, mail_nickname, sam, display_name, given_name, surname, enabled, user_type FROM src_users WHERE id > ? ORDER BY id LIMIT ?',
        )
        .raw();
      for (let after = ''; ;) {
        const rows = page.all(after, userPageSize) as [string, string, ...(string | number | null)[]][];
        for (const [id, upn, mail, mailNickname, sam, displayName, givenName, surname, enabled, userType] of rows) {
          source.users.set(id, {
            id,
            upn,
            mail: (mail as string | null) ?? null,
            mailNickname: (mailNickname as string | null) ?? null,
            onPremisesSamAccountName: (sam as string | null) ?? null,
            displayName: (displayName as string | null) ?? null,
            givenName: (givenName as string | null) ?? null,
            surname: (surname as string | null) ?? null,
            accountEnabled: Number(enabled) === 1,
            userType: (userType as string | null) ?? null,
          });
          after = id;
        }
        if (rows.length < userPageSize) break;
        signal?.throwIfAborted();
        await yieldToEventLoop();
      }
      // Groups first (members may name groups), then the members in pages: 10k groups' member JSON read in one
      // statement is tens of megabytes held at once and one long stretch without a turn of the event loop.
      const groupPage = db.prepare('SELECT id, display_name, description FROM src_groups WHERE id > ? ORDER BY id LIMIT ?').raw();
      for (let after = ''; ;) {
        const rows = groupPage.all(after, groupPageSize) as [string, string | null, string | null][];
        for (const [id, displayName, description] of rows) source.groups.set(id, { id, displayName, description });
        if (rows.length < groupPageSize) break;
        after = rows[rows.length - 1]![0];
        signal?.throwIfAborted();
        await yieldToEventLoop();
      }
      // Member ids reuse the user and group maps' strings, so the snapshot costs one string per object.
      const memberPage = db.prepare('SELECT id, members FROM src_groups WHERE id > ? ORDER BY id LIMIT ?').raw();
      for (let after = ''; ;) {
        const rows = memberPage.all(after, memberPageSize) as [string, string][];
        for (const [id, json] of rows) {
          const members = JSON.parse(json) as string[];
          for (let i = 0; i < members.length; i++) {
            const member = members[i]!;
            members[i] = source.users.get(member)?.id ?? source.groups.get(member)?.id ?? member;
          }
          source.members.set(source.groups.get(id)?.id ?? id, members);
        }
        if (rows.length < memberPageSize) break;
        after = rows[rows.length - 1]![0];
        signal?.throwIfAborted();
        await yieldToEventLoop();
      }
      return source;
    },

    async saveFull(state, source, links) {
      inTransaction(db, () => {
        db.prepare(
          `INSERT INTO sync_source_state (id, source_key, fields, complete, last_full_at) VALUES (1, ?, ?, 0, NULL)
           ON CONFLICT(id) DO UPDATE SET source_key = excluded.source_key, fields = excluded.fields, complete = 0,
             users_delta_link = NULL, groups_delta_link = NULL`,
        ).run(state.sourceKey, state.fields);
      });
      // Deleted and written in bounded transactions, each applied in slices: one commit of 100k rows would write
      // tens of megabytes at once (a visible freeze), one commit per row would take minutes.
      for (const table of ['src_users', 'src_groups']) {
        const remove = db.prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} LIMIT 5000)`);
        while (remove.run().changes > 0) await yieldToEventLoop();
      }
      const users = [...source.users.values()];
      for (let i = 0; i < users.length; i += 10_000) await inSlicedTransaction(db, users.slice(i, i + 10_000), writeUser, 500);
      const groupIds = [...source.groups.keys()];
      for (let i = 0; i < groupIds.length; i += 2_000) {
        await inSlicedTransaction(db, groupIds.slice(i, i + 2_000), (id) => writeGroup(source, id), 100);
      }
      inTransaction(db, () => {
        setLinks(links);
        db.prepare('UPDATE sync_source_state SET complete = 1, last_full_at = ? WHERE id = 1').run(state.at);
      });
    },

    async saveDelta(source, delta) {
      // Still one transaction (a crash keeps the old snapshot with its old links), but no longer one slice of the
      // event loop: 1% of 100k users changed was ~1,000 upserts and 100 member lists, 40–60 ms at once.
      const writes: (() => unknown)[] = [];
      for (const id of delta.removedUsers) writes.push(() => deleteUser.run(id));
      for (const id of delta.changedUsers) {
        const user = source.users.get(id);
        if (user) writes.push(() => writeUser(user));
      }
      for (const id of delta.removedGroups) writes.push(() => deleteGroup.run(id));
      for (const id of delta.changedGroups) writes.push(() => writeGroup(source, id));
      writes.push(() => setLinks(delta.deltaLinks));
      await inSlicedTransaction(db, writes, (write) => write(), 100);
    },

    forgetLinks() {
      setLinks(null);
    },

    searchGroups(search, limit = 50) {
      const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = db
        .prepare(
          `SELECT id, display_name, description, member_count FROM src_groups WHERE display_name LIKE ? ESCAPE '\\'
           ORDER BY display_name COLLATE NOCASE LIMIT ?`,
        )
        .raw()
        .all(pattern, limit) as [string, string | null, string | null, number][];
      return rows.map(([id, displayName, description, memberCount]) => ({ id, displayName, description, memberCount }));
    },
  };
}
