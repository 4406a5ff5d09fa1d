import { describe, expect, it } from 'vitest';
import {
  checkIds,
  checkTitles,
  maskSecret,
  redactedDiagnostics,
  reportPassed,
  scrubSecrets,
  validationReportSchema,
  type CheckResult,
  type ValidationReport,
} from './validation';

const secret = 'abc8Q~' + 's'.repeat(34);

/** A finished, passed first test of contoso.com in the global cloud, no checks, no expiry known: each test adds its own. */
function report(overrides: Partial<ValidationReport> = {}): ValidationReport {
  return {
    ok: true,
    done: true,
    cloud: 'global',
    tenant: 'contoso.com',
    clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    secretHint: 'abc••••••',
    retest: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    ms: 420,
    requests: 1,
    checks: [],
    secret: { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] },
    ...overrides,
  };
}

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
    const failed = report({
      ok: false,
      retest: true,
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
    });
    const text = redactedDiagnostics(failed, [secret]);
    expect(text).toContain('[FAIL] Sign-in with the client secret (secret: secret-invalid, 5 ms)');
    expect(text).toContain('Fix: Paste the Value.');
    expect(text).toContain('Open Certificates & secrets: https://entra.microsoft.com/x');
    expect(text).toContain('- AADSTS7000215');
    expect(text).toContain('Secret expiry: unknown, source: unknown');
    expect(text).toContain('(re-test, fresh token)');
    expect(text).not.toContain(secret);
  });
});

describe('maskSecret: where a hint starts to be shown', () => {
  it('shows no hint of an 11-character value and the first 3 of a 12-character one', () => {
    expect(maskSecret('abcdefghijk')).toBe('••••••');
    expect(maskSecret('abcdefghijkl')).toBe('abc••••••');
  });
});

describe('reportPassed', () => {
  const check = (status: CheckResult['status']): CheckResult => ({
    id: 'tenant',
    title: 't',
    status,
    code: 'ok',
    message: '',
    fix: '',
    link: null,
    ms: 0,
    details: [],
  });
  it('passes with warnings and skipped checks, fails on any failed check', () => {
    expect(reportPassed([])).toBe(true);
    expect(reportPassed([check('pass'), check('warning'), check('skipped')])).toBe(true);
    expect(reportPassed([check('pass'), check('fail'), check('pass')])).toBe(false);
    expect(reportPassed([check('fail')])).toBe(false);
  });
});

describe('scrubSecrets: the whole token, and what is left in its place', () => {
  it('replaces the whole JWT, signature included, and keeps the form field name', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJyb2xlcyI6W119.c2lnbmF0dXJlLXZhbHVl';
    expect(scrubSecrets(`Bearer ${jwt} next`)).toBe('Bearer [token removed] next');
    expect(scrubSecrets('a=1&client_secret=hunter2hunter2&b=2')).toBe('a=1&client_secret=[removed]&b=2');
  });

  it('masks a secret of 4 characters or more, but not shorter values that would shred ordinary words', () => {
    expect(scrubSecrets('the code is wxyz', ['wxyz'])).toBe('the code is ••••••');
    expect(scrubSecrets('about a tab', ['ab'])).toBe('about a tab');
    expect(scrubSecrets('about a tab', ['abo'])).toBe('about a tab');
  });
});

