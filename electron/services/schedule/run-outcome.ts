/**
 * How the scheduler judges a finished attempt (pure): what the error is in words, whether the expired secret
 * caused it, whether another attempt can help, and what to tell the admin.
 */
import type { Notification } from '../ports';
import type { ScheduledAttempt } from './sync-port';

/** Failures another attempt a few minutes later can fix; anything else (consent, secret, brake) needs the admin. */
const retryableCodes = new Set([
  'throttled',
  'service-unavailable',
  'graph-error',
  'graph-read-failed',
  // Graph answered with something unusable (a truncated or garbled page, a paging loop): nothing was changed, and a
  // proxy or gateway hiccup behind it is often gone minutes later; a lasting one fails after the bounded attempts.
  'graph-answer-invalid',
  'target-read-failed',
  'target-failed',
  // A remote target that could not be reached or kept failing (5xx, too many requests) may be back minutes later.
  'target-unavailable',
  'partial',
  'interrupted',
  'internal-error',
  'locked-by-other-host',
]);

/** What is known of the secret's expiry when the attempt ended. */
export interface ExpiryFacts {
  readonly expired: boolean;
  readonly expiresAt: string | null;
}

export interface FailureVerdict {
  readonly error: { readonly code: string; readonly message: string };
  /** The client secret expired: said exactly so, never retried. */
  readonly secretExpired: boolean;
  readonly retry: boolean;
  /** Whether the final failure deserves a notification (a cancel was the admin's own doing; the brake has its own). */
  readonly notify: boolean;
}

/** `HH:MM` of `date` in `timeZone`. */
export function hhmm(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** Judges a failed (not succeeded) attempt number `attempt` of `maxAttempts`. */
export function judgeFailure(
  result: ScheduledAttempt,
  facts: ExpiryFacts | undefined,
  now: Date,
  attempt: number,
  maxAttempts: number,
): FailureVerdict {
  const byCode = result.error?.code === 'secret-expired' || /AADSTS7000222/.test(result.error?.message ?? '');
  const byDate =
    facts !== undefined && (facts.expired || (facts.expiresAt !== null && Date.parse(facts.expiresAt) <= now.getTime()));
  const secretExpired = result.status === 'failed' && (byCode || byDate);
  if (secretExpired) {
    const day = facts?.expiresAt ? ` on ${facts.expiresAt.slice(0, 10)}` : '';
    return {
      error: {
        code: 'secret-expired',
        message: `The scheduled sync failed because the client secret expired${day}. Create a new secret in Certificates & secrets and replace it in the app (Rotate secret); syncs work again right after.`,
      },
      secretExpired: true,
      retry: false,
      notify: true,
    };
  }
  const error = result.error ?? { code: result.status, message: `The scheduled sync ended as ${result.status}.` };
  const transient = retryableCodes.has(error.code) || error.code.startsWith('network-');
  return {
    error,
    secretExpired: false,
    retry: transient && attempt < maxAttempts,
    notify: result.status !== 'cancelled' && result.status !== 'blocked',
  };
}

/** The notification for a scheduled sync that failed for good. */
export function failureNotification(slotAt: string, verdict: FailureVerdict, attempts: number): Notification {
  return {
    id: `schedule-failed-${slotAt}`,
    title: verdict.secretExpired ? 'Scheduled sync failed: the client secret expired' : 'Scheduled sync failed',
    body: attempts > 1 ? `${verdict.error.message} (${attempts} attempts.)` : verdict.error.message,
    severity: 'error',
    action: verdict.secretExpired ? 'rotation' : 'history',
  };
}

/** The notification for a scheduled sync that works again after failing. */
export function recoveredNotification(slotAt: string): Notification {
  return {
    id: `schedule-recovered-${slotAt}`,
    title: 'Scheduled sync works again',
    body: 'The scheduled sync succeeded after failing before.',
    severity: 'success',
    action: 'history',
  };
}
