import { z } from 'zod';
import type { RawGroup, RawMember, RawUser } from '../sync/source-merge';
import { GraphAnswerError } from './graph-pager';

/**
 * Every Graph item is checked here, at the edge, before the sync's model sees it: a wrong shape never becomes an
 * `internal-error` deep in the planner, and what is stored is bounded and round-trips through SQLite unchanged.
 *
 * - Refused (the read fails, naming collection, page, position and id): an item that is not an object, an id that
 *   is not a non-empty string of at most 128 printable characters (Entra ids are 36-character GUIDs), a property of
 *   the wrong type, a text longer than 1,024 characters. A refused item fails the whole read rather than being
 *   skipped: a user missing from a full read would be planned as a leaver.
 * - 1,024 characters: no property we read is longer in Entra (displayName 256, UPN 113, mail 254, group description
 *   1,024 — the longest), so anything longer did not come from Entra, and a 50 MB name is not stored.
 * - Control characters (C0, DEL, C1; a description keeps tab and line breaks) are removed and reported: SQLite
 *   returns a text cut at a NUL, so a kept NUL would plan `update-user` on every run and never converge.
 */

export const maxIdLength = 128;
export const maxTextLength = 1_024;

// Matching control characters is the point here.
/* eslint-disable no-control-regex */
const controls = /[\u0000-\u001f\u007f-\u009f]/;
const controlsAll = /[\u0000-\u001f\u007f-\u009f]/g;
const controlsButLines = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

const id = z
  .string()
  .min(1)
  .max(maxIdLength)
  .refine((s) => !controls.test(s), 'contains control characters');
const text = z.string().max(maxTextLength).nullable().optional();
const removed = z.unknown().optional();

const userSchema = z.object({
  id,
  '@removed': removed,
  userPrincipalName: text,
  displayName: text,
  givenName: text,
  surname: text,
  mail: text,
  mailNickname: text,
  onPremisesSamAccountName: text,
  userType: text,
  accountEnabled: z.boolean().nullable().optional(),
});

const memberSchema = z.object({ id, '@odata.type': z.string().max(maxIdLength).optional(), '@removed': removed });

// Member links are the bulk of a read (millions in a big tenant): zod would copy every one of them, so the list is
// taken as is and each entry checked by memberProblem, which allocates nothing for a good entry.
const groupSchema = z.object({
  id,
  '@removed': removed,
  displayName: text,
  description: text,
  'members@delta': z.array(z.unknown()).optional(),
});

/** Why a member entry cannot be used (as `field is …`), or undefined when it can. */
function memberProblem(member: unknown, path: string): string | undefined {
  if (member === null || typeof member !== 'object' || Array.isArray(member))
    return `${path} is ${describeValue(member)}, not an object`;
  const { id: memberId, '@odata.type': type } = member as { id?: unknown; '@odata.type'?: unknown };
  if (typeof memberId !== 'string') return `${path}.id is ${describeValue(memberId)}`;
  if (memberId.length === 0) return `${path}.id is empty`;
  if (memberId.length > maxIdLength || controls.test(memberId)) return `${path}.id is not an object id`;
  if (type !== undefined && (typeof type !== 'string' || type.length > maxIdLength))
    return `${path}.@odata.type is not a type name`;
  return undefined;
}

const userTextFields = [
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'onPremisesSamAccountName',
  'userType',
] as const;

/** What a read noticed in Graph's items and repaired or resolved; said in the run's notes, never silently. */
export class ItemReport {
  private readonly cleaned = new Map<string, string[]>();
  private readonly cleanedCount = new Map<string, number>();
  private readonly duplicates: string[] = [];
  private duplicateCount = 0;

  /** `kind`'s item `itemId` had control characters removed from `field`. */
  controlCharacters(kind: 'user' | 'group', itemId: string, field: string): void {
    const key = `${kind} ${field}`;
    this.cleanedCount.set(key, (this.cleanedCount.get(key) ?? 0) + 1);
    const ids = this.cleaned.get(key) ?? [];
    if (ids.length < 5) ids.push(itemId);
    this.cleaned.set(key, ids);
  }

  /** A full listing sent `itemId` twice; the later copy was used. */
  duplicate(itemId: string): void {
    this.duplicateCount++;
    if (this.duplicates.length < 5) this.duplicates.push(itemId);
  }

