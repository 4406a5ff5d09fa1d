import { describe, expect, it } from 'vitest';
import { cloudById } from '../../shared/clouds';
import { testedCloud } from './tested-cloud';

const global = cloudById('global');
const endpoints = {
  authorityHost: 'https://login.contoso.example',
  graphBaseUrl: 'https://graph.contoso.example:8443/',
  graphResource: '',
};

describe('the cloud step 5 names', () => {
  it('calls a custom cloud "Custom" with its sign-in and Graph hosts, never "Global (also GCC)"', () => {
    const cloud = testedCloud(global, 'custom', false, endpoints);
    expect(cloud.label).toBe('Custom (sign-in login.contoso.example, Graph graph.contoso.example:8443)');
    expect(cloud.portalHost).toBe(global.portalHost); // the links still open a portal that exists
  });

  it('says "Custom endpoints" while the hosts are unknown, and names only the host that is set', () => {
    expect(testedCloud(global, 'custom', false).label).toBe('Custom endpoints');
    expect(testedCloud(global, 'custom', false, { ...endpoints, authorityHost: ' ' }).label).toBe(
      'Custom (Graph graph.contoso.example:8443)',
    );
    expect(testedCloud(global, 'custom', false, { ...endpoints, graphBaseUrl: '', authorityHost: 'login.local' }).label).toBe(
      'Custom (sign-in login.local)',
    );
  });

  it('keeps a Microsoft cloud’s own label and names the demo tenant as such', () => {
    expect(testedCloud(global, 'global', false).label).toBe('Global (also GCC)');
    expect(testedCloud(cloudById('usgov'), 'usgov', false, endpoints).label).toBe('US Government L4 (GCC High)');
    expect(testedCloud(global, 'custom', true, endpoints).label).toBe('Demo tenant (emulated)');
  });
});
