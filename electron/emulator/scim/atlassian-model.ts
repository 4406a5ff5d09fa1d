/**
 * The data of the Atlassian Cloud SCIM emulator and its rules (atlassian-facts.md, SCIM): users and groups of one
 * identity-provider directory; `userName` and the primary e-mail unique (a 409 `uniqueness`, even against a
 * deactivated user); a deactivated user is not returned by a list or a filter but still read by id; a deleted user
 * is deactivated and answers 404 from then on; PUT replaces the whole resource; PATCH add/replace/remove on the
 * core attributes and the member list; filters only a single `eq` on `userName`/`externalId` (users) or
 * `displayName` (groups).
 */
import { randomUUID } from 'node:crypto';

export interface CloudUser {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string; primary?: boolean; type?: string }[];
  active: boolean;
  /** DELETE /Users/{id}: deactivated, and 404 from then on. */
  deleted: boolean;
  [attribute: string]: unknown;
}

export interface CloudGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members: { value: string }[];
}

/** A refusal with Atlassian's body: `status` as a string. */
export class CloudError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    readonly detail: string,
  ) {
    super(detail);
  }
  get body() {
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const primary = (u: Pick<CloudUser, 'emails'>) => (u.emails?.find((e) => e.primary) ?? u.emails?.[0])?.value;

/** `attr eq "value"` with RFC 7644's JSON string escapes; anything else is not supported. */
export function parseEqFilter(filter: string, allowed: readonly string[]): { attribute: string; value: string } {
  const m = /^\s*([A-Za-z][\w.]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i.exec(filter);
  const attribute = m ? allowed.find((a) => lower(a) === lower(m[1]!)) : undefined;
  if (!m || !attribute)
    throw new CloudError(400, 'invalidFilter', `Unsupported filter. Only a single 'eq' on ${allowed.join(' or ')} is supported.`);
  return { attribute, value: JSON.parse(m[2]!) as string };
}

export class CloudDirectory {
  readonly users = new Map<string, CloudUser>();
  readonly groups = new Map<string, CloudGroup>();

  private checkUnique(data: Partial<CloudUser>, id?: string): void {
    for (const u of this.users.values()) {
      if (u.id === id || u.deleted) continue;
      if (data.userName && lower(u.userName) === lower(data.userName))
        throw new CloudError(409, 'uniqueness', `Resource [USER]: with userName[${data.userName}] already exists.`);
      const mail = primary(data);
      if (mail && primary(u) && lower(primary(u)!) === lower(mail))
        throw new CloudError(409, 'uniqueness', `Resource [USER]: with email[${mail}] already exists.`);
    }
  }

  private clean(body: Record<string, unknown>): Partial<CloudUser> {
    const { id: _id, meta: _meta, schemas: _schemas, deleted: _deleted, ...rest } = body;
    return rest as Partial<CloudUser>;
  }

  createUser(body: Record<string, unknown>): CloudUser {
    const data = this.clean(body);
    if (!data.userName) throw new CloudError(400, 'invalidValue', 'userName is required.');
    if (!primary(data)) throw new CloudError(400, 'invalidValue', 'An e-mail address is required.');
    this.checkUnique(data);
    const user: CloudUser = { ...data, id: randomUUID(), userName: data.userName, active: data.active ?? true, deleted: false };
    this.users.set(user.id, user);
    return user;
  }

  /** A user by id; deleted ones are 404. */
  user(id: string): CloudUser {
    const u = this.users.get(id);
    if (!u || u.deleted) throw new CloudError(404, null, `Resource [USER] with id [${id}] not found.`);
    return u;
  }

  /** PUT: the whole resource replaced, what the body leaves out cleared. */
  replaceUser(id: string, body: Record<string, unknown>): CloudUser {
    const old = this.user(id);
    const data = this.clean(body);
    if (!data.userName) throw new CloudError(400, 'invalidValue', 'userName is required.');
    this.checkUnique(data, id);
    const user: CloudUser = { ...data, id, userName: data.userName, active: data.active ?? true, deleted: old.deleted };
    this.users.set(id, user);
    return user;
  }

  patchUser(id: string, operations: readonly PatchOperation[]): CloudUser {
    const next = structuredClone(this.user(id)) as CloudUser;
    for (const op of operations) applyToUser(next, op);
    this.checkUnique(next, id);
    this.users.set(id, next);
    return next;
  }

  /** DELETE deactivates; later calls answer 404. */
  deleteUser(id: string): void {
    const u = this.user(id);
    u.active = false;
    u.deleted = true;
  }

  /** Active users only: deactivated ones are not returned by a list or a filter. */
  listUsers(filter: { attribute: string; value: string } | null): CloudUser[] {
    return [...this.users.values()].filter((u) => {
      if (!u.active || u.deleted) return false;
      if (!filter) return true;
      const v = filter.attribute === 'userName' ? u.userName : u.externalId;
      return filter.attribute === 'userName' ? lower(v ?? '') === lower(filter.value) : v === filter.value;
    });
  }

  createGroup(body: Record<string, unknown>): CloudGroup {
    const displayName = String(body.displayName ?? '');
    if (!displayName) throw new CloudError(400, 'invalidValue', 'displayName is required.');
    if ([...this.groups.values()].some((g) => lower(g.displayName) === lower(displayName)))
      throw new CloudError(409, 'uniqueness', `Resource [GROUP]: with displayName[${displayName}] already exists.`);
    const group: CloudGroup = {
      id: randomUUID(),
      displayName,
      ...(typeof body.externalId === 'string' ? { externalId: body.externalId } : {}),
      members: [],
    };
    for (const m of (body.members as { value: string }[] | undefined) ?? []) this.addMember(group, m.value);
    this.groups.set(group.id, group);
    return group;
  }

  group(id: string): CloudGroup {
    const g = this.groups.get(id);
    if (!g) throw new CloudError(404, null, `Resource [GROUP] with id [${id}] not found.`);
    return g;
  }

  patchGroup(id: string, operations: readonly PatchOperation[]): CloudGroup {
    const g = this.group(id);
    for (const op of operations) {
      const kind = lower(op.op);
      const path = op.path ?? '';
      if (lower(path) === 'members' && kind === 'add')
        for (const m of [op.value].flat() as { value: string }[]) this.addMember(g, m.value);
      else if (lower(path) === 'members' && kind === 'remove' && op.value)
        for (const m of [op.value].flat() as { value: string }[]) g.members = g.members.filter((x) => x.value !== m.value);
      else if (kind === 'remove' && /^members\[value eq "(.+)"\]$/i.test(path)) {
        const value = /^members\[value eq "(.+)"\]$/i.exec(path)![1]!;
        g.members = g.members.filter((x) => x.value !== value);
      } else if (kind === 'replace' && lower(path) === 'displayname') g.displayName = String(op.value);
      else throw new CloudError(400, 'invalidPath', `Unsupported PATCH operation ${op.op} ${path}.`);
    }
    return g;
  }

  deleteGroup(id: string): void {
    this.group(id);
    this.groups.delete(id);
  }

  listGroups(filter: { attribute: string; value: string } | null): CloudGroup[] {
    return [...this.groups.values()].filter((g) => !filter || lower(g.displayName) === lower(filter.value));
  }

  private addMember(g: CloudGroup, userId: string): void {
    const u = this.users.get(userId);
    if (!u || u.deleted) throw new CloudError(400, 'invalidValue', `User [${userId}] not found.`);
    if (!g.members.some((m) => m.value === userId)) g.members.push({ value: userId });
  }
}

export interface PatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

const USER_PATHS = ['userName', 'displayName', 'externalId', 'active', 'emails', 'name.givenName', 'name.familyName', 'title'];

function applyToUser(u: CloudUser, op: PatchOperation): void {
  const kind = lower(op.op);
  if (!['add', 'replace', 'remove'].includes(kind)) throw new CloudError(400, 'invalidSyntax', `Unknown op ${op.op}.`);
  if (!op.path) {
    if (kind === 'remove' || !op.value || typeof op.value !== 'object')
      throw new CloudError(400, 'noTarget', 'A path is required.');
    for (const [k, v] of Object.entries(op.value)) applyToUser(u, { op: kind, path: k, value: v });
    return;
  }
  const path = USER_PATHS.find((p) => lower(p) === lower(op.path!));
  if (!path) throw new CloudError(400, 'invalidPath', `Unsupported path ${op.path}.`);
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail) {
    const name = (u.name ??= {}) as Record<string, unknown>;
    if (kind === 'remove') delete name[tail];
    else name[tail] = op.value;
  } else if (kind === 'remove') delete u[head];
  else u[head] = op.value;
}
