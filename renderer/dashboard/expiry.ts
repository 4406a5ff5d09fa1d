/** The secret-expiry countdown's rules, apart from the card so they can be tested without a DOM. */

export type Tone = 'ok' | 'amber' | 'red' | 'unknown';

/** Amber from 30 days left, red from 7 days and once expired. */
export function expiryTone(msLeft: number | null): Tone {
  if (msLeft === null) return 'unknown';
  const days = msLeft / 86_400_000;
  if (days <= 7) return 'red';
  if (days <= 30) return 'amber';
  return 'ok';
}

/** "45 days left", "6 days 4 h left", "3 h left", "less than 1 h left", "Expired 2 days ago". */
export function countdownText(msLeft: number): string {
  const abs = Math.abs(msLeft);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span =
    days >= 8
      ? // Rounded, as the reminder banner counts days, so the two never disagree on one screen.
        `${Math.round(abs / 86_400_000)} days`
      : days >= 1
        ? `${days} day${days > 1 ? 's' : ''}${hours ? ` ${hours} h` : ''}`
        : hours >= 1
          ? `${hours} h`
          : 'less than 1 h';
  return msLeft <= 0 ? `Expired ${span} ago` : `${span} left`;
}
