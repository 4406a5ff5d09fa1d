import {
  directoryQuerySchema,
  type DirectoryGroupRow,
  type DirectoryQuery,
  type DirectoryUserRow,
  type Paged,
} from '../../../../shared/sync';
import { csvRow, type ChunkSink } from '../../sync/csv';
import { yieldToEventLoop, type SqliteDatabase } from '../../sync/database';
import { migrateDirectory } from './schema';

/**
 * Read-only views of the embedded directory for the directory browser: paged, searchable lists of users, groups,
 * a group's members and a user's groups, and CSV/JSON exports written in chunks (100k rows never sit in one string).
 */

export type DirectoryExportKind = 'users' | 'groups' | 'memberships';
export type ExportFormat = 'csv' | 'json';

export interface DirectoryBrowser {
  users(query?: DirectoryQuery): Paged<DirectoryUserRow>;
  groups(query?: DirectoryQuery): Paged<DirectoryGroupRow>;
  /** Members of the group with row id `groupId`. */
  groupMembers(groupId: string, query?: DirectoryQuery): Paged<DirectoryUserRow>;
  /** Groups of the user with row id `userId`. */
  userGroups(userId: string, query?: DirectoryQuery): Paged<DirectoryGroupRow>;
  /** Writes one table as CSV or JSON to `sink`; returns the number of rows written. */
  export(kind: DirectoryExportKind, format: ExportFormat, sink: ChunkSink): Promise<number>;
}

const userColumns = `u.id, u.external_id, u.username, u.email, u.display_name, u.given_name, u.surname, u.active, u.updated_at,
  (SELECT count(*) FROM dir_members m WHERE m.user_id = u.id) AS group_count`;
const groupColumns = `g.id, g.external_id, g.name, g.description, g.updated_at,
  (SELECT count(*) FROM dir_members m WHERE m.group_id = g.id) AS member_count`;

interface UserRow {
  id: number;
  external_id: string | null;
  username: string;
  email: string | null;
  display_name: string | null;
  given_name: string | null;
  surname: string | null;
  active: number;
  updated_at: string;
  group_count: number;
}

interface GroupRow {
  id: number;
  external_id: string | null;
  name: string;
  description: string | null;
  updated_at: string;
  member_count: number;
}

const toUser = (r: UserRow): DirectoryUserRow => ({
  id: String(r.id),
  externalId: r.external_id,
  username: r.username,
  email: r.email,
  displayName: r.display_name,
  givenName: r.given_name,
  surname: r.surname,
  active: r.active === 1,
  groupCount: r.group_count,
  updatedAt: r.updated_at,
});

const toGroup = (r: GroupRow): DirectoryGroupRow => ({
  id: String(r.id),
  externalId: r.external_id,
  name: r.name,
  description: r.description,
  memberCount: r.member_count,
  updatedAt: r.updated_at,
});

