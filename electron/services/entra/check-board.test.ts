import { describe, expect, it } from 'vitest';
import type { ValidationProgress } from '../../../shared/validation';
import { CheckBoard } from './check-board';

// Built at run time so no secret-shaped literal sits in the repository; `~` and `.` so the URL-encoded form differs.
const secret = ['Qw7', '8Q~', 'a.b~c_d-e', 'k'.repeat(25)].join('');
const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJhcHAifQ', 'c2lnbmF0dXJlLXBhcnQ'].join('.');

function board() {
  const progress: ValidationProgress[] = [];
  const meta = { cloud: 'global' as const, tenant: 't', clientId: 'c', retest: false, startedAt: new Date(0) };
  const b = new CheckBoard(
    meta,
    [secret],
    () => 0,
    (p) => progress.push(p),
  );
  return { b, progress };
}

describe('CheckBoard message scrubbing', () => {
  it('never lets the secret, its URL-encoded form, a token or a client_secret parameter out of a check', () => {
    const { b, progress } = board();
    b.start('secret');
    b.finish('secret', {
      status: 'fail',
      code: 'secret-invalid',
      message: `Entra refused the secret ${secret}.`,
      fix: `Do not paste ${encodeURIComponent(secret)} into chat.`,
      details: [`body: grant_type=client_credentials&client_secret=${encodeURIComponent(secret)}&scope=x`, `token ${jwt}`],
    });
    b.skip(['permission'], `the secret ${secret} failed`);
    const report = b.close();
    for (const text of [JSON.stringify(report), JSON.stringify(progress)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).not.toContain(jwt);
    }
    const check = b.get('secret');
    expect(check.message).toBe('Entra refused the secret Qw7••••••.');
    expect(check.fix).toBe('Do not paste Qw7•••••• into chat.');
    expect(check.details).toEqual([
      'body: grant_type=client_credentials&client_secret=[removed]&scope=x',
      'token [token removed]',
    ]);
    expect(b.get('permission').message).toBe('Skipped: the secret Qw7•••••• failed');
    expect(report.secretHint).toBe('Qw7••••••');
  });

  it('scrubs every progress snapshot, not only the final report', () => {
    const { b, progress } = board();
    b.start('app');
    b.finish('app', { status: 'pass', code: 'ok', message: `seen ${secret}` });
    expect(progress.length).toBeGreaterThan(1);
    for (const p of progress) {
      expect(p.check.message).not.toContain(secret);
      expect(JSON.stringify(p.report)).not.toContain(secret);
    }
  });
});
