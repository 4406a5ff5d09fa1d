/**
 * The SCIM 2.0 resources as the target sends and reads them (RFC 7643 core User and Group), the filter the matching
 * uses (RFC 7644 §3.4.2.2: a string value in double quotes, with `"` and `\` escaped by a backslash), and the
 * mapping between a SCIM User and the port's fields.
 */
import type { UserFields } from '../../../../shared/sync';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimUserJson {
  readonly id: string;
  readonly externalId?: string | null;
  readonly userName: string;
  readonly displayName?: string | null;
  readonly name?: { readonly givenName?: string | null; readonly familyName?: string | null; readonly formatted?: string | null };
  readonly emails?: readonly { readonly value?: string; readonly primary?: boolean; readonly type?: string }[];
  readonly active?: boolean;
}

export interface ScimGroupJson {
  readonly id: string;
  readonly externalId?: string | null;
  readonly displayName: string;
  readonly members?: readonly { readonly value: string; readonly type?: string }[];
}

export interface ScimListJson<T> {
  readonly totalResults?: number;
  readonly startIndex?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: readonly T[];
}

/** A filter value as RFC 7644 wants it: in double quotes, `\` and `"` escaped. */
export function scimString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `attribute eq "value"`, the one filter every SCIM service (Atlassian Cloud included) understands. */
export function eqFilter(attribute: 'userName' | 'externalId' | 'displayName' | 'emails.value', value: string): string {
  return `${attribute} eq ${scimString(value)}`;
}

/** The primary e-mail, else the first one. */
export function primaryEmail(user: ScimUserJson): string | null {
  const emails = user.emails ?? [];
  return (emails.find((e) => e.primary) ?? emails[0])?.value ?? null;
}

/** The port's fields of a SCIM user. */
export function userFieldsOf(user: ScimUserJson): UserFields {
  return {
    username: user.userName,
    email: primaryEmail(user),
    displayName: user.displayName ?? null,
    givenName: user.name?.givenName ?? null,
    surname: user.name?.familyName ?? null,
  };
}

/** The SCIM user a POST creates: every attribute the sync manages. */
export function userBody(externalId: string, fields: UserFields, active: boolean): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    externalId,
    userName: fields.username,
    displayName: fields.displayName || fields.username,
    ...(fields.givenName || fields.surname
      ? {
          name: {
            ...(fields.givenName ? { givenName: fields.givenName } : {}),
            ...(fields.surname ? { familyName: fields.surname } : {}),
          },
        }
      : {}),
    ...(fields.email ? { emails: [{ value: fields.email, type: 'work', primary: true }] } : {}),
    active,
  };
}

/**
 * The whole SCIM user for a PUT, which replaces the resource (a PUT clears what it leaves out: atlassian-facts.md):
 * everything the service holds, attributes the sync does not manage included, with the changes laid over it. An
 * e-mail or display name Entra leaves empty keeps the service's own (the services require them); a given name or
 * surname Entra cleared is cleared.
 */
export function putBody(
  current: ScimUserJson,
  externalId: string,
  changes: Partial<UserFields>,
  active: boolean,
): Record<string, unknown> {
  const { meta: _meta, ...kept } = current as ScimUserJson & { meta?: unknown };
  const name: Record<string, unknown> = { ...(current.name ?? {}) };
  if (changes.givenName !== undefined) name.givenName = changes.givenName ?? undefined;
  if (changes.surname !== undefined) name.familyName = changes.surname ?? undefined;
  for (const k of Object.keys(name)) if (name[k] === undefined || name[k] === null) delete name[k];
  const emails = changes.email
    ? [
        { value: changes.email, type: 'work', primary: true },
        ...(current.emails ?? []).filter((e) => !e.primary && e.value !== changes.email),
      ]
    : current.emails;
  return {
    ...kept,
    schemas: (current as { schemas?: string[] }).schemas ?? [USER_SCHEMA],
    externalId,
    userName: changes.username ?? current.userName,
    displayName: changes.displayName || current.displayName || current.userName,
    ...(Object.keys(name).length > 0 ? { name } : { name: undefined }),
    ...(emails && emails.length > 0 ? { emails } : {}),
    active,
  };
}

/** PATCH operations for `changes` (RFC 7644 §3.5.2): replace what has a value, remove a cleared name part. */
export function userPatchOperations(changes: Partial<UserFields>): Record<string, unknown>[] {
  const ops: Record<string, unknown>[] = [];
  const replace = (path: string, value: unknown) => ops.push({ op: 'replace', path, value });
  if (changes.username !== undefined) replace('userName', changes.username);
  if (changes.displayName) replace('displayName', changes.displayName);
  if (changes.givenName !== undefined)
    ops.push(
      changes.givenName
        ? { op: 'replace', path: 'name.givenName', value: changes.givenName }
        : { op: 'remove', path: 'name.givenName' },
    );
  if (changes.surname !== undefined)
    ops.push(
      changes.surname
        ? { op: 'replace', path: 'name.familyName', value: changes.surname }
        : { op: 'remove', path: 'name.familyName' },
    );
  if (changes.email) replace('emails', [{ value: changes.email, type: 'work', primary: true }]);
  return ops;
}

/** One PATCH message. */
export const patchOp = (operations: readonly Record<string, unknown>[]) => ({ schemas: [PATCH_SCHEMA], Operations: operations });
