import { describe, expect, it } from 'vitest';
import { systemClock } from '../../services/ports';
import { UsageError } from '../command';
import { previewClock } from './preview';

describe('the preview host’s clock', () => {
  it('is the system clock unless ENTRA_SYNC_TEST_NOW says where to start', () => {
    expect(previewClock({})).toBe(systemClock);
  });

  it('starts at ENTRA_SYNC_TEST_NOW and runs on from there', () => {
    const clock = previewClock({ ENTRA_SYNC_TEST_NOW: '2000-06-15T09:30:00+12:00' });
    const first = clock.now();
    expect(first.toISOString().slice(0, 13)).toBe('2000-06-14T21');
    expect(first.getTime()).toBeGreaterThanOrEqual(Date.parse('2000-06-14T21:30:00Z'));
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(first.getTime());
  });

  it('refuses a value that is not a date, naming the variable', () => {
    expect(() => previewClock({ ENTRA_SYNC_TEST_NOW: 'tomorrow' })).toThrow(UsageError);
    expect(() => previewClock({ ENTRA_SYNC_TEST_NOW: 'tomorrow' })).toThrow(/ENTRA_SYNC_TEST_NOW/);
  });
});
