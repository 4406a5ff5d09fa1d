import { describe, expect, it } from 'vitest';
import type { NetworkView } from '../../shared/network';
import { bypassSummary, certificateExpiry, proxySummary } from './network-words';

const view = (proxy: NetworkView['proxy'], system: NetworkView['system'] = { bypass: [] }): NetworkView => ({
  proxy,
  system,
  endpointsInUse: false,
  testHost: 'login.microsoftonline.com',
  demo: false,
});

describe('network words', () => {
  it('says what each proxy choice means on this computer', () => {
    expect(proxySummary(view({ mode: 'none', url: '', bypass: [] }))).toBe('No proxy: the app connects directly');
    expect(proxySummary(view({ mode: 'system', url: '', bypass: [] }, { proxy: 'http://p:3128', bypass: ['a.example'] }))).toBe(
      'This computer’s proxy (http://p:3128, from HTTPS_PROXY)',
    );
    expect(proxySummary(view({ mode: 'system', url: '', bypass: [] }))).toContain('none is set');
    expect(proxySummary(view({ mode: 'manual', url: 'http://proxy:8080', bypass: [] }))).toBe('http://proxy:8080');
  });

  it('lists the bypass of the choice in use only', () => {
    const system = { proxy: 'http://p:3128', bypass: ['env.example'] };
    expect(bypassSummary(view({ mode: 'manual', url: 'http://x:1', bypass: ['a', 'b'] }, system))).toBe('a, b');
    expect(bypassSummary(view({ mode: 'system', url: '', bypass: ['a'] }, system))).toBe('env.example');
    expect(bypassSummary(view({ mode: 'none', url: '', bypass: ['a'] }, system))).toBeUndefined();
  });

  it('tells the expiry in days, and asks for a successor within 30 days', () => {
    const cert = { subject: 'CN=A', issuer: 'CN=A', validTo: '2027-12-02T00:00:00Z', daysLeft: 365, expiringSoon: false };
    expect(certificateExpiry(cert)).toMatch(/^Expires on .+2027 \(365 days left\)$/);
    expect(certificateExpiry({ ...cert, daysLeft: 1, expiringSoon: true })).toMatch(/\(1 day left\): ask for its successor\.$/);
  });
});
