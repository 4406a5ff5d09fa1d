import type { GroupFields, PlanItem, UserFields } from '../../../../shared/sync';
import { systemClock, type Clock } from '../../ports';
import { inSlicedTransaction, yieldToEventLoop, type SqliteDatabase } from '../../sync/database';
import {
  TargetError,
  type BatchItemResult,
  type DirectoryTarget,
  type GroupRef,
  type TargetCapabilities,
  type TargetGroupRecord,
  type TargetGroupMembers,
  type TargetReadOptions,
  type TargetUserRecord,
  type UserRef,
  type WriteResult,
} from '../directory-target';
import { guard, parseIdList } from './sql-rows';
import { migrateDirectory } from './schema';

export { parseIdList };

/**
 * The embedded directory: a {@link DirectoryTarget} over SQLite tables in the app's database. Every write is one
 * SQL statement (plus reads), so a failing item never leaves half a change, and replays are `unchanged`.
 * `applyBatch` runs a batch in one IMMEDIATE transaction (sliced, yielding between slices): a crash loses at most
 * the batch, never splits an item.
 */

export interface LocalDirectory extends DirectoryTarget {
  readonly db: SqliteDatabase;
  /** Totals for the dashboard and the browser's header. */
  counts(): { users: number; activeUsers: number; groups: number; memberships: number };
}

export interface LocalDirectoryOptions {
  readonly clock?: Clock;
}

const capabilities: TargetCapabilities = {
  canDisable: true,
  canDeleteUsers: true,
  canRenameUsers: true,
  canRenameGroups: true,
  canDeleteGroups: true,
  storesExternalId: true,
  maxConcurrency: 1,
};

interface UserRow {
  id: number;
  username: string;
  email: string | null;
  display_name: string | null;
  given_name: string | null;
  surname: string | null;
  active: number;
}

interface GroupRow {
  id: number;
  name: string;
  description: string | null;
}

/** A raw row of `usersPage`: id, external_id, username, email, display_name, given_name, surname, active. */
type UserPageRow = [number, string | null, string, string | null, string | null, string | null, string | null, number];
/** A raw row of `groupsPage`: id, external_id, name, description. */
type GroupPageRow = [number, string | null, string, string | null];

/** Rows of a row id → key table read per statement (one slice of the event loop each). */
const keyPageSize = 5_000;

