import { describe, expect, it } from 'vitest';
import { manualOrUnknownExpiry, matchSecretExpiry, type PasswordCredential } from './secret-expiry';

const now = new Date('2026-01-01T00:00:00Z');
const secret = 'abc8Q~' + 'z'.repeat(34);
const cred = (over: Partial<PasswordCredential>): PasswordCredential => ({
  keyId: 'k1',
  displayName: 'sync',
  hint: 'abc',
  startDateTime: '2025-01-01T00:00:00Z',
  endDateTime: '2026-12-31T00:00:00Z',
  ...over,
});

describe('matchSecretExpiry', () => {
  it('matches the secret by its 3-character hint and counts days left', () => {
    const v = matchSecretExpiry([cred({}), cred({ keyId: 'k2', hint: 'xyz' })], secret, now, true, 'UTC');
    expect(v).toMatchObject({ status: 'pass', code: 'ok' });
    expect(v.expiry).toMatchObject({ expiresAt: '2026-12-31T00:00:00.000Z', daysLeft: 364, source: 'graph' });
    expect(v.expiry.candidates).toHaveLength(1);
    expect(JSON.stringify(v)).not.toContain(secret);
  });

  it('warns within 30 days', () => {
    const v = matchSecretExpiry([cred({ endDateTime: '2026-01-20T00:00:00Z' })], secret, now, true, 'UTC');
    expect(v).toMatchObject({ status: 'warning', code: 'secret-expiring-soon' });
    expect(v.expiry.daysLeft).toBe(19);
  });

  it('lists every candidate sharing the hint and assumes the earliest', () => {
    const v = matchSecretExpiry(
      [cred({ keyId: 'a', endDateTime: '2026-06-01T00:00:00Z' }), cred({ keyId: 'b', endDateTime: '2027-06-01T00:00:00Z' })],
      secret,
      now,
    );
    expect(v).toMatchObject({ status: 'warning', code: 'secret-expiry-ambiguous' });
    expect(v.expiry.candidates.map((c) => c.keyId)).toEqual(['a', 'b']);
    expect(v.expiry.expiresAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('ignores an expired credential with the same hint when the secret just worked', () => {
    const v = matchSecretExpiry(
      [cred({ keyId: 'old', endDateTime: '2025-06-01T00:00:00Z' }), cred({ keyId: 'new' })],
      secret,
      now,
    );
    expect(v.code).toBe('ok');
    expect(v.expiry.candidates.map((c) => c.keyId)).toEqual(['new']);
  });

  it('counts calendar days in the admin’s zone and dates the expiry there', () => {
    // 23:00 on 31 December in Berlin: the secret ends at 01:00 on 2 January there, two dates on.
    const late = new Date('2025-12-31T22:00:00Z');
    const v = matchSecretExpiry([cred({ endDateTime: '2026-01-02T00:00:00Z' })], secret, late, true, 'Europe/Berlin');
    expect(v.expiry.daysLeft).toBe(2);
    expect(v.message).toBe('The client secret expires on 2026-01-02: 2 days left.');
    expect(matchSecretExpiry([cred({ endDateTime: '2026-01-02T00:00:00Z' })], secret, late, true, 'UTC').expiry.daysLeft).toBe(2);
    expect(
      matchSecretExpiry([cred({ endDateTime: '2026-01-02T00:00:00Z' })], secret, late, true, 'America/New_York').message,
    ).toBe('The client secret expires on 2026-01-01: 1 day left.');
  });

  it('fails on the day of expiry once the instant has passed, although 0 calendar days are left', () => {
    const v = matchSecretExpiry(
      [cred({ endDateTime: '2026-01-01T09:00:00Z' })],
      secret,
      new Date('2026-01-01T10:00:00Z'),
      false,
      'UTC',
    );
    expect(v).toMatchObject({ status: 'fail', code: 'secret-expired' });
    expect(v.expiry.daysLeft).toBe(0);
  });

  it('says when no credential has the hint', () => {
    expect(matchSecretExpiry([cred({ hint: 'qqq' })], secret, now)).toMatchObject({
      status: 'warning',
      code: 'secret-not-listed',
    });
  });
});

describe('manualOrUnknownExpiry', () => {
  it('uses the admin’s date, or unknown', () => {
    expect(manualOrUnknownExpiry('2026-03-02', now, 'UTC')).toMatchObject({ source: 'manual', daysLeft: 60 });
    expect(manualOrUnknownExpiry(undefined, now)).toMatchObject({ source: 'unknown', expiresAt: null });
    expect(manualOrUnknownExpiry('not a date', now).source).toBe('unknown');
  });
});
