import { describe, expect, it } from 'vitest';
import { countdownText, expiryTone } from './expiry';

const day = 86_400_000;

describe('secret expiry countdown', () => {
  it('is green above 30 days, amber from 30, red from 7 days and once expired', () => {
    expect(expiryTone(null)).toBe('unknown');
    expect(expiryTone(31 * day)).toBe('ok');
    expect(expiryTone(30 * day)).toBe('amber');
    expect(expiryTone(8 * day)).toBe('amber');
    expect(expiryTone(7 * day)).toBe('red');
    expect(expiryTone(1000)).toBe('red');
    expect(expiryTone(-3 * day)).toBe('red');
  });

  it('says how long is left, in days and hours near the end, and how long ago it expired', () => {
    expect(countdownText(45 * day + 5 * 3_600_000)).toBe('45 days left');
    expect(countdownText(19 * day + 23 * 3_600_000)).toBe('20 days left');
    expect(countdownText(6 * day + 4 * 3_600_000)).toBe('6 days 4 h left');
    expect(countdownText(1 * day)).toBe('1 day left');
    expect(countdownText(3 * 3_600_000 + 10)).toBe('3 h left');
    expect(countdownText(60_000)).toBe('less than 1 h left');
    expect(countdownText(-2 * day)).toBe('Expired 2 days ago');
  });
});
