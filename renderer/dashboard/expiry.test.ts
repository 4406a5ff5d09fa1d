import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { describe, expect, it } from 'vitest';
import { countdownText, expiryTone, toneColorToken, toneLabel } from './expiry';

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('secret expiry on the dashboard', () => {
  it('takes its colour from the services’ level: amber from 30 days, red from 7 and once expired', () => {
    expect(expiryTone('ok')).toBe('ok');
    expect(expiryTone('soon')).toBe('amber');
    expect(expiryTone('urgent')).toBe('red');
    expect(expiryTone('expired')).toBe('red');
    expect(expiryTone('unknown')).toBe('unknown');
    expect(toneLabel({ level: 'urgent' })).toBe('Expires very soon');
    expect(toneLabel({ level: 'expired' })).toBe('Expired');
  });

  it('says the days left the services counted, without rounding of its own', () => {
    expect(countdownText({ level: 'ok', daysLeft: 365 })).toBe('365 days left');
    expect(countdownText({ level: 'soon', daysLeft: 30 })).toBe('30 days left');
    expect(countdownText({ level: 'urgent', daysLeft: 1 })).toBe('1 day left');
    expect(countdownText({ level: 'urgent', daysLeft: 0 })).toBe('Expires today');
    expect(countdownText({ level: 'expired', daysLeft: 0 })).toBe('Expired today');
    expect(countdownText({ level: 'expired', daysLeft: -1 })).toBe('Expired 1 day ago');
    expect(countdownText({ level: 'expired', daysLeft: -12 })).toBe('Expired 12 days ago');
    expect(countdownText({ level: 'expired', daysLeft: null })).toBe('Expired');
    expect(countdownText({ level: 'unknown', daysLeft: null })).toBeNull();
  });

  for (const [name, theme] of [
    ['light', webLightTheme],
    ['dark', webDarkTheme],
  ] as const satisfies readonly (readonly [string, Theme])[]) {
    it(`every tone's text passes WCAG AA (4.5:1) on the card in the ${name} theme`, () => {
      const background = theme.colorNeutralBackground1;
      for (const [tone, token] of Object.entries(toneColorToken)) {
        expect(contrast(theme[token], background), `${tone} (${token}) on ${background}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
