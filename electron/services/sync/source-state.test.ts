import { describe, expect, it } from 'vitest';
import type { SourceUser } from '../../../shared/sync';
import type { DeltaReadResult } from '../graph/directory-reader';
import { openDatabase } from './database';
import { emptySourceDirectory, type MutableSourceDirectory } from './model';
import { createSourceStateStore } from './source-state';

const user = (id: string): SourceUser => ({
  id,
  upn: `${id}@t.example`,
  mail: null,
  mailNickname: id,
  onPremisesSamAccountName: null,
  displayName: `User ${id}`,
  givenName: null,
  surname: null,
  accountEnabled: true,
  userType: 'Member',
});

describe('source state snapshot', () => {
  it('loads back every user, group and member list, across pages of users, groups and members', async () => {
    const db = openDatabase(':memory:');
    const store = createSourceStateStore(db);
    const source = emptySourceDirectory();
    for (let i = 0; i < 5_200; i++) source.users.set(`u${i}`, user(`u${i}`));
    // More users than one page (1,000), more groups than one page of groups (2,000) and a whole number of pages of
    // member lists (50: the last read finds none); every 10th group holds the next group (nesting whose id sorts
    // after it) and one member that is neither a user nor a group.
    const groupCount = 5_300;
    for (let g = 0; g < groupCount; g++) {
      const id = `g${String(g).padStart(5, '0')}`;
      source.groups.set(id, { id, displayName: `Group ${g}`, description: g % 2 ? null : `About ${g}` });
      const members = [`u${g % 5_200}`, `u${(g * 7) % 5_200}`];
      if (g % 10 === 0 && g + 1 < groupCount) members.push(`g${String(g + 1).padStart(5, '0')}`, 'gone');
      source.members.set(id, members);
    }
    await store.saveFull({ sourceKey: 'k', fields: 'f', at: '2026-01-01T00:00:00.000Z' }, source, { users: 'u', groups: 'g' });

    const loaded = await store.load();
    expect(loaded.users).toEqual(source.users);
    expect(loaded.groups).toEqual(source.groups);
    expect(new Map([...loaded.members].map(([id, m]) => [id, [...m].sort()]))).toEqual(
      new Map([...source.members].map(([id, m]) => [id, [...new Set(m)].sort()])),
    );
    db.close();
  });

  describe('saving a delta', () => {
    const copy = (source: MutableSourceDirectory): MutableSourceDirectory => ({
      users: new Map(source.users),
      groups: new Map(source.groups),
      members: new Map([...source.members].map(([id, m]) => [id, [...m]])),
    });
    const sorted = (members: ReadonlyMap<string, readonly string[]>) =>
      new Map([...members].map(([id, m]) => [id, [...new Set(m)].sort()]));
    const deltaOf = (
      changes: Partial<Record<'changedUsers' | 'removedUsers' | 'changedGroups' | 'removedGroups', string[]>>,
      links: { users: string; groups: string },
    ): DeltaReadResult => ({
      deltaLinks: links,
      changedUsers: new Set(changes.changedUsers),
      removedUsers: new Set(changes.removedUsers),
      changedGroups: new Set(changes.changedGroups),
      removedGroups: new Set(changes.removedGroups),
      warnings: [],
      requests: 1,
      retries: 0,
    });
    async function snapshot() {
      const db = openDatabase(':memory:');
      const store = createSourceStateStore(db);
      const source = emptySourceDirectory();
      for (let i = 0; i < 400; i++) source.users.set(`u${i}`, user(`u${i}`));
      for (let g = 0; g < 60; g++) {
        source.groups.set(`g${g}`, { id: `g${g}`, displayName: `Group ${g}`, description: null });
        source.members.set(`g${g}`, [`u${g}`, `u${g + 100}`]);
      }
      await store.saveFull({ sourceKey: 'k', fields: 'f', at: 'then' }, source, { users: 'u1', groups: 'g1' });
      return { db, store, source };
    }

    it('writes every change and the new links in one transaction over several slices of the event loop', async () => {
      const { db, store, source } = await snapshot();
      const next = copy(source);
      const removedUsers = Array.from({ length: 150 }, (_, i) => `u${i + 250}`);
      for (const id of removedUsers) next.users.delete(id);
      const changedUsers = Array.from({ length: 120 }, (_, i) => `u${i}`).concat(['new1', 'new2']);
      for (const id of changedUsers) next.users.set(id, { ...user(id), displayName: `Renamed ${id}` });
      const removedGroups = ['g0', 'g1', 'g2'];
      for (const id of removedGroups) {
        next.groups.delete(id);
        next.members.delete(id);
      }
      const changedGroups = ['g10', 'g11', 'new-group'];
      next.groups.set('new-group', { id: 'new-group', displayName: 'New', description: 'fresh' });
      for (const id of changedGroups) next.members.set(id, ['new1', 'u5', 'u5']);

      let turned = false;
      setImmediate(() => (turned = true));
      await store.saveDelta(
        next,
        deltaOf({ changedUsers, removedUsers, changedGroups, removedGroups }, { users: 'u2', groups: 'g2' }),
      );
      // The event loop turned while ~280 writes were made (a single slice would not let it).
      expect(turned).toBe(true);
      const loaded = await store.load();
      expect(loaded.users).toEqual(next.users);
      expect(loaded.groups).toEqual(next.groups);
      expect(sorted(loaded.members)).toEqual(sorted(next.members));
      expect(store.info()?.deltaLinks).toEqual({ users: 'u2', groups: 'g2' });
      db.close();
    });

    it('keeps the old snapshot and links when a write fails after earlier slices', async () => {
      const { db, store, source } = await snapshot();
      const next = copy(source);
      const removedUsers = Array.from({ length: 250 }, (_, i) => `u${i}`);
      for (const id of removedUsers) next.users.delete(id);
      // upn is NOT NULL in the snapshot: this write fails, after 250 deletions (more than two slices).
      next.users.set('broken', { ...user('broken'), upn: null as unknown as string });
      await expect(
        store.saveDelta(next, deltaOf({ removedUsers, changedUsers: ['broken'] }, { users: 'u2', groups: 'g2' })),
      ).rejects.toThrow();
      const loaded = await store.load();
      expect(loaded.users).toEqual(source.users);
      expect(store.info()?.deltaLinks).toEqual({ users: 'u1', groups: 'g1' });
      expect(db.inTransaction).toBe(false);
      db.close();
    });
  });

  it('stops loading when the signal is aborted', async () => {
    const db = openDatabase(':memory:');
    const store = createSourceStateStore(db);
    const source = emptySourceDirectory();
    for (let i = 0; i < 6_000; i++) source.users.set(`u${i}`, user(`u${i}`));
    await store.saveFull({ sourceKey: 'k', fields: 'f', at: 'now' }, source, null);
    const controller = new AbortController();
    controller.abort();
    await expect(store.load(controller.signal)).rejects.toThrow();
    db.close();
  });
});
