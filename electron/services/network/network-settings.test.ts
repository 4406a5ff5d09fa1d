import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../shared/settings';
import type { NetworkInput } from '../../../shared/network';
import { silentLogger, type Clock, type Logger } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { createNetworkService } from './network-service';
import { checkNetworkInput, parseCaCertificates } from './network-settings';

const now = new Date('2026-12-02T09:00:00Z');
const day = 86_400_000;

/** A CA certificate valid from `fromDays` to `toDays` around `now`, generated at run time. */
async function caPem(name: string, fromDays: number, toDays: number): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    algorithm: 'sha256',
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now.getTime() + fromDays * day),
    notAfterDate: new Date(now.getTime() + toDays * day),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
  });
  return { cert: pems.cert, key: pems.private };
}

let valid: { cert: string; key: string };
let soon: string;
let expired: string;
let future: string;

beforeAll(async () => {
  valid = await caPem('Contoso Proxy CA', -10, 400);
  soon = (await caPem('Short-lived CA', -10, 12)).cert;
  expired = (await caPem('Old CA', -400, -1)).cert;
  future = (await caPem('Tomorrow CA', 2, 400)).cert;
});

const manual = (url: string, bypass: string[] = []): NetworkInput => ({ proxy: { mode: 'manual', url, bypass } });
const problemsOf = (input: NetworkInput) => {
  const checked = checkNetworkInput(input, now);
  return checked.ok ? [] : checked.problems;
};

describe('checkNetworkInput', () => {
  it('accepts http and https proxies and sane bypass entries', () => {
    for (const url of ['http://proxy.contoso.com:8080', 'https://10.0.0.5:3128', 'http://[::1]:8080']) {
      expect(
        problemsOf(manual(url, ['intranet.contoso.com', '.contoso.com', '*.corp', '10.1.2.3', 'localhost:8443', '*'])),
      ).toEqual([]);
    }
  });

  it.each([
    ['socks5://proxy:1080', 'must start with http:// or https://'],
    ['ftp://proxy', 'must start with http:// or https://'],
    ['http://user:pw@proxy:8080', 'must not contain a user name or password'],
    ['proxy.contoso.com:8080', 'must start with http:// or https://'],
    ['not a url', 'is not a proxy address'],
    ['http://proxy:8080/path', 'without a path'],
    ['', 'Enter the proxy address'],
  ])('refuses the proxy %s', (url, words) => {
    const problems = problemsOf(manual(url));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'proxy.url' });
    expect(problems[0]?.message).toContain(words);
  });

  it.each(['http://intranet/', 'intra net', 'a..b', '-bad.example'])('refuses the bypass entry %s', (entry) => {
    expect(problemsOf(manual('http://proxy:8080', ['ok.example', entry]))).toEqual([
      expect.objectContaining({ field: 'proxy.bypass' }),
    ]);
  });

  it('ignores the proxy address unless the choice is manual, and keeps no address for none or system', () => {
    const checked = checkNetworkInput({ proxy: { mode: 'none', url: 'http://left-over:1', bypass: [] } }, now);
    expect(checked).toMatchObject({ ok: true, settings: { proxy: { mode: 'none', url: '' } } });
  });

  it('reads a CA certificate: subject, issuer, expiry; warns within 30 days', () => {
    const checked = checkNetworkInput({ proxy: { mode: 'system' }, caCertPem: `\n${valid.cert}\n` }, now);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.certificate).toMatchObject({
      subject: 'CN=Contoso Proxy CA',
      issuer: 'CN=Contoso Proxy CA',
      expiringSoon: false,
    });
    expect(checked.certificate?.daysLeft).toBeGreaterThanOrEqual(399);
    const warned = checkNetworkInput({ proxy: { mode: 'system' }, caCertPem: soon }, now);
    expect(warned).toMatchObject({ ok: true, certificate: { expiringSoon: true } });
    expect(warned.ok && warned.certificate?.daysLeft).toBeLessThanOrEqual(12);
  });

  it.each([
    ['an expired certificate', () => expired, 'expired on'],
    ['a certificate not valid yet', () => future, 'not valid yet'],
    ['text that is not PEM', () => 'hello', 'not a PEM certificate'],
    ['a damaged certificate', () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'could not be read'],
    ['a private key', () => `${valid.cert}\n${valid.key}`, 'private key'],
  ])('refuses %s', (_name, pem, words) => {
    const problems = problemsOf({ proxy: { mode: 'system' }, caCertPem: pem() });
    expect(problems).toEqual([expect.objectContaining({ field: 'caCertPem' })]);
    expect(problems[0]?.message).toContain(words);
  });

  it('checks custom endpoints with the rules of shared/clouds.ts', () => {
    const endpoints = { authorityHost: 'http://login.example', graphBaseUrl: 'https://graph.example', graphResource: '' };
    expect(problemsOf({ proxy: { mode: 'none' }, customEndpoints: endpoints })).toEqual([
      expect.objectContaining({ field: 'customEndpoints', message: expect.stringContaining('must start with https://') }),
    ]);
  });

  it('parses a bundle of several certificates and shows the first', () => {
    const both = parseCaCertificates(`${valid.cert}${soon}`, now);
    expect(both).toMatchObject({ ok: true, facts: { subject: 'CN=Contoso Proxy CA' } });
  });
});

describe('the network service', () => {
  const clock: Clock = { now: () => now } as Clock;
  let current: Settings;
  const settings: SettingsStore = { get: () => current, update: (c) => (current = c(current)), notice: undefined };

  it('saves nothing when any field is wrong, and everything when all are right', async () => {
    current = defaultSettings();
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (m, f) => void lines.push(`${m} ${JSON.stringify(f)}`) };
    const service = createNetworkService({ settings, clock, logger, env: { HTTPS_PROXY: 'http://u:secret@envproxy:3128' } });
    const before = structuredClone(current);
    const refused = await service.save({ proxy: { mode: 'manual', url: 'http://proxy:8080', bypass: [] }, caCertPem: expired });
    expect(refused).toMatchObject({ saved: false, problems: [expect.objectContaining({ field: 'caCertPem' })] });
    expect(current).toEqual(before);

    const saved = await service.save({
      proxy: { mode: 'manual', url: 'http://proxy:8080', bypass: ['.contoso.com'] },
      caCertPem: valid.cert,
    });
    expect(saved.saved).toBe(true);
    expect(current.network).toMatchObject({ proxy: { mode: 'manual', url: 'http://proxy:8080', bypass: ['.contoso.com'] } });
    const view = service.view();
    expect(view).toMatchObject({ certificate: { subject: 'CN=Contoso Proxy CA' }, system: { proxy: 'http://envproxy:3128' } });
    expect(JSON.stringify(view)).not.toContain('secret');
    expect(lines.join('\n')).not.toContain('BEGIN CERTIFICATE');
  });
});
