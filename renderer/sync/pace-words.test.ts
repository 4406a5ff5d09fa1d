import { describe, expect, it } from 'vitest';
import { paceWords } from './pace-words';

describe('paceWords', () => {
  it('names the product whose rate limit holds the sync back', () => {
    expect(paceWords({ requestsPerSecond: 42, limitedBy: 'Jira' })).toBe('42 requests/s, limited by Jira');
  });
  it('says only the rate when nothing held it back, in the singular for one', () => {
    expect(paceWords({ requestsPerSecond: 42, limitedBy: null })).toBe('42 requests/s');
    expect(paceWords({ requestsPerSecond: 1, limitedBy: null })).toBe('1 request/s');
    expect(paceWords({ requestsPerSecond: 1200, limitedBy: 'Jira' })).toBe('1,200 requests/s, limited by Jira');
  });
});
