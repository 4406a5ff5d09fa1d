/**
 * Which of the app's password credentials is the secret in use, and when it expires.
 *
 * Graph never returns secret values, only `hint` = the first 3 characters (graph-facts §4): the secret in use is
 * matched by hint; several credentials can share one, and then all are shown. Pure: the caller passes `now`.
 */
import {
  expiryWarningDays,
  maskSecret,
  type SecretCandidate,
  type SecretExpiry,
  type ValidationCode,
} from '../../../shared/validation';
import { daysLeftUntil, hasExpired, localDate, systemTimeZone } from '../schedule/calendar';

/** A `passwordCredential` as Graph returns it (values may be null in Graph's JSON). */
export interface PasswordCredential {
  readonly keyId?: string | null;
  readonly displayName?: string | null;
  readonly hint?: string | null;
  readonly startDateTime?: string | null;
  readonly endDateTime?: string | null;
}

/** The expiry part of the report plus the verdict for the expiry check. */
export interface ExpiryVerdict {
  readonly expiry: SecretExpiry;
  readonly status: 'pass' | 'warning' | 'fail';
  readonly code: ValidationCode;
  readonly message: string;
  readonly fix: string;
}

/** Calendar days from `now` to `end` in `timeZone` (the app's one rule, see {@link daysLeftUntil}); negative after. */
export function daysLeft(end: Date, now: Date, timeZone?: string): number {
  return daysLeftUntil(end, now, timeZone);
}

/** "1 day left", "12 days left". */
export function daysLeftText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'} left`;
}

/** The date of an ISO instant in `timeZone`, as `2026-05-01`: the day the days-left count ends on. */
export function formatDay(iso: string, timeZone: string = systemTimeZone()): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : localDate(at, timeZone);
}

/**
 * Matches the secret in use against the app's credentials by hint and reports its expiry.
 * `tokenWorked` says the secret was just accepted, so credentials already expired or not yet valid are not it.
 */
export function matchSecretExpiry(
  credentials: readonly PasswordCredential[],
  secret: string,
  now: Date,
  tokenWorked = true,
  timeZone?: string,
): ExpiryVerdict {
  const hint = secret.slice(0, 3);
  const sameHint = credentials.filter((c) => c.hint === hint).map((c) => toCandidate(c, now, timeZone));
  const live = sameHint.filter((c) => isLive(c, now));
  const candidates = tokenWorked && live.length > 0 ? live : sameHint;
  if (candidates.length === 0) {
    return {
      expiry: { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] },
      status: 'warning',
      code: 'secret-not-listed',
      message: `None of the app’s ${credentials.length} client secret(s) starts like the one in use (${maskSecret(secret)}).`,
      fix: 'Check that the secret belongs to this app; otherwise enter its expiry date from Certificates & secrets.',
    };
  }
  const ends = new Set(candidates.map((c) => c.endDateTime));
  // Conservative: with several candidates, remind about the earliest expiry.
  const first = [...candidates].sort((a, b) => (a.endDateTime ?? '').localeCompare(b.endDateTime ?? ''))[0];
  const expiresAt = first?.endDateTime ?? null;
  const left = first?.daysLeft ?? null;
  const expiry: SecretExpiry = { expiresAt, daysLeft: left, source: 'graph', candidates };
  if (expiresAt === null || left === null) {
    return {
      expiry: { ...expiry, source: 'unknown' },
      status: 'warning',
      code: 'secret-expiry-unknown',
      message: 'The matching client secret has no end date in Graph.',
      fix: 'Enter its expiry date from Certificates & secrets.',
    };
  }
  if (hasExpired(new Date(expiresAt), now)) {
    return {
      expiry,
      status: 'fail',
      code: 'secret-expired',
      message: `The client secret expired on ${formatDay(expiresAt, timeZone)}.`,
      fix: 'Create a new client secret in Certificates & secrets and paste its Value here.',
    };
  }
  if (ends.size > 1) {
    const list = candidates.map((c) => `${c.displayName ?? c.keyId} (${formatDay(c.endDateTime ?? '', timeZone)})`).join(', ');
    return {
      expiry,
      status: 'warning',
      code: 'secret-expiry-ambiguous',
      message: `${candidates.length} client secrets start with the same characters: ${list}. Assuming the earliest, ${formatDay(expiresAt, timeZone)} (${daysLeftText(left)}).`,
      fix: 'Delete secrets no longer in use in Certificates & secrets, so the one in use can be told apart.',
    };
  }
  if (left <= expiryWarningDays) {
    return {
      expiry,
      status: 'warning',
      code: 'secret-expiring-soon',
      message: `The client secret expires on ${formatDay(expiresAt, timeZone)}: ${daysLeftText(left)}.`,
      fix: 'Create a new client secret in Certificates & secrets now and paste its Value here before the old one expires.',
    };
  }
  return {
    expiry,
    status: 'pass',
    code: 'ok',
    message: `The client secret expires on ${formatDay(expiresAt, timeZone)} (${daysLeftText(left)}).`,
    fix: '',
  };
}

/** The report's expiry when Graph cannot tell: the admin's date if given, else unknown. */
export function manualOrUnknownExpiry(manualExpiresAt: string | undefined, now: Date, timeZone?: string): SecretExpiry {
  if (!manualExpiresAt) return { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] };
  const end = new Date(manualExpiresAt);
  if (Number.isNaN(end.getTime())) return { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] };
  return { expiresAt: end.toISOString(), daysLeft: daysLeft(end, now, timeZone), source: 'manual', candidates: [] };
}

function toCandidate(c: PasswordCredential, now: Date, timeZone: string | undefined): SecretCandidate {
  const end = c.endDateTime ? new Date(c.endDateTime) : null;
  return {
    keyId: c.keyId ?? '',
    displayName: c.displayName ?? null,
    hint: `${c.hint ?? ''}••••••`,
    startDateTime: c.startDateTime ?? null,
    endDateTime: end ? end.toISOString() : null,
    daysLeft: end ? daysLeft(end, now, timeZone) : null,
  };
}

function isLive(c: SecretCandidate, now: Date): boolean {
  const started = c.startDateTime === null || new Date(c.startDateTime).getTime() <= now.getTime();
  const notEnded = c.endDateTime === null || new Date(c.endDateTime).getTime() > now.getTime();
  return started && notEnded;
}
