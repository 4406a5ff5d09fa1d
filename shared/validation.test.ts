import { describe, expect, it } from 'vitest';
import { checkIds, checkTitles, maskSecret, redactedDiagnostics, scrubSecrets, type ValidationReport } from './validation';

const secret = 'abc8Q~' + 's'.repeat(34);

describe('maskSecret', () => {
  it('keeps only the 3-character hint, and nothing of a short value', () => {
    expect(maskSecret(secret)).toBe('abc••••••');
    expect(maskSecret('short')).toBe('••••••');
    expect(maskSecret('')).toBe('');
  });
});

describe('scrubSecrets', () => {
  it('removes the secret (raw and URL-encoded), bearer tokens and client_secret form fields', () => {
    const odd = 'abc~d e+f/gh==ijkl';
    const text = [
      `value ${secret}`,
      `encoded ${encodeURIComponent(odd)}`,
      'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJyb2xlcyI6W119.c2lnbmF0dXJlLXZhbHVl',
      'grant_type=client_credentials&client_secret=hunter2hunter2&scope=x',
    ].join('\n');
    const out = scrubSecrets(text, [secret, odd]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(odd));
    expect(out).not.toContain('eyJyb2xlcyI6W119');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('abc••••••');
  });
});

describe('redactedDiagnostics', () => {
  it('lists every check with its code, fix and link, and the expiry', () => {
    const report: ValidationReport = {
      ok: false,
      done: true,
      cloud: 'global',
      tenant: 'contoso.com',
      clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      secretHint: 'abc••••••',
      retest: true,
      startedAt: '2026-01-01T00:00:00.000Z',
      ms: 420,
      requests: 1,
      checks: checkIds.map((id) => ({
        id,
        title: checkTitles[id],
        status: id === 'secret' ? 'fail' : id === 'inputs' || id === 'tenant' || id === 'app' ? 'pass' : 'skipped',
        code: id === 'secret' ? 'secret-invalid' : 'ok',
        message: id === 'secret' ? `Entra rejected ${secret}` : 'fine',
        fix: id === 'secret' ? 'Paste the Value.' : '',
        link: id === 'secret' ? { label: 'Open Certificates & secrets', url: 'https://entra.microsoft.com/x' } : null,
        ms: 5,
        details: id === 'secret' ? ['AADSTS7000215'] : [],
      })),
      secret: { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] },
    };
    const text = redactedDiagnostics(report, [secret]);
    expect(text).toContain('[FAIL] Sign-in with the client secret (secret: secret-invalid, 5 ms)');
    expect(text).toContain('Fix: Paste the Value.');
    expect(text).toContain('Open Certificates & secrets: https://entra.microsoft.com/x');
    expect(text).toContain('- AADSTS7000215');
    expect(text).toContain('Secret expiry: unknown, source: unknown');
    expect(text).toContain('(re-test, fresh token)');
    expect(text).not.toContain(secret);
  });
});
