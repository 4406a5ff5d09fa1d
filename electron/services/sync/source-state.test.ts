import { describe, expect, it } from 'vitest';
import type { SourceUser } from '../../../shared/sync';
import { openDatabase } from './database';
import { emptySourceDirectory } from './model';
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