  /** One sentence per kind of finding, with up to five ids each. */
  notes(): string[] {
    const notes: string[] = [];
    for (const [key, ids] of this.cleaned) {
      const [kind, field] = key.split(' ');
      const count = this.cleanedCount.get(key) ?? ids.length;
      notes.push(`Control characters were removed from the ${field} of ${plural(count, kind!)} (${list(ids, count)}).`);
    }
    if (this.duplicateCount > 0) {
      notes.push(
        `Microsoft Graph listed ${plural(this.duplicateCount, 'user')} twice (${list(this.duplicates, this.duplicateCount)}); the later copy was used.`,
      );
    }
    return notes;
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function list(ids: readonly string[], total: number): string {
  return total > ids.length ? `${ids.join(', ')} and ${total - ids.length} more` : ids.join(', ');
}

/** Where an item came from, for the message that refuses it. */
export interface ItemPlace {
  readonly collection: string;
  readonly page: number;
}

/** Checks a page of users; throws {@link GraphAnswerError} naming the first item that cannot be used. */
export function checkUsers(items: readonly unknown[], place: ItemPlace, report: ItemReport): RawUser[] {
  const out: RawUser[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const parsed = userSchema.safeParse(items[i]);
    if (!parsed.success) throw refusal('user', items[i], i, place, parsed.error);
    const user: Record<string, unknown> = parsed.data;
    for (const field of userTextFields) {
      const value = user[field];
      if (typeof value === 'string' && controls.test(value)) {
        user[field] = value.replace(controlsAll, '');
        report.controlCharacters('user', parsed.data.id, field);
      }
    }
    out[i] = user as RawUser;
  }
  return out;
}

/** Checks a page of groups (with their `members@delta`); throws {@link GraphAnswerError} like {@link checkUsers}. */
export function checkGroups(items: readonly unknown[], place: ItemPlace, report: ItemReport): RawGroup[] {
  const out: RawGroup[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const parsed = groupSchema.safeParse(items[i]);
    if (!parsed.success) throw refusal('group', items[i], i, place, parsed.error);
    const group = parsed.data;
    const members = group['members@delta'];
    if (members) {
      for (let m = 0; m < members.length; m++) {
        const why = memberProblem(members[m], `members@delta.${m}`);
        if (why) throw refusal('group', items[i], i, place, why);
      }
    }
    if (typeof group.displayName === 'string' && controls.test(group.displayName)) {
      group.displayName = group.displayName.replace(controlsAll, '');
      report.controlCharacters('group', group.id, 'displayName');
    }
    if (typeof group.description === 'string' && controlsButLines.test(group.description)) {
      group.description = group.description.replace(controlsButLines, '');
      report.controlCharacters('group', group.id, 'description');
    }
    out[i] = group as RawGroup;
  }
  return out;
}

/** Checks a page of `/members`. */
export function checkMembers(items: readonly unknown[], place: ItemPlace): RawMember[] {
  const out: RawMember[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const parsed = memberSchema.safeParse(items[i]);
    if (!parsed.success) throw refusal('member', items[i], i, place, parsed.error);
    out[i] = parsed.data as RawMember;
  }
  return out;
}

function refusal(kind: string, item: unknown, index: number, place: ItemPlace, error: z.ZodError | string): GraphAnswerError {
  const itemId = (item as { id?: unknown } | null)?.id;
  const named =
    typeof itemId === 'string' && itemId.length > 0 && itemId.length <= maxIdLength && !controls.test(itemId)
      ? `, id ${itemId}`
      : '';
  const where = `${place.collection}, page ${place.page}, item ${index + 1}${named}`;
  return new GraphAnswerError(
    `Microsoft Graph sent a ${kind} the sync cannot use (${where}): ${typeof error === 'string' ? error : problem(item, error.issues[0])}.`,
  );
}

function problem(item: unknown, issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'it does not have the expected shape';
  const path = issue.path.map(String);
  const field = path.length === 0 ? 'the item' : path.join('.');
  const value = path.reduce<unknown>((v, key) => (v as Record<string, unknown> | null | undefined)?.[key], item);
  switch (issue.code) {
    case 'invalid_type':
      return `${field} is ${describeValue(value)}${path.length === 0 ? ', not an object' : ''}`;
    case 'too_big':
      return typeof value === 'string'
        ? `${field} is ${value.length.toLocaleString('en-US')} characters long (at most ${Number(issue.maximum).toLocaleString('en-US')})`
        : `${field} is too long`;
    case 'too_small':
      return `${field} is empty`;
    default:
      return `${field} ${issue.message}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
