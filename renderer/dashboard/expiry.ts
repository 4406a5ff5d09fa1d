/**
 * How the dashboard shows the secret's expiry, apart from the card so it can be tested without a DOM.
 *
 * The level and the days left come from the services' reminder status (one rule: calendar days in the admin's
 * zone); nothing here looks at the clock, so the card, the banner and the tray can never disagree.
 */
import type { Theme } from '@fluentui/react-components';
import type { ReminderLevel, ReminderStatus } from '../../shared/contract/schedule';

export type Tone = 'ok' | 'amber' | 'red' | 'unknown';

/** The card's colour for a reminder level: amber from 30 days, red from 7 days and once expired. */
export function expiryTone(level: ReminderLevel): Tone {
  switch (level) {
    case 'ok':
      return 'ok';
    case 'soon':
      return 'amber';
    case 'urgent':
    case 'expired':
      return 'red';
    case 'unknown':
      return 'unknown';
  }
}

/**
 * The text colour per tone, as Fluent token names. Each passes WCAG AA for text (4.5:1) on the card in the light
 * and the dark theme (checked in expiry.test.ts); Marigold, the obvious amber, is 2.6:1 on white.
 */
export const toneColorToken = {
  ok: 'colorPaletteGreenForeground1',
  amber: 'colorStatusWarningForeground3',
  red: 'colorPaletteRedForeground1',
  unknown: 'colorNeutralForeground3',
} as const satisfies Record<Tone, keyof Theme>;

/** The badge beside the countdown. */
export function toneLabel(status: Pick<ReminderStatus, 'level'>): string {
  switch (status.level) {
    case 'ok':
      return 'OK';
    case 'soon':
      return 'Expires soon';
    case 'urgent':
      return 'Expires very soon';
    case 'expired':
      return 'Expired';
    case 'unknown':
      return 'Unknown';
  }
}

/** "45 days left", "1 day left", "Expires today", "Expired today", "Expired 2 days ago"; null without a date. */
export function countdownText(status: Pick<ReminderStatus, 'level' | 'daysLeft'>): string | null {
  const days = status.daysLeft;
  if (days === null) return status.level === 'expired' ? 'Expired' : null;
  if (status.level === 'expired') {
    const ago = Math.max(0, -days);
    return ago === 0 ? 'Expired today' : `Expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  if (days <= 0) return 'Expires today';
  return `${days} day${days === 1 ? '' : 's'} left`;
}
