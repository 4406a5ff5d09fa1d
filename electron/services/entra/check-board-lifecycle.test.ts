import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkIds, checkTitles, type ValidationProgress } from '../../../shared/validation';
import { CheckBoard } from './check-board';

/**
 * The board's life cycle: every check pending with its title, running, finished with its timing, skipped only while
 * unfinished, and snapshots that the board's later changes cannot alter. Time is a controlled performance clock.
 */

let now = 0;
beforeEach(() => {
  now = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const meta = {
  cloud: 'global' as const,
  tenant: 'contoso.com',
  clientId: 'c',
  retest: true,
  startedAt: new Date(Date.UTC(2026, 0, 2)),
};

function board(secrets: readonly string[] = ['abcdefghijklmnop'], requests = () => 4) {
  const progress: ValidationProgress[] = [];
  const b = new CheckBoard(meta, secrets, requests, (p) => progress.push(p));
  return { b, progress };
}

describe('CheckBoard: a fresh board', () => {
  it('has every check pending, titled, empty and untimed, and is not ok before it is closed', () => {
    const report = board().b.report();
    expect(report.checks).toEqual(
      checkIds.map((id) => ({
        id,
        title: checkTitles[id],
        status: 'pending',
        code: 'pending',
        message: '',
        fix: '',
        link: null,
        ms: 0,
        details: [],
      })),
    );
    expect(report).toMatchObject({
      ok: false,
      done: false,
      cloud: 'global',
      tenant: 'contoso.com',
      clientId: 'c',
      retest: true,
      startedAt: '2026-01-02T00:00:00.000Z',
      secretHint: 'abc••••••',
      requests: 4,
      secret: { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] },
    });
  });

  it('has an empty hint when no secret was given', () => {
    expect(board([]).b.report().secretHint).toBe('');
  });

  it('refuses a check it does not have', () => {
    expect(() => board().b.get('nope' as never)).toThrow('Unknown check nope');
  });
});

describe('CheckBoard: running and finishing', () => {
  it('marks started checks running, together, and each says so in a progress event', () => {
    const { b, progress } = board();
    b.start('users', 'groups');
    for (const id of ['users', 'groups'] as const) {
      expect(b.get(id)).toMatchObject({ status: 'running', code: 'running', message: 'Checking…' });
    }
    expect(progress.map((p) => [p.check.id, p.check.status])).toEqual([
      ['users', 'running'],
      ['groups', 'running'],
    ]);
    expect(progress[1]?.report.checks.find((c) => c.id === 'users')?.status).toBe('running');
  });

  it('times a check from its start, and the run from the board’s creation', () => {
    const { b } = board();
    now = 1_100;
    b.start('tenant');
    now = 1_350;
    b.finish('tenant', { status: 'pass', code: 'ok', message: 'Found.' });
    expect(b.get('tenant')).toMatchObject({
      status: 'pass',
      code: 'ok',
      message: 'Found.',
      fix: '',
      link: null,
      details: [],
      ms: 250,
    });
    expect(b.report().ms).toBe(350);
  });

  it('a check finished without being started took no time', () => {
    const { b } = board();
    now = 5_000;
    b.finish('expiry', { status: 'warning', code: 'ok', message: 'm' });
    expect(b.get('expiry').ms).toBe(0);
  });

  it('keeps the fix, link and details it is given', () => {
    const { b } = board();
    const link = { label: 'Open', url: 'https://entra.microsoft.com/x' };
    b.finish('permission', { status: 'fail', code: 'ok', message: 'm', fix: 'Grant it.', link, details: ['roles: none'] });
    expect(b.get('permission')).toMatchObject({ fix: 'Grant it.', link, details: ['roles: none'] });
  });
});

describe('CheckBoard: skipping', () => {
  it('skips pending and running checks with the reason, and leaves finished ones as they are', () => {
    const { b } = board();
    b.start('users');
    b.finish('tenant', { status: 'fail', code: 'ok', message: 'gone', details: ['d'] });
    b.skip(['tenant', 'users', 'groups'], 'the tenant was not found');
    expect(b.get('tenant')).toMatchObject({ status: 'fail', message: 'gone', details: ['d'] });
    for (const id of ['users', 'groups'] as const) {
      expect(b.get(id)).toEqual({
        id,
        title: checkTitles[id],
        status: 'skipped',
        code: 'skipped-after-failure',
        message: 'Skipped: the tenant was not found',
        fix: '',
        link: null,
        ms: 0,
        details: [],
      });
    }
  });

  it('skipRemaining skips exactly the unfinished checks', () => {
    const { b } = board();
    b.finish('inputs', { status: 'pass', code: 'ok', message: 'ok' });
    b.finish('tenant', { status: 'warning', code: 'ok', message: 'ok' });
    b.start('app');
    b.skipRemaining('sign-in failed');
    const statuses = Object.fromEntries(b.report().checks.map((c) => [c.id, c.status]));
    expect(statuses).toEqual({
      inputs: 'pass',
      tenant: 'warning',
      app: 'skipped',
      secret: 'skipped',
      permission: 'skipped',
      users: 'skipped',
      groups: 'skipped',
      expiry: 'skipped',
    });
  });
});

describe('CheckBoard: closing and snapshots', () => {
  it('is ok once closed with no failed check, and not ok with one', () => {
    const passing = board().b;
    for (const id of checkIds) passing.finish(id, { status: 'pass', code: 'ok', message: '' });
    expect(passing.report()).toMatchObject({ ok: false, done: false });
    expect(passing.close()).toMatchObject({ ok: true, done: true });

    const failing = board().b;
    failing.finish('secret', { status: 'fail', code: 'secret-invalid', message: '' });
    failing.skipRemaining('x');
    expect(failing.close()).toMatchObject({ ok: false, done: true });
  });

  it('reports the secret expiry it was given, as a copy', () => {
    const { b } = board();
    const candidate = { keyId: 'k', displayName: null, hint: 'abc••••••', startDateTime: null, endDateTime: null, daysLeft: 3 };
    const expiry = { expiresAt: '2026-01-05T00:00:00.000Z', daysLeft: 3, source: 'graph' as const, candidates: [candidate] };
    b.setSecretExpiry(expiry);
    const report = b.report();
    expect(report.secret).toEqual(expiry);
    report.secret.candidates.pop();
    expect(b.report().secret.candidates).toEqual([candidate]);
  });

  it('a snapshot is not changed by what the board or its reader does later', () => {
    const { b } = board();
    b.finish('users', { status: 'pass', code: 'ok', message: 'read', details: ['12 users'] });
    const snapshot = b.report();
    snapshot.checks.find((c) => c.id === 'users')?.details.push('tampered');
    expect(b.get('users').details).toEqual(['12 users']);
    b.finish('users', { status: 'fail', code: 'ok', message: 'later' });
    expect(snapshot.checks.find((c) => c.id === 'users')).toMatchObject({ status: 'pass', details: ['12 users', 'tampered'] });
  });

  it('works without a progress listener', () => {
    const b = new CheckBoard(meta, [], () => 0);
    b.start('inputs');
    b.finish('inputs', { status: 'pass', code: 'ok', message: 'ok' });
    expect(b.close().checks[0]?.status).toBe('pass');
  });
});
