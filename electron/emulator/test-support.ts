/**
 * Real clients wired to a running emulator, for tests: msal-node's ConfidentialClientApplication and the Graph
 * client, both over our HTTP transport trusting the emulator's CA. Nothing here is mocked.
 */
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { Client, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { staticAuthorityConfig } from '../services/http/authority-metadata';
import { graphMiddlewareChain } from '../services/http/graph-middleware';
import { createHttpTransport, type HttpTransport } from '../services/http/transport';
import type { EmulatorInfo } from './types';

/** A transport trusting the emulator's CA (and nothing from the environment). */
export function emulatorTransport(info: EmulatorInfo, timeoutMs = 15_000): HttpTransport {
  return createHttpTransport({ extraCaPem: info.caCertPem, timeoutMs, env: {} });
}

/** A confidential client for the emulated tenant; `overrides` replace tenant, client id or secret. */
export function emulatorMsal(
  info: EmulatorInfo,
  transport: HttpTransport,
  overrides: { tenant?: string; clientId?: string; clientSecret?: string } = {},
): ConfidentialClientApplication {
  const authority = staticAuthorityConfig(info.authorityHost, overrides.tenant ?? info.tenantId);
  return new ConfidentialClientApplication({
    auth: {
      clientId: overrides.clientId ?? info.clientId,
      clientSecret: overrides.clientSecret ?? info.clientSecret,
      ...authority,
    },
    system: {
      networkClient: transport.msalNetworkClient,
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
}

/** An auth provider acquiring tokens with `msal` for the emulator's scope. */
export function msalAuthProvider(msal: ConfidentialClientApplication, scope: string): AuthenticationProvider {
  return {
    getAccessToken: async () => {
      const result = await msal.acquireTokenByClientCredential({ scopes: [scope] });
      if (!result) throw new Error('msal returned no token');
      return result.accessToken;
    },
  };
}

/** A Graph client on the emulator through `transport` (auth header kept: customHosts is the host without port). */
export function emulatorGraphClient(info: EmulatorInfo, transport: HttpTransport, authProvider: AuthenticationProvider): Client {
  return Client.initWithMiddleware({
    baseUrl: `${info.graphBaseUrl}/`,
    customHosts: new Set([new URL(info.graphBaseUrl).hostname]),
    middleware: graphMiddlewareChain(transport, authProvider),
  });
}
