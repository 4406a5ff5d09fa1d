/**
 * The storage behind the scimmy test server (scimmy-server.ts): users and groups in memory, with what scimmy leaves
 * to its host — `userName` unique in any case and group `displayName` unique (a 409 `uniqueness` error), member
 * lists without duplicates and only of existing users, the page size capped at `maxResults` — and an index for the
 * single `eq` lookups a sync makes per object (scimmy's own filter matching is used for anything else).
 */
import { randomUUID } from 'node:crypto';

export interface StoredUser {
  id: string;
  userName: string;
  externalId?: string;
  active?: boolean;
  [attribute: string]: unknown;
}

export interface StoredGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members?: { value: string; display?: string; type?: string }[];
  [attribute: string]: unknown;
}

/** Raised as scimmy's SCIMError by the server (status, scimType, detail). */
export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    message: string,
  ) {
    super(message);
  }
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

export class ScimStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
  private readonly userByName = new Map<string, string>();
  private readonly groupByName = new Map<string, string>();

  constructor(readonly maxResults: number) {}

  /** Creates (no id) or replaces a user; the data is scimmy's coerced resource. */
  writeUser(id: string | undefined, data: Record<string, unknown>): StoredUser {
    const userName = String(data.userName ?? '');
    if (!userName) throw new StoreError(400, 'invalidValue', 'userName is required.');
    const holder = this.userByName.get(lower(userName));
    if (holder !== undefined && holder !== id)
      throw new StoreError(409, 'uniqueness', `A user with userName "${userName}" already exists.`);
    const old = id === undefined ? undefined : this.users.get(id);
    if (id !== undefined && !old) throw new StoreError(404, null, `Resource ${id} not found`);
    const { meta: _meta, id: _id, ...rest } = plain<Record<string, unknown>>(data);
    const user = { ...rest, id: id ?? randomUUID(), userName } as StoredUser;
    if (old) this.userByName.delete(lower(old.userName));
    this.userByName.set(lower(userName), user.id);
    this.users.set(user.id, user);
    return user;
  }

  deleteUser(id: string): void {
    const old = this.users.get(id);
    if (!old) throw new StoreError(404, null, `Resource ${id} not found`);
    this.users.delete(id);
    this.userByName.delete(lower(old.userName));
    for (const g of this.groups.values()) if (g.members) g.members = g.members.filter((m) => m.value !== id);
  }

  writeGroup(id: string | undefined, data: Record<string, unknown>): StoredGroup {
    const displayName = String(data.displayName ?? '');
    if (!displayName) throw new StoreError(400, 'invalidValue', 'displayName is required.');
    const holder = this.groupByName.get(lower(displayName));
    if (holder !== undefined && holder !== id)
      throw new StoreError(409, 'uniqueness', `A group with displayName "${displayName}" already exists.`);
    const old = id === undefined ? undefined : this.groups.get(id);
    if (id !== undefined && !old) throw new StoreError(404, null, `Resource ${id} not found`);
    const { meta: _meta, id: _id, ...rest } = plain<Record<string, unknown>>(data);
    const seen = new Set<string>();
    const members: { value: string }[] = [];
    for (const m of (rest.members as { value: string }[] | undefined) ?? []) {
      if (seen.has(m.value)) continue;
      if (!this.users.has(m.value)) throw new StoreError(400, 'invalidValue', `Member ${m.value} is not a user here.`);
      seen.add(m.value);
      members.push({ value: m.value });
    }
    const group = { ...rest, id: id ?? randomUUID(), displayName, members } as StoredGroup;
    if (old) this.groupByName.delete(lower(old.displayName));
    this.groupByName.set(lower(displayName), group.id);
    this.groups.set(group.id, group);
    return group;
  }

  deleteGroup(id: string): void {
    const old = this.groups.get(id);
    if (!old) throw new StoreError(404, null, `Resource ${id} not found`);
    this.groups.delete(id);
    this.groupByName.delete(lower(old.displayName));
  }

  /** The users a single `eq` on userName, externalId or id selects, or undefined when that is not the filter. */
  usersWhere(attribute: string, value: string): StoredUser[] | undefined {
    const a = lower(attribute);
    if (a === 'id') return this.users.has(value) ? [this.users.get(value)!] : [];
    if (a === 'username') {
      const id = this.userByName.get(lower(value));
      return id ? [this.users.get(id)!] : [];
    }
    if (a === 'externalid') return [...this.users.values()].filter((u) => u.externalId === value);
    return undefined;
  }

  groupsWhere(attribute: string, value: string): StoredGroup[] | undefined {
    const a = lower(attribute);
    if (a === 'id') return this.groups.has(value) ? [this.groups.get(value)!] : [];
    if (a === 'displayname') {
      const id = this.groupByName.get(lower(value));
      return id ? [this.groups.get(id)!] : [];
    }
    if (a === 'externalid') return [...this.groups.values()].filter((g) => g.externalId === value);
    return undefined;
  }
}
