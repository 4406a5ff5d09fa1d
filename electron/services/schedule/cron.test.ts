import { describe, expect, it } from 'vitest';
import { parseCron } from './cron';

const now = new Date('2026-03-02T09:00:00Z');

function messageOf(pattern: string): string {
  const parsed = parseCron(pattern, 'Europe/Berlin', now);
  if (parsed.ok) throw new Error(`${pattern} was accepted`);
  expect(parsed.code).toBe('invalid-cron');
  return parsed.message;
}

describe('cron errors in the app’s words', () => {
  it('names the part that is wrong and what it accepts', () => {
    expect(messageOf('61 * * * *')).toBe(
      'The minute part “61” is not valid: use a number from 0 to 59, a list (1,15), a range (1-5), a step (*/15) or * for every minute. For example “0 2 * * *” runs every day at 02:00.',
    );
    expect(messageOf('0 25 * * *')).toMatch(/^The hour part “25” is not valid: use a number from 0 to 23,/);
    expect(messageOf('0 2 * 13 *')).toMatch(/^The month part “13” is not valid: use a number from 1 to 12 or JAN to DEC,/);
    expect(messageOf('0 2 * * 8')).toMatch(
      /^The day of week part “8” is not valid: use a number from 0 to 7 \(0 and 7 are Sunday\)/,
    );
    expect(messageOf('0 2 0 * *')).toMatch(/^The day of month part “0” is not valid/);
    expect(messageOf('*/0 * * * *')).toMatch(/^The minute part “\*\/0” is not valid/);
    expect(messageOf('70 0 2 * * *')).toMatch(/^The second part “70” is not valid/);
  });

  it('counts the parts when there are too few or too many', () => {
    expect(messageOf('* * *')).toBe(
      'A cron expression has 5 parts separated by spaces: minute, hour, day of month, month and day of week (this one has 3). For example “0 2 * * *” runs every day at 02:00.',
    );
    expect(messageOf('* * * * * * *')).toContain('(this one has 7)');
    expect(messageOf('   ')).toContain('(this one is empty)');
  });

  it('never passes on croner’s own text', () => {
    for (const pattern of ['61 * * * *', '* * *', 'a b c d e', '5-1 * * * *', '1-', '* * * * * * *', '0 2 * 13 *']) {
      const message = messageOf(pattern);
      expect(message).not.toMatch(/CronPattern|configuration|illegal|Invalid value|parts are required|\('|\.\./);
    }
  });
});
