import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync/database';
import { createLocalDirectory, parseIdList } from './local-directory';

describe('parseIdList', () => {
  it('reads a group_concat of row ids', () => {
    expect(parseIdList('12,7,300')).toEqual([12, 7, 300]);
    expect(parseIdList('5')).toEqual([5]);
    expect(parseIdList('')).toEqual([]);
    expect(parseIdList('1, 20 ,3')).toEqual([1, 20, 3]);
  });
});

describe('local directory reads', () => {
  async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[][]> {
    const out: T[][] = [];
    for await (const page of pages) out.push([...page]);
    return out;
  }

  it('reads every membership once, in pages of groups, with user and group keys', async () => {
    const db = openDatabase(':memory:');
    const dir = createLocalDirectory(db);
    const users = Array.from({ length: 12 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    for (const u of users)
      await dir.createUser(u, { username: u, email: null, displayName: null, givenName: null, surname: null }, true);
    // An unmanaged account (no Entra id) is a member too: it comes back under its row key.
    db.prepare(
      `INSERT INTO dir_users (external_id, username, active, created_at, updated_at) VALUES (NULL, 'local-admin', 1, 'x', 'x')`,
    ).run();
    const groups = Array.from({ length: 7 }, (_, i) => `g${i}`);
    const expected = new Map<string, string[]>();
    for (const [n, g] of groups.entries()) {
      await dir.createGroup(g, { name: g, description: null });
      // Group n holds users n..n+4 (group 6 holds none: it is not listed at all).
      const members = n === 6 ? [] : users.slice(n, n + 5);
      for (const u of members) await dir.addMember({ externalId: g, name: g }, { externalId: u, username: u });
      if (members.length > 0) expected.set(g, members);
    }
    db.prepare(
      `INSERT INTO dir_members (group_id, user_id) SELECT g.id, u.id FROM dir_groups g, dir_users u WHERE g.external_id = 'g0' AND u.username = 'local-admin'`,
    ).run();
    const adminKey = `#${(db.prepare(`SELECT id FROM dir_users WHERE username = 'local-admin'`).raw().get() as [number])[0]}`;
    expected.set('g0', [...expected.get('g0')!, adminKey]);

    const pages = await collect(dir.readMemberships({ pageSize: 2 }));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
    const seen = new Map<string, string[]>();
    for (const chunk of pages.flat()) {
      expect(seen.has(chunk.groupKey)).toBe(false);
      seen.set(chunk.groupKey, [...chunk.userKeys].sort());
    }
    expect(seen).toEqual(new Map([...expected].map(([g, m]) => [g, [...m].sort()])));
    db.close();
  });

  it('reads every user and group once across keyset pages, unmanaged rows under their row key', async () => {
    const db = openDatabase(':memory:');
    const dir = createLocalDirectory(db);
    const none = { email: null, displayName: null, givenName: null, surname: null };
    for (let i = 0; i < 7; i++) {
      await dir.createUser(`e${i}`, { username: `u${i}`, ...none }, i % 2 === 0);
      await dir.createGroup(`g${i}`, { name: `group ${i}`, description: i % 2 ? null : `about ${i}` });
    }
    db.prepare(
      `INSERT INTO dir_users (external_id, username, active, created_at, updated_at) VALUES (NULL, 'admin', 1, 'x', 'x')`,
    ).run();
    db.prepare(`INSERT INTO dir_groups (external_id, name, created_at, updated_at) VALUES (NULL, 'staff', 'x', 'x')`).run();
    const rowId = (table: string, column: string, value: string) =>
      (db.prepare(`SELECT id FROM ${table} WHERE ${column} = ?`).raw().get(value) as [number])[0];

    // 8 rows in pages of 3, and in pages of 4 (the last page full: one more read finds nothing).
    for (const pageSize of [3, 4]) {
      const users = await collect(dir.readUsers({ pageSize }));
      expect(users.map((p) => p.length)).toEqual(pageSize === 3 ? [3, 3, 2] : [4, 4]);
      expect(users.flat().map((u) => [u.key, u.externalId, u.username, u.active])).toEqual([
        ...Array.from({ length: 7 }, (_, i) => [`e${i}`, `e${i}`, `u${i}`, i % 2 === 0]),
        [`#${rowId('dir_users', 'username', 'admin')}`, null, 'admin', true],
      ]);
      const groups = await collect(dir.readGroups({ pageSize }));
      expect(groups.flat()).toEqual([
        ...Array.from({ length: 7 }, (_, i) => ({
          key: `g${i}`,
          externalId: `g${i}`,
          name: `group ${i}`,
          description: i % 2 ? null : `about ${i}`,
        })),
        { key: `#${rowId('dir_groups', 'name', 'staff')}`, externalId: null, name: 'staff', description: null },
      ]);
    }
    db.close();
  });

  it('reads user records with their fields and keys', async () => {
    const db = openDatabase(':memory:');
    const dir = createLocalDirectory(db);
    await dir.createUser('e1', { username: 'ann', email: 'ann@x', displayName: 'Ann', givenName: 'A', surname: 'N' }, false);
    const pages = await collect(dir.readUsers());
    expect(pages.flat()).toHaveLength(1);
    expect(pages[0]?.[0]).toEqual({
      key: 'e1',
      externalId: 'e1',
      active: false,
      username: 'ann',
      email: 'ann@x',
      displayName: 'Ann',
      givenName: 'A',
      surname: 'N',
    });
    db.close();
  });
});