/** Opens the embedded directory on `db`, creating its tables when missing. */
export function createLocalDirectory(db: SqliteDatabase, options: LocalDirectoryOptions = {}): LocalDirectory {
  migrateDirectory(db);
  const clock = options.clock ?? systemClock;
  const now = () => clock.now().toISOString();

  const q = {
    userByExt: db.prepare(
      'SELECT id, username, email, display_name, given_name, surname, active FROM dir_users WHERE external_id = ?',
    ),
    insertUser: db.prepare(
      'INSERT INTO dir_users (external_id, username, email, display_name, given_name, surname, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateUser: db.prepare(
      'UPDATE dir_users SET username = ?, email = ?, display_name = ?, given_name = ?, surname = ?, active = ?, updated_at = ? WHERE id = ?',
    ),
    setActive: db.prepare('UPDATE dir_users SET active = ?, updated_at = ? WHERE external_id = ? AND active <> ?'),
    deleteUser: db.prepare('DELETE FROM dir_users WHERE external_id = ?'),
    groupByExt: db.prepare('SELECT id, name, description FROM dir_groups WHERE external_id = ?'),
    insertGroup: db.prepare(
      'INSERT INTO dir_groups (external_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    updateGroup: db.prepare('UPDATE dir_groups SET name = ?, description = ?, updated_at = ? WHERE id = ?'),
    deleteGroup: db.prepare('DELETE FROM dir_groups WHERE external_id = ?'),
    addMember: db.prepare(
      'INSERT OR IGNORE INTO dir_members (group_id, user_id) SELECT g.id, u.id FROM dir_groups g, dir_users u WHERE g.external_id = ? AND u.external_id = ?',
    ),
    removeMember: db.prepare(
      'DELETE FROM dir_members WHERE group_id = (SELECT id FROM dir_groups WHERE external_id = ?) AND user_id = (SELECT id FROM dir_users WHERE external_id = ?)',
    ),
    // Raw rows (arrays): an object per row with named keys cost about three times as much to build at 100k users.
    usersPage: db
      .prepare(
        'SELECT id, external_id, username, email, display_name, given_name, surname, active FROM dir_users WHERE id > ? ORDER BY id LIMIT ?',
      )
      .raw(),
    groupsPage: db.prepare('SELECT id, external_id, name, description FROM dir_groups WHERE id > ? ORDER BY id LIMIT ?').raw(),
    membersPage: db
      .prepare(
        'SELECT group_id, group_concat(user_id) FROM dir_members WHERE group_id > ? GROUP BY group_id ORDER BY group_id LIMIT ?',
      )
      .raw(),
    userKeys: db.prepare('SELECT id, external_id FROM dir_users WHERE id > ? ORDER BY id LIMIT ?').raw(),
    groupKeys: db.prepare('SELECT id, external_id FROM dir_groups WHERE id > ? ORDER BY id LIMIT ?').raw(),
  };

  // libsql flattens spread arguments into a new array on every call; passing one array skips that at 500k items.
  const userRow = (externalId: string) => q.userByExt.get([externalId]) as UserRow | undefined;
  const groupRow = (externalId: string) => q.groupByExt.get([externalId]) as GroupRow | undefined;
  const toUserFields = (row: UserRow): UserFields => ({
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
  });

  /** Writes a user's fields on an existing row; `unchanged` when nothing differs. */
  const writeUser = (row: UserRow, fields: UserFields, active: boolean): WriteResult => {
    const current = toUserFields(row);
    const same =
      current.username === fields.username &&
      current.email === fields.email &&
      current.displayName === fields.displayName &&
      current.givenName === fields.givenName &&
      current.surname === fields.surname &&
      (row.active === 1) === active;
    if (same) return 'unchanged';
    guard(() =>
      q.updateUser.run([
        fields.username,
        fields.email,
        fields.displayName,
        fields.givenName,
        fields.surname,
        active ? 1 : 0,
        now(),
        row.id,
      ]),
    );
    return 'applied';
  };

  const ops = {
    createUser(externalId: string, fields: UserFields, active: boolean): WriteResult {
      const row = userRow(externalId);
      // A replayed create (the first attempt landed, its outcome was lost) converges instead of failing.
      if (row) return writeUser(row, fields, active);
      const at = now();
      guard(() =>
        q.insertUser.run([
          externalId,
          fields.username,
          fields.email,
          fields.displayName,
          fields.givenName,
          fields.surname,
          active ? 1 : 0,
          at,
          at,
        ]),
      );
      return 'applied';
    },
    updateUser(user: UserRef, changes: Partial<UserFields>): WriteResult {
      const row = userRow(user.externalId);
      if (!row) throw new TargetError('not-found', `User ${user.username} is not in the directory.`);
      return writeUser(row, { ...toUserFields(row), ...changes }, row.active === 1);
    },
    setUserActive(user: UserRef, active: boolean): WriteResult {
      const flag = active ? 1 : 0;
      if (q.setActive.run([flag, now(), user.externalId, flag]).changes > 0) return 'applied';
      if (!userRow(user.externalId)) throw new TargetError('not-found', `User ${user.username} is not in the directory.`);
      return 'unchanged';
    },
    deleteUser(user: UserRef): WriteResult {
      return q.deleteUser.run([user.externalId]).changes > 0 ? 'applied' : 'unchanged';
    },
    createGroup(externalId: string, fields: GroupFields): WriteResult {
      const row = groupRow(externalId);
      if (row) return ops.updateGroup({ externalId, name: row.name }, fields);
      const at = now();
      guard(() => q.insertGroup.run([externalId, fields.name, fields.description, at, at]));
      return 'applied';
    },
    updateGroup(group: GroupRef, changes: Partial<GroupFields>): WriteResult {
      const row = groupRow(group.externalId);
      if (!row) throw new TargetError('not-found', `Group ${group.name} is not in the directory.`);
      const next = {
        name: changes.name ?? row.name,
        description: changes.description !== undefined ? changes.description : row.description,
      };
      if (next.name === row.name && next.description === row.description) return 'unchanged';
      guard(() => q.updateGroup.run([next.name, next.description, now(), row.id]));
      return 'applied';
    },
    deleteGroup(group: GroupRef): WriteResult {
      return q.deleteGroup.run([group.externalId]).changes > 0 ? 'applied' : 'unchanged';
    },
    addMember(group: GroupRef, user: UserRef): WriteResult {
      if (q.addMember.run([group.externalId, user.externalId]).changes > 0) return 'applied';
      if (!groupRow(group.externalId)) throw new TargetError('not-found', `Group ${group.name} is not in the directory.`);
      if (!userRow(user.externalId)) throw new TargetError('not-found', `User ${user.username} is not in the directory.`);
      return 'unchanged';
    },
    removeMember(group: GroupRef, user: UserRef): WriteResult {
      return q.removeMember.run([group.externalId, user.externalId]).changes > 0 ? 'applied' : 'unchanged';
    },
  };

  const applyItem = (item: PlanItem): WriteResult => {
    switch (item.kind) {
      case 'create-user':
        return ops.createUser(item.externalId, item.after, item.active);
      case 'update-user':
        return ops.updateUser(item, item.after);
      case 'enable-user':
      case 'disable-user':
        return ops.setUserActive(item, item.kind === 'enable-user');
      case 'delete-user':
        return ops.deleteUser(item);
      case 'create-group':
        return ops.createGroup(item.externalId, item.after);
      case 'update-group':
        return ops.updateGroup(item, item.after);
      case 'delete-group':
        return ops.deleteGroup(item);
      case 'add-member':
      case 'remove-member': {
        const group = { externalId: item.groupExternalId, name: item.groupName };
        const user = { externalId: item.userExternalId, username: item.username };
        return item.kind === 'add-member' ? ops.addMember(group, user) : ops.removeMember(group, user);
      }
    }
  };

  /**
   * Rows of a keyset-paged statement (`WHERE id > ? ORDER BY id LIMIT ?`, the row id first), `pageSize` a page.
   * The reader turns the event loop between pages, so a page is one slice of it: 1,000 users take a few
   * milliseconds, where 5,000 held it for 15–50 ms (more with a collection or a busy core on top).
   */
  async function* pages<Row extends readonly [number, ...unknown[]], Out>(
    statement: { all(after: number, size: number): unknown },
    map: (row: Row) => Out,
    options?: TargetReadOptions,
  ) {
    const size = options?.pageSize ?? 1_000;
    for (let after = 0; ;) {
      options?.signal?.throwIfAborted();
      const rows = statement.all(after, size) as Row[];
      if (rows.length > 0) yield rows.map(map);
      if (rows.length < size) return;
      after = rows[rows.length - 1]![0];
    }
  }

  /** Keys are the Entra ids (the planner's own keys, no translation table needed); unmanaged rows get `#rowid`. */
  const keyOf = (id: number, externalId: string | null) => externalId ?? `#${id}`;

  /**
   * Members per group, in keyset pages of groups (`pageSize` groups a page): each group's member row ids come as one
   * comma-separated string, so half a million memberships cost a few thousand strings, not a row array each.
   * Keys come from one id → key table per read. A page of 200 groups (~10k memberships at 50 a group) is a few
   * milliseconds of the event loop; 500 held it for up to 50.
   */
  async function* readMemberships(options?: TargetReadOptions): AsyncGenerator<TargetGroupMembers[]> {
    const size = options?.pageSize ?? 200;
    // Row id → key tables, read in pages with pauses (100k rows at once would hold the event loop).
    const keyTable = async (statement: typeof q.userKeys) => {
      const keys: string[] = [];
      for (let after = 0; ;) {
        const rows = statement.all(after, keyPageSize) as [number, string | null][];
        for (const [id, ext] of rows) keys[id] = keyOf(id, ext);
        if (rows.length < keyPageSize) return keys;
        after = rows[rows.length - 1]![0];
        await yieldToEventLoop();
      }
    };
    const userKey = await keyTable(q.userKeys);
    const groupKey = await keyTable(q.groupKeys);
    for (let after = 0; ;) {
      options?.signal?.throwIfAborted();
      const rows = q.membersPage.all(after, size) as [number, string][];
      const page: TargetGroupMembers[] = [];
      for (const [groupId, list] of rows) {
        const key = groupKey[groupId];
        if (key === undefined) continue;
        const userKeys: string[] = [];
        for (const id of parseIdList(list)) {
          const user = userKey[id];
          if (user !== undefined) userKeys.push(user);
        }
        page.push({ groupKey: key, userKeys });
      }
      if (page.length > 0) yield page;
      if (rows.length < size) return;
      after = rows[rows.length - 1]![0];
      await yieldToEventLoop();
    }
  }

  return {
    id: 'local',
    db,
    capabilities,
    readUsers: (options) =>
      pages(
        q.usersPage,
        ([id, externalId, username, email, displayName, givenName, surname, active]: UserPageRow): TargetUserRecord => ({
          key: keyOf(id, externalId),
          externalId,
          active: active === 1,
          username,
          email,
          displayName,
          givenName,
          surname,
        }),
        options,
      ),
    readGroups: (options) =>
      pages(
        q.groupsPage,
        ([id, externalId, name, description]: GroupPageRow): TargetGroupRecord => ({
          key: keyOf(id, externalId),
          externalId,
          name,
          description,
        }),
        options,
      ),
    readMemberships: (options) => readMemberships(options),
    createUser: async (...args) => ops.createUser(...args),
    updateUser: async (...args) => ops.updateUser(...args),
    setUserActive: async (...args) => ops.setUserActive(...args),
    deleteUser: async (...args) => ops.deleteUser(...args),
    createGroup: async (...args) => ops.createGroup(...args),
    updateGroup: async (...args) => ops.updateGroup(...args),
    deleteGroup: async (...args) => ops.deleteGroup(...args),
    addMember: async (...args) => ops.addMember(...args),
    removeMember: async (...args) => ops.removeMember(...args),
    applyBatch(items) {
      // A failing statement rolls back only itself in SQLite, so one bad item does not undo the batch.
      return inSlicedTransaction(db, items, (item): BatchItemResult => {
        try {
          return { outcome: applyItem(item) };
        } catch (error) {
          if (error instanceof TargetError) return { outcome: 'failed', error: { code: error.code, message: error.message } };
          throw error;
        }
      });
    },
    counts() {
      const one = (sql: string) => Number((db.prepare(sql).raw().get() as [number])[0]);
      return {
        users: one('SELECT count(*) FROM dir_users'),
        activeUsers: one('SELECT count(*) FROM dir_users WHERE active = 1'),
        groups: one('SELECT count(*) FROM dir_groups'),
        memberships: one('SELECT count(*) FROM dir_members'),
      };
    },
  };
}
