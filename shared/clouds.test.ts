import { describe, expect, it } from 'vitest';
import {
  appPortalLink,
  cloudById,
  cloudEndpointProblems,
  customCloud,
  endpointProblem,
  graphScope,
  knownClouds,
  resolveCloud,
  tokenEndpoint,
} from './clouds';

describe('clouds', () => {
  it('gives each Microsoft cloud its Graph scope', () => {
    expect(graphScope(cloudById('global'))).toBe('https://graph.microsoft.com/.default');
    expect(graphScope(cloudById('usgov'))).toBe('https://graph.microsoft.us/.default');
    expect(graphScope(cloudById('usgov-dod'))).toBe('https://dod-graph.microsoft.us/.default');
    expect(graphScope(cloudById('china'))).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
  });

  it('resolves Azure SDK authority hosts, with DoD told apart by its Graph root', () => {
    expect(resolveCloud().id).toBe('global');
    expect(resolveCloud('https://login.microsoftonline.us/').id).toBe('usgov');
    expect(resolveCloud('login.microsoftonline.us', 'https://dod-graph.microsoft.us').id).toBe('usgov-dod');
    expect(resolveCloud('https://login.chinacloudapi.cn').id).toBe('china');
    const custom = resolveCloud('https://127.0.0.1:8443/', 'https://127.0.0.1:8443/graph/');
    expect(custom).toMatchObject({
      id: 'custom',
      authorityHost: 'https://127.0.0.1:8443',
      graphBaseUrl: 'https://127.0.0.1:8443/graph',
    });
  });

  it('builds the token endpoint and portal deep links', () => {
    const cloud = customCloud({ authorityHost: 'https://127.0.0.1:1234', graphBaseUrl: 'https://127.0.0.1:1234' });
    // A custom endpoint (the demo tenant, a proxy) still asks for global Graph's token unless told otherwise.
    expect(graphScope(cloud)).toBe('https://graph.microsoft.com/.default');
    expect(graphScope(resolveCloud('https://127.0.0.1:1', 'https://127.0.0.1:1', 'https://graph.microsoft.us'))).toBe(
      'https://graph.microsoft.us/.default',
    );
    expect(tokenEndpoint(cloud, 'contoso.com')).toBe('https://127.0.0.1:1234/contoso.com/oauth2/v2.0/token');
    const link = appPortalLink(cloudById('usgov'), 'abc', 'credentials');
    expect(link.url).toBe(
      'https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/abc/isMSAApp~/false',
    );
    expect(appPortalLink(cloudById('global'), 'abc', 'api-permissions').url).toContain('/~/CallAnAPI/appId/abc/');
  });

  it('accepts only https addresses without credentials for the token host and Graph', () => {
    for (const cloud of knownClouds) expect(cloudEndpointProblems(cloud)).toEqual([]);
    expect(endpointProblem('https://127.0.0.1:8443/graph', 'X')).toBeUndefined();
    expect(endpointProblem('http://127.0.0.1:8443', 'X')).toMatch(
      /^X must start with https:\/\/ \(it is http:\/\/127\.0\.0\.1:8443\)/,
    );
    expect(endpointProblem('graph.example.com', 'X')).toMatch(/^X is not a valid address/);
    expect(endpointProblem('https://user:pw@graph.example.com', 'X')).toMatch(/user name or password/);
    expect(endpointProblem('https://user:pw@graph.example.com', 'X')).not.toContain('pw');
    const http = customCloud({ authorityHost: 'https://127.0.0.1:1', graphBaseUrl: 'http://127.0.0.1:1' });
    expect(cloudEndpointProblems(http).map((p) => p.field)).toEqual(['graphBaseUrl']);
  });
});