/** `%term%` for LIKE, with LIKE's own wildcards in the term taken literally. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Creates the browser over the directory tables of `db`. */
export function createDirectoryBrowser(db: SqliteDatabase): DirectoryBrowser {
  migrateDirectory(db);

  function page<Row, Out>(
    from: string,
    where: string[],
    params: unknown[],
    columns: string,
    order: string,
    query: DirectoryQuery | undefined,
    map: (row: Row) => Out,
  ): Paged<Out> {
    const { offset, limit } = directoryQuerySchema.parse(query ?? {});
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = Number(
      (
        db
          .prepare(`SELECT count(*) FROM ${from} ${clause}`)
          .raw()
          .get(...params) as [number]
      )[0],
    );
    const rows = db
      .prepare(`SELECT ${columns} FROM ${from} ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as Row[];
    return { items: rows.map(map), total, offset, limit };
  }

  function userFilter(query: DirectoryQuery | undefined, where: string[], params: unknown[]): void {
    const { search, active } = directoryQuerySchema.parse(query ?? {});
    if (search) {
      where.push(`(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')`);
      const p = likePattern(search);
      params.push(p, p, p);
    }
    if (active !== undefined) {
      where.push('u.active = ?');
      params.push(active ? 1 : 0);
    }
  }

  function groupFilter(query: DirectoryQuery | undefined, where: string[], params: unknown[]): void {
    const { search } = directoryQuerySchema.parse(query ?? {});
    if (search) {
      where.push(`(g.name LIKE ? ESCAPE '\\' OR g.description LIKE ? ESCAPE '\\')`);
      const p = likePattern(search);
      params.push(p, p);
    }
  }

  return {
    users(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      userFilter(query, where, params);
      return page('dir_users u', where, params, userColumns, 'u.username COLLATE NOCASE', query, toUser);
    },
    groups(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      groupFilter(query, where, params);
      return page('dir_groups g', where, params, groupColumns, 'g.name COLLATE NOCASE', query, toGroup);
    },
    groupMembers(groupId, query) {
      const where = ['mm.group_id = ?'];
      const params: unknown[] = [Number(groupId)];
      userFilter(query, where, params);
      return page(
        'dir_members mm JOIN dir_users u ON u.id = mm.user_id',
        where,
        params,
        userColumns,
        'u.username COLLATE NOCASE',
        query,
        toUser,
      );
    },
    userGroups(userId, query) {
      const where = ['mm.user_id = ?'];
      const params: unknown[] = [Number(userId)];
      groupFilter(query, where, params);
      return page(
        'dir_members mm JOIN dir_groups g ON g.id = mm.group_id',
        where,
        params,
        groupColumns,
        'g.name COLLATE NOCASE',
        query,
        toGroup,
      );
    },
    async export(kind, format, sink) {
      const spec = exportSpecs[kind];
      const statement = db.prepare(spec.sql);
      const pageSize = 2_000;
      let count = 0;
      let buffer = format === 'csv' ? csvRow(spec.header) : '[';
      // Keyset pages in key order, so the database is not held open across the sink's awaits.
      let cursor: [number, number] = [0, 0];
      for (;;) {
        const rows = statement.all(...cursor, pageSize) as Array<Record<string, unknown> & { k1: number; k2: number }>;
        for (const row of rows) {
          const { k1, k2, ...values } = row;
          cursor = [k1, k2];
          if (format === 'csv') buffer += csvRow(spec.header.map((h) => values[h]));
          else buffer += (count === 0 ? '\n' : ',\n') + JSON.stringify(values);
          count++;
        }
        await sink(buffer);
        buffer = '';
        if (rows.length < pageSize) break;
        await yieldToEventLoop();
      }
      await sink(format === 'csv' ? '' : count ? '\n]\n' : ']\n');
      return count;
    },
  };
}

/** Each export reads pages after a two-part cursor (k1, k2); single-key tables use k2 = 0 and compare k1 only. */
const exportSpecs: Record<DirectoryExportKind, { sql: string; header: string[] }> = {
  users: {
    sql: `SELECT id AS k1, 0 AS k2, external_id AS externalId, username, email, display_name AS displayName,
            given_name AS givenName, surname, active, updated_at AS updatedAt
          FROM dir_users WHERE id > ?1 + 0 * ?2 ORDER BY id LIMIT ?3`,
    header: ['externalId', 'username', 'email', 'displayName', 'givenName', 'surname', 'active', 'updatedAt'],
  },
  groups: {
    sql: `SELECT id AS k1, 0 AS k2, external_id AS externalId, name, description, updated_at AS updatedAt
          FROM dir_groups WHERE id > ?1 + 0 * ?2 ORDER BY id LIMIT ?3`,
    header: ['externalId', 'name', 'description', 'updatedAt'],
  },
  memberships: {
    sql: `SELECT m.group_id AS k1, m.user_id AS k2, g.external_id AS groupExternalId, g.name AS groupName,
            u.external_id AS userExternalId, u.username
          FROM dir_members m JOIN dir_groups g ON g.id = m.group_id JOIN dir_users u ON u.id = m.user_id
          WHERE (m.group_id, m.user_id) > (?1, ?2) ORDER BY m.group_id, m.user_id LIMIT ?3`,
    header: ['groupExternalId', 'groupName', 'userExternalId', 'username'],
  },
};