describe('redactedDiagnostics: the whole text', () => {
  it('is the header, each check with only the lines it has, the expiry and its candidates', () => {
    const base = { ms: 7, link: null, details: [] as string[] };
    const whole = report({
      secretHint: '',
      requests: 3,
      checks: [
        { ...base, id: 'inputs', title: checkTitles.inputs, status: 'pass', code: 'ok', message: '', fix: '' },
        { ...base, id: 'tenant', title: checkTitles.tenant, status: 'warning', code: 'ok', message: 'Found.', fix: '' },
        { ...base, id: 'app', title: checkTitles.app, status: 'running', code: 'ok', message: '', fix: 'Wait.' },
        { ...base, id: 'users', title: checkTitles.users, status: 'pending', code: 'ok', message: '', fix: '' },
        { ...base, id: 'groups', title: checkTitles.groups, status: 'skipped', code: 'ok', message: '', fix: '' },
      ],
      secret: {
        expiresAt: '2026-03-01T00:00:00.000Z',
        daysLeft: 59,
        source: 'graph',
        candidates: [
          { keyId: 'k1', displayName: 'prod', hint: 'abc••••••', startDateTime: null, endDateTime: '2026-03-01', daysLeft: 59 },
          { keyId: 'k2', displayName: null, hint: 'abc••••••', startDateTime: null, endDateTime: null, daysLeft: null },
        ],
      },
    });
    expect(redactedDiagnostics(whole)).toBe(
      [
        'Entra Sync Assistant: connection test',
        'Started: 2026-01-01T00:00:00.000Z  Duration: 420 ms  Requests: 3',
        'Cloud: global  Tenant: contoso.com  Application (client) ID: aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        'Client secret: (none)',
        'Result: all checks passed',
        '',
        `[PASS] ${checkTitles.inputs} (inputs: ok, 7 ms)`,
        `[WARN] ${checkTitles.tenant} (tenant: ok, 7 ms)`,
        '  Found.',
        `[RUNNING] ${checkTitles.app} (app: ok, 7 ms)`,
        '  Fix: Wait.',
        `[PENDING] ${checkTitles.users} (users: ok, 7 ms)`,
        `[SKIP] ${checkTitles.groups} (groups: ok, 7 ms)`,
        '',
        'Secret expiry: 2026-03-01T00:00:00.000Z (59 days left), source: graph',
        '  - candidate abc•••••• prod keyId k1 ends 2026-03-01',
        '  - candidate abc••••••  keyId k2 ends never',
        '',
      ].join('\n'),
    );
    expect(redactedDiagnostics({ ...whole, ok: false, secretHint: 'abc••••••' })).toContain(
      'Client secret: abc••••••\nResult: a check failed\n',
    );
  });
});

describe('check titles', () => {
  it('name the check, not a verdict that a Warning or Failed status would contradict', () => {
    for (const title of Object.values(checkTitles)) {
      expect(title).not.toMatch(/\b(look right|exists?|can be|granted|works?|ok|passed|valid)\b/i);
    }
    expect(new Set(Object.values(checkTitles)).size).toBe(checkIds.length);
  });

  it('give every check a title of its own words', () => {
    for (const id of checkIds) expect(checkTitles[id]).toMatch(/^[A-Z][\w.’ -]{9,}$/);
  });
});

describe('validationReportSchema (what crosses IPC and the browser host)', () => {
  const real = report({
    ms: 42,
    requests: 4,
    checks: [
      {
        id: 'expiry',
        title: checkTitles.expiry,
        status: 'warning',
        code: 'secret-expiring-soon',
        message: 'Expires in 9 days.',
        fix: 'Create a new secret.',
        link: { label: 'Open Certificates & secrets', url: 'https://entra.microsoft.com/x' },
        ms: 3,
        details: ['end 2026-01-10'],
      },
    ],
    secret: {
      expiresAt: '2026-01-10T00:00:00.000Z',
      daysLeft: 9,
      source: 'graph',
      candidates: [
        {
          keyId: 'k1',
          displayName: null,
          hint: 'abc••••••',
          startDateTime: null,
          endDateTime: '2026-01-10T00:00:00Z',
          daysLeft: 9,
        },
      ],
    },
  });

  it('keeps every field of a real report, nested ones included', () => {
    expect(validationReportSchema.parse(real)).toEqual(real);
  });

  it.each([
    ['an unknown expiry source', { ...real, secret: { ...real.secret, source: 'guess' } }],
    ['a candidate without its key id', { ...real, secret: { ...real.secret, candidates: [{ hint: 'x' }] } }],
    ['a check without its fields', { ...real, checks: [{ id: 'expiry' }] }],
    ['a link without its address', { ...real, checks: [{ ...real.checks[0], link: { label: 'x' } }] }],
    ['no expiry at all', { ...real, secret: undefined }],
  ])('refuses %s', (_what, bad) => {
    expect(validationReportSchema.safeParse(bad).success).toBe(false);
  });

  it.each(['graph', 'manual', 'unknown'] as const)('accepts the expiry source %s', (source) => {
    expect(validationReportSchema.safeParse({ ...real, secret: { ...real.secret, source } }).success).toBe(true);
  });
});
