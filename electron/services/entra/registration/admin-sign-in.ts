/**
 * The admin's delegated sign-in with msal-node's PublicClientApplication: the system browser with the loopback
 * redirect (`acquireTokenInteractive`) or a device code (`acquireTokenByDeviceCode`), through our HTTP transport
 * with static authority metadata (no instance discovery). The tokens stay inside the returned session, in memory
 * only: msal gets no cache plugin (nothing on disk), nothing is logged, and `close()` drops them.
 */
import { LogLevel, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import type { Cloud } from '../../../../shared/clouds';
import { staticAuthorityConfig } from '../../http/authority-metadata';
import type { HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { signInFailure, type SignInProblem } from './registration-failures';
import {
  AZURE_CLI_CLIENT_ID,
  RegistrationError,
  type DelegatedPermission,
  type PublicClientChoice,
  type SignInMethod,
} from './registration-types';

/** The delegated permissions asked for, and why (shown in the plan). */
export const delegatedPermissions: readonly DelegatedPermission[] = [
  {
    scope: 'Application.ReadWrite.All',
    why: 'to create the application, its service principal and its client secret (and to remove them on undo or rotation)',
  },
  {
    scope: 'AppRoleAssignment.ReadWrite.All',
    why: 'to grant admin consent to Directory.Read.All, the one application permission the sync needs',
  },
];

/** A signed-in admin. Holds the access token in memory; `close()` forgets it. */
export interface AdminSession {
  readonly tenantId: string;
  readonly username: string;
  /** True when the token names an admin role (any); consent still needs Global or Privileged Role Administrator. */
  readonly hasAdminRole: boolean;
  accessToken(): string;
  close(): Promise<void>;
}

/** What the sign-in needs. */
export interface AdminSignInOptions {
  readonly cloud: Cloud;
  readonly transport: HttpTransport;
  readonly publicClient: PublicClientChoice;
  /** Tenant id or domain; default `organizations` (the tenant of whoever signs in). */
  readonly tenant?: string;
  /** The clock the sign-in's time limit runs on. */
  readonly clock?: Clock;
  /** How long the admin has to finish signing in. Default {@link SIGN_IN_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * How long a sign-in may wait for the admin: 15 minutes, the lifetime Entra gives a device code (`expires_in` 900);
 * the browser's loopback wait gets the same, as msal's would otherwise wait for ever.
 */
export const SIGN_IN_TIMEOUT_MS = 15 * 60_000;

/** The client id a public-client choice signs in with. */
export function publicClientId(choice: PublicClientChoice): string {
  return choice.kind === 'organisation' ? choice.clientId : (choice.clientId ?? AZURE_CLI_CLIENT_ID);
}

/** Signs the admin in; throws {@link RegistrationError} (step `sign-in`) with the reason and the fix. */
export async function signInAdmin(options: AdminSignInOptions, method: SignInMethod): Promise<AdminSession> {
  const { cloud, transport } = options;
  let lastError: { aadsts?: number; error?: string } = {};
  // Sees every token-endpoint answer only to remember the AADSTS number of an error (msal drops it for device codes).
  const networkClient = {
    sendGetRequestAsync: transport.msalNetworkClient.sendGetRequestAsync.bind(transport.msalNetworkClient),
    sendPostRequestAsync: async <T>(...args: Parameters<HttpTransport['msalNetworkClient']['sendPostRequestAsync']>) => {
      const response = await transport.msalNetworkClient.sendPostRequestAsync<T>(...args);
      const body = response.body as { error?: unknown; error_codes?: unknown } | undefined;
      if (response.status >= 400 && typeof body?.error === 'string' && body.error !== 'authorization_pending') {
        const code = Array.isArray(body.error_codes) ? Number(body.error_codes[0]) : undefined;
        lastError = { error: body.error, ...(code ? { aadsts: code } : {}) };
      }
      return response;
    },
  };
  const pca = new PublicClientApplication({
    auth: {
      clientId: publicClientId(options.publicClient),
      ...staticAuthorityConfig(cloud.authorityHost, options.tenant ?? 'organizations'),
    },
    system: {
      networkClient,
      // Nothing of the sign-in is logged: msal's lines can carry account names and token metadata.
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
  const scopes = delegatedPermissions.map((p) => `${cloud.graphResource}/${p.scope}`);
  const limitMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  // Stops the wait for the admin, at once: the caller's cancel, or the time limit on the injected clock.
  const stop = new AbortController();
  let timedOut = false;
  const onCancel = () => stop.abort();
  method.signal?.addEventListener('abort', onCancel, { once: true });
  const stopTimer = (options.clock ?? systemClock).setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, limitMs);
  if (method.signal?.aborted) stop.abort();
  let result: AuthenticationResult | null;
  try {
    if (stop.signal.aborted) throw new Error('The sign-in was stopped before it started.');
    if (method.kind === 'interactive') {
      let authorizeUrl: string | undefined;
      // msal's loopback server is ended by answering it as Entra answers a cancelled sign-in; its own `finally`
      // then closes the port before the sign-in rejects.
      stop.signal.addEventListener('abort', () => void (authorizeUrl && cancelLoopback(authorizeUrl)), { once: true });
      result = await pca.acquireTokenInteractive({
        scopes,
        openBrowser: async (url) => {
          if (stop.signal.aborted) throw new Error('The sign-in was stopped before the browser opened.');
          authorizeUrl = url;
          await method.openBrowser(url);
        },
        successTemplate: 'Signed in. You can close this window and go back to Entra Sync Assistant.',
        errorTemplate: 'The sign-in did not complete. Go back to Entra Sync Assistant for the reason.',
      });
    } else {
      const request = {
        scopes,
        cancel: false,
        deviceCodeCallback: (r: { verificationUri: string; userCode: string; message: string }) =>
          method.onCode({ verificationUri: r.verificationUri, userCode: r.userCode, message: r.message }),
      };
      // msal looks at `cancel` only between polls (Entra asks for 5 s between them): the wait ends now, the
      // polling at its next turn.
      const stopped = new Promise<never>((_resolve, reject) =>
        stop.signal.addEventListener('abort', () => reject(new Error('The sign-in was stopped.')), { once: true }),
      );
      stop.signal.addEventListener('abort', () => (request.cancel = true), { once: true });
      const polling = pca.acquireTokenByDeviceCode(request);
      polling.catch(() => undefined);
      result = await Promise.race([polling, stopped]);
    }
  } catch (error) {
    const serverError = (error as { errorCode?: unknown }).errorCode;
    const problem: SignInProblem = {
      ...lastError,
      ...(lastError.error === undefined && typeof serverError === 'string' ? { error: serverError } : {}),
      message: error instanceof Error ? error.message.split('\n')[0]! : String(error),
      aborted: stop.signal.aborted && !timedOut,
      ...(timedOut ? { timedOutAfterMs: limitMs } : {}),
    };
    await pca.clearCache();
    throw new RegistrationError(signInFailure(problem), { reused: false });
  } finally {
    stopTimer();
    method.signal?.removeEventListener('abort', onCancel);
  }
  if (!result?.accessToken) {
    await pca.clearCache();
    throw new RegistrationError(signInFailure({ message: 'Entra returned no access token.' }), { reused: false });
  }
  let token: string | undefined = result.accessToken;
  const claims = decodeClaims(token);
  const wids = Array.isArray(claims.wids) ? claims.wids : [];
  return {
    tenantId: result.tenantId || String(claims.tid ?? ''),
    username: result.account?.username ?? String(claims.upn ?? ''),
    hasAdminRole: wids.length > 0,
    accessToken: () => {
      if (token === undefined) throw new Error('The admin sign-in was closed.');
      return token;
    },
    close: async () => {
      token = undefined;
      await pca.clearCache();
    },
  };
}

function decodeClaims(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Ends an interactive sign-in the admin abandoned: answers msal's loopback server as Entra does for a cancelled
 * sign-in (form_post `error=access_denied` with the request's state), so the waiting sign-in fails as cancelled.
 */
async function cancelLoopback(authorizeUrl: string): Promise<void> {
  const params = new URL(authorizeUrl).searchParams;
  const redirect = params.get('redirect_uri');
  if (!redirect || !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(redirect)) return;
  const body = new URLSearchParams({
    error: 'access_denied',
    error_description: 'The sign-in was cancelled.',
    state: params.get('state') ?? '',
  });
  await fetch(redirect.replace('//localhost', '//127.0.0.1'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  })
    .then((r) => r.body?.cancel())
    .catch(() => undefined);
}
