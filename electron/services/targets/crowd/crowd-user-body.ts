/**
 * Crowd's whole-user PUT (atlassian-facts.md, Crowd: fields left out are blanked), as data: the body built from every
 * field read, the changes laid over it, and the password a new account gets (nobody needs it: people sign in through
 * SSO; never logged or shown).
 */
import { randomBytes } from 'node:crypto';
import type { UserFields } from '../../../../shared/sync';
import type { CrowdUserJson } from './crowd-reads';

/** The fields of a PUT /user: all of them, always. */
export interface CrowdUserBody {
  name: string;
  'first-name': string;
  'last-name': string;
  'display-name': string;
  email: string;
  active: boolean;
}

/** The whole user as read, for a PUT that blanks nothing. */
export function fullBody(u: CrowdUserJson): CrowdUserBody {
  return {
    name: u.name,
    'first-name': u['first-name'] ?? '',
    'last-name': u['last-name'] ?? '',
    'display-name': u['display-name'] ?? '',
    email: u.email ?? '',
    active: u.active ?? true,
  };
}

/** `wanted` laid over the user as read: undefined keeps a field, null or '' empties it. */
export function withChanges(current: CrowdUserBody, changes: Partial<UserFields>, active?: boolean): CrowdUserBody {
  const next = { ...current };
  if (changes.givenName !== undefined) next['first-name'] = changes.givenName ?? '';
  if (changes.surname !== undefined) next['last-name'] = changes.surname ?? '';
  if (changes.displayName !== undefined) next['display-name'] = changes.displayName ?? '';
  if (changes.email !== undefined) next.email = changes.email ?? '';
  if (active !== undefined) next.active = active;
  return next;
}

export const sameBody = (a: CrowdUserBody, b: CrowdUserBody) =>
  (Object.keys(a) as (keyof CrowdUserBody)[]).every((k) => a[k] === b[k]);

/** A password for a new account, which nobody needs: people sign in through SSO. Never logged or shown. */
export const unusedPassword = () => `${randomBytes(24).toString('base64url')}-Aa1!`;
