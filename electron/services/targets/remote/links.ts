/**
 * Links between Entra objects and a remote target's accounts, which the target cannot store itself (Jira has no field
 * for an Entra object id): Entra id ↔ the target's stable key, and whether the sync created or matched the account.
 * The engine keeps them per target in its store; tests use {@link createMemoryLinks}.
 */

export type LinkOrigin = 'created' | 'matched';

export interface TargetLink {
  readonly externalId: string;
  readonly key: string;
  readonly origin: LinkOrigin;
}

/** The link store one target sees. Synchronous: the engine's store is SQLite, read in process. */
export interface TargetLinks {
  user(externalId: string): TargetLink | undefined;
  userByKey(key: string): TargetLink | undefined;
  linkUser(externalId: string, key: string, origin: LinkOrigin): void;
  unlinkUser(externalId: string): void;
  group(externalId: string): TargetLink | undefined;
  groupByKey(key: string): TargetLink | undefined;
  linkGroup(externalId: string, key: string, origin: LinkOrigin): void;
  unlinkGroup(externalId: string): void;
}

/** Links kept in memory, for tests and dry runs. */
export function createMemoryLinks(): TargetLinks & { users(): TargetLink[]; groups(): TargetLink[] } {
  const side = () => {
    const byId = new Map<string, TargetLink>();
    const byKey = new Map<string, TargetLink>();
    return {
      get: (id: string) => byId.get(id),
      byKey: (key: string) => byKey.get(key),
      set(externalId: string, key: string, origin: LinkOrigin) {
        const old = byId.get(externalId);
        if (old) byKey.delete(old.key);
        // A key moves to its newest Entra owner; the old owner's link goes.
        const taken = byKey.get(key);
        if (taken) byId.delete(taken.externalId);
        const link = { externalId, key, origin: old?.key === key ? old.origin : origin };
        byId.set(externalId, link);
        byKey.set(key, link);
      },
      remove(externalId: string) {
        const old = byId.get(externalId);
        if (old) byKey.delete(old.key);
        byId.delete(externalId);
      },
      all: () => [...byId.values()],
    };
  };
  const users = side();
  const groups = side();
  return {
    user: users.get,
    userByKey: users.byKey,
    linkUser: users.set,
    unlinkUser: users.remove,
    group: groups.get,
    groupByKey: groups.byKey,
    linkGroup: groups.set,
    unlinkGroup: groups.remove,
    users: users.all,
    groups: groups.all,
  };
}
