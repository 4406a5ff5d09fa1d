import { describe, expect, it } from 'vitest';
import { NetworkFailureError } from '../../http/network-error';
import {
  CheckRun,
  fail,
  networkFailureChecks,
  parseTargetUrl,
  pass,
  presentCheck,
  skippedMessage,
  type CheckPresentation,
} from './check-runner';
import { VirtualClock } from './virtual-clock';

type Id = 'reachable' | 'tls' | 'token' | 'admin' | 'rate-limit';
const order: readonly Id[] = ['reachable', 'tls', 'token', 'admin', 'rate-limit'];
const wait = (clock: VirtualClock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
const summary = (checks: readonly { id: string; status: string; code: string }[]) =>
  checks.map((c) => `${c.id}:${c.status}:${c.code}`);

describe('CheckRun', () => {
  it('skips every check after the failure that stopped the test, in the product’s order, and is not ok', () => {
    const run = new CheckRun<Id>(order, new VirtualClock());
    run.add(pass('reachable', 'Answers.'));
    run.add(pass('tls', 'Trusted.'));
    run.add(fail('token', 'token-rejected', 'Refused (401).', 'Paste a new token.'));
    const report = run.report();
    expect(report.ok).toBe(false);
    expect(summary(report.checks)).toEqual([
      'reachable:pass:ok',
      'tls:pass:ok',
      'token:fail:token-rejected',
      'admin:skipped:skipped-after-failure',
      'rate-limit:skipped:skipped-after-failure',
    ]);
    expect(report.checks[3]).toMatchObject({ message: skippedMessage, fix: '', ms: 0 });
  });

  it('gives the verdicts in the product’s order whatever order they were reached in; warnings alone are ok', () => {
    const run = new CheckRun<Id>(order, new VirtualClock());
    run.add(pass('rate-limit', 'None announced.', 'no-rate-limit'));
    run.add({ id: 'tls', status: 'warning', code: 'plain-http', message: 'http://', fix: 'Use https.' });
    run.add(pass('admin', 'An administrator.'), pass('reachable', 'Answers.'), pass('token', 'Accepted.'));
    const report = run.report();
    expect(report.ok).toBe(true);
    expect(summary(report.checks)).toEqual([
      'reachable:pass:ok',
      'tls:warning:plain-http',
      'token:pass:ok',
      'admin:pass:ok',
      'rate-limit:pass:no-rate-limit',
    ]);
  });

  it('keeps going after a failure that does not stop the test, and still is not ok', () => {
    const run = new CheckRun<Id>(order, new VirtualClock());
    run.add(pass('reachable', 'Answers.'), pass('tls', 'Trusted.'), pass('token', 'Accepted.'));
    run.add(fail('admin', 'not-admin', 'Not an administrator.', 'Use an administrator.'));
    run.add(pass('rate-limit', 'None announced.'));
    const report = run.report();
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === 'skipped')).toEqual([]);
  });

  it('times each verdict on the test’s clock from the one before', async () => {
    const clock = new VirtualClock();
    const run = new CheckRun<Id>(order, clock);
    await wait(clock, 120);
    run.add(pass('reachable', 'Answers.'), pass('tls', 'Trusted.'));
    await wait(clock, 30);
    run.add(fail('token', 'token-rejected', 'Refused.', 'Paste a new token.'));
    expect(run.report().checks.map((c) => [c.id, c.ms])).toEqual([
      ['reachable', 120],
      ['tls', 0],
      ['token', 30],
      ['admin', 0],
      ['rate-limit', 0],
    ]);
  });
});

describe('the verdicts every product gives alike', () => {
  it('refuses what is not an http(s) address', () => {
    expect(parseTargetUrl('ftp://jira.example.com', 'Type the address.')).toMatchObject({
      id: 'reachable',
      status: 'fail',
      code: 'url-invalid',
      fix: 'Type the address.',
    });
    expect(parseTargetUrl('jira', 'Type the address.')).toMatchObject({ code: 'url-invalid' });
    expect(parseTargetUrl('https://jira.example.com/jira', '')).toBeInstanceOf(URL);
  });

  it('reads an untrusted certificate as an answering host with a TLS failure, anything else as unreachable', () => {
    const url = new URL('https://jira.example.com/jira');
    const failure = (code: 'tls-untrusted' | 'refused') =>
      new NetworkFailureError({ code, message: `${code} at jira.example.com`, causeCode: undefined, host: url.host });
    expect(summary(networkFailureChecks(failure('tls-untrusted'), url, { product: 'Jira' })!)).toEqual([
      'reachable:pass:ok',
      'tls:fail:tls-untrusted',
    ]);
    expect(networkFailureChecks(failure('tls-untrusted'), url, { product: 'Jira' })![1]!.fix).toMatch(
      /CA that issued Jira's certificate/,
    );
    expect(summary(networkFailureChecks(failure('refused'), url, { product: 'Jira' })!)).toEqual(['reachable:fail:unreachable']);
    expect(networkFailureChecks(new Error('HTTP 404'), url, { product: 'Jira' })).toBeNull();
  });
});

describe('presentCheck', () => {
  const how: CheckPresentation<Id> = {
    titles: { reachable: 'At this address', tls: 'TLS', token: 'Token', admin: 'Admin', 'rate-limit': 'Rate limiting' },
    link: () => ({ label: 'Docs', url: 'https://example.com/docs' }),
    answeredBy: 'Jira',
  };

  it('moves the raw status into the details and links only a failure or warning', () => {
    const failed = presentCheck(
      fail<Id, string>(
        'token',
        'token-rejected',
        'Jira refused the token (401, AUTHENTICATED_FAILED): mistyped.',
        'Paste it again.',
      ),
      how,
    );
    expect(failed).toMatchObject({
      title: 'Token',
      message: 'Jira refused the token: mistyped.',
      link: { url: 'https://example.com/docs' },
    });
    expect(failed.details).toEqual(['Jira answered with HTTP status 401.']);
    expect(presentCheck(pass<Id>('token', 'Accepted (as admin).'), how)).toMatchObject({ link: null, details: [] });
  });

  it('keeps the sentence as it is for a product whose raw answer is already in the details', () => {
    const check = fail<Id, string>('admin', 'not-admin', 'Refused (403).', 'Use an admin.', ['Confluence answered HTTP 403.']);
    const shown = presentCheck(check, { ...how, answeredBy: undefined });
    expect(shown.message).toBe('Refused (403).');
    expect(shown.details).toEqual(['Confluence answered HTTP 403.']);
  });
});
