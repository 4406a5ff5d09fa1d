/**
 * What `settings.connection.secretExpiry` should say after a validation run (pure).
 *
 * The field belongs to the secret in use: a run that tested some other secret (a new one that failed) leaves it
 * alone; a run that could not read the date keeps a date known for the same secret; an AADSTS7000222 refusal
 * marks it expired.
 */
import type { StoredSecretExpiry } from '../../../shared/contract/connection';
import type { ValidationReport } from '../../../shared/validation';
import { daysLeft as daysBetween } from '../entra/secret-expiry';
import { hasExpired } from '../schedule/calendar';

const daysUntil = (end: string, now: Date) => daysBetween(new Date(end), now);

/** The record to store after `report`, for the secret whose masked hint is `hint`. */
export function expiryAfterValidation(
  report: ValidationReport,
  previous: StoredSecretExpiry | undefined,
  hint: string,
  now: Date,
): StoredSecretExpiry {
  const checkedAt = now.toISOString();
  const sameSecret = previous !== undefined && previous.secretHint === hint;
  if (report.secret.source !== 'unknown') return { ...report.secret, checkedAt, secretHint: hint, expired: false };
  const expired = report.checks.some((c) => c.id === 'secret' && c.code === 'secret-expired');
  if (expired) {
    const expiresAt = sameSecret ? previous.expiresAt : null;
    return {
      expiresAt,
      daysLeft: expiresAt === null ? 0 : Math.min(0, daysUntil(expiresAt, now)),
      source: sameSecret ? previous.source : 'unknown',
      candidates: sameSecret ? previous.candidates : [],
      checkedAt,
      secretHint: hint,
      expired: true,
    };
  }
  if (sameSecret && previous.source !== 'unknown') return previous;
  return { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [], checkedAt, secretHint: hint, expired: false };
}

/** A record from the date the admin typed (when Graph cannot tell). */
export function manualExpiryRecord(expiresAt: string | null, hint: string, now: Date): StoredSecretExpiry {
  const checkedAt = now.toISOString();
  if (expiresAt === null) {
    return { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [], checkedAt, secretHint: hint, expired: false };
  }
  const iso = new Date(expiresAt).toISOString();
  const daysLeft = daysUntil(iso, now);
  return {
    expiresAt: iso,
    daysLeft,
    source: 'manual',
    candidates: [],
    checkedAt,
    secretHint: hint,
    expired: hasExpired(new Date(iso), now),
  };
}
