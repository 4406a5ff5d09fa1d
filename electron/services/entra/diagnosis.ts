/**
 * The diagnosis table: from what went wrong (AADSTS number, Graph error, network failure) to a stable code,
 * the check it belongs to, a one-line verdict, the fix in plain words and the portal page that fixes it.
 *
 * Microsoft warns AADSTS codes and texts can change: unknown numbers fall back to `sign-in-failed` with Entra's
 * own description, never to a guess. Facts: graph-facts.md §1–§3, §7.
 */
import {
  appPortalLink,
  appRegistrationsLink,
  graphScope,
  knownClouds,
  type Cloud,
  type PortalLink,
} from '../../../shared/clouds';
import type { CheckId, ValidationCode } from '../../../shared/validation';
import type { NetworkFailure, NetworkFailureCode } from '../http/network-error';
import type { ConnectionFailure } from '../graph/graph-client';

/** What the admin sees for one failure. */
export interface Diagnosis {
  readonly code: ValidationCode;
  /** The check this failure fails (for token failures: tenant, app or secret, in Entra's order of checking). */
  readonly check: CheckId;
  readonly status: 'fail' | 'warning';
  readonly verdict: string;
  readonly fix: string;
  readonly link: PortalLink | null;
  /** Facts for "Copy diagnostics": AADSTS number, trace id, Graph request id. */
  readonly details: string[];
}

/**
 * Where the admin reads the fix: in the app (desktop or browser host), whose network settings are Settings → Network,
 * or in the terminal host, which reads the environment (HTTPS_PROXY, NODE_EXTRA_CA_CERTS, AZURE_AUTHORITY_HOST, …).
 */
export type FixHost = 'app' | 'terminal';

/** What the texts may mention. */
export interface DiagnosisContext {
  readonly cloud: Cloud;
  readonly tenant: string;
  readonly clientId: string;
  readonly host: FixHost;
}

type Entry = Omit<Diagnosis, 'details' | 'status'> & { readonly status?: 'fail' | 'warning' };

const docs = {
  nationalClouds: {
    label: 'Read about national clouds',
    url: 'https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud',
  },
  conditionalAccess: {
    label: 'Read about Conditional Access for workload identities',
    url: 'https://learn.microsoft.com/entra/identity/conditional-access/workload-identity',
  },
  throttling: { label: 'Read about Graph throttling', url: 'https://learn.microsoft.com/graph/throttling' },
  errorCodes: {
    label: 'Look up the AADSTS code',
    url: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  },
} satisfies Record<string, PortalLink>;

const consentFix =
  'In the app registration open API permissions, add Microsoft Graph › Application permissions › Directory.Read.All ' +
  '(an application permission, not a delegated one), then click “Grant admin consent” (needs a Global or Privileged ' +
  'Role Administrator). Consent can take a few minutes to reach Graph; then re-test.';

/** Rows keyed by AADSTS number. Several numbers can share a row. */
function aadstsRow(aadsts: number, ctx: DiagnosisContext): Entry | undefined {
  const otherClouds = knownClouds
    .filter((c) => c.id !== ctx.cloud.id)
    .map((c) => c.label)
    .join(', ');
  switch (aadsts) {
    case 90002:
      return {
        code: 'tenant-not-found',
        check: 'tenant',
        verdict: `Tenant “${ctx.tenant}” was not found in ${ctx.cloud.label}.`,
        fix:
          'Copy the Directory (tenant) ID from the app registration’s Overview page. If it is right, the tenant ' +
          `lives in another cloud (${otherClouds}): choose that cloud.`,
        link: appRegistrationsLink(ctx.cloud),
      };
    case 900023:
      return {
        code: 'tenant-invalid',
        check: 'tenant',
        verdict: `Entra does not accept “${ctx.tenant}” as a tenant identifier.`,
        fix: 'Use the Directory (tenant) ID GUID from the app registration’s Overview page, or the primary domain.',
        link: appRegistrationsLink(ctx.cloud),
      };
    case 90038:
      return {
        code: 'wrong-cloud',
        check: 'tenant',
        verdict: `The tenant exists, but in another national cloud than ${ctx.cloud.label}.`,
        fix: `Choose the cloud your tenant lives in (${otherClouds}); the tenant’s Overview page in its own portal shows it.`,
        link: docs.nationalClouds,
      };
    case 700016:
      return {
        code: 'app-not-found',
        check: 'app',
        verdict: `No application with ID ${ctx.clientId} exists in tenant “${ctx.tenant}”.`,
        fix:
          'Copy the Application (client) ID from the Overview page of an app registered in this tenant (not its ' +
          'Object ID). An app created a minute ago may not be visible yet: re-test shortly.',
        link: appRegistrationsLink(ctx.cloud),
      };
    case 7000112:
      return {
        code: 'app-disabled',
        check: 'app',
        verdict: 'The application is disabled in this tenant.',
        fix: 'In Enterprise applications, open this app’s Properties and set “Enabled for users to sign in?” to Yes.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'overview'),
      };
    case 7000215:
      return {
        code: 'secret-invalid',
        check: 'secret',
        verdict: 'Entra rejected the client secret: it is not a valid secret of this application.',
        fix:
          'Paste the secret’s Value — not its Secret ID — from Certificates & secrets. The Value is shown only right ' +
          'after the secret is created; if you no longer have it, create a new client secret and copy its Value.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 7000222:
      return {
        code: 'secret-expired',
        check: 'secret',
        verdict: 'The client secret has expired.',
        fix: 'In Certificates & secrets, create a new client secret, paste its Value here, then delete the expired one.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 7000218:
      return {
        code: 'secret-not-sent',
        check: 'secret',
        verdict: 'Entra received no client secret.',
        fix: 'Paste the secret’s Value from Certificates & secrets.',
        link: appPortalLink(ctx.cloud, ctx.clientId, 'credentials'),
      };
    case 500011:
      return {
        code: 'resource-not-found',
        check: 'secret',
        verdict: `This tenant does not know Microsoft Graph at ${ctx.cloud.graphBaseUrl}.`,
        fix:
          'The Graph address does not belong to the tenant’s cloud: choose the right cloud, or correct the Graph root ' +
          (ctx.host === 'app' ? '(Settings → Network, custom cloud endpoints).' : '(ENTRA_GRAPH_BASE_URL).'),
        link: docs.nationalClouds,
      };
    case 70011:
    case 1002012:
      return {
        code: 'invalid-scope',
        check: 'secret',
        verdict: `Entra refused the requested scope ${graphScope(ctx.cloud)}.`,
        fix: 'The scope must be the Graph root of the tenant’s cloud followed by /.default: choose the right cloud or correct the Graph root.',
        link: docs.nationalClouds,
      };
    case 53003:
      return {
        code: 'conditional-access-blocked',
        check: 'secret',
        verdict: 'A Conditional Access policy blocked this app’s sign-in.',
        fix:
          'Ask your Conditional Access administrator to allow this app (workload identity policies often restrict ' +
          'locations): the sign-in logs for service principals show which policy applied.',
        link: docs.conditionalAccess,
      };
    case 65001:
    case 65002:
    case 90094:
      return {
        code: 'consent-required',
        check: 'permission',
        verdict: 'Entra says admin consent is required for this application.',
        fix: consentFix,
        link: appPortalLink(ctx.cloud, ctx.clientId, 'api-permissions'),
      };
    default:
      return undefined;
  }
}

const networkCodes: Record<NetworkFailureCode, ValidationCode> = {
  offline: 'network-offline',
  dns: 'network-dns',
  refused: 'network-refused',
  reset: 'network-reset',
  timeout: 'network-timeout',
  'tls-untrusted': 'network-tls-untrusted',
  'tls-other': 'network-tls-failed',
  proxy: 'network-proxy',
  unknown: 'network-error',
  'foreign-origin': 'network-foreign-origin',
  'insecure-url': 'endpoint-insecure',
};

/** Where each network setting lives for the admin reading the fix. */
const settingWords: Record<FixHost, { proxy: string; ca: string; endpoints: string }> = {
  app: {
    proxy: 'the proxy in Settings → Network',
    ca: 'its CA certificate in Settings → Network (trusted CA certificate)',
    endpoints: 'the custom cloud endpoints in Settings → Network',
  },
  terminal: {
    proxy: 'HTTPS_PROXY (and NO_PROXY)',
    ca: 'its CA certificate with NODE_EXTRA_CA_CERTS (the path of a PEM file)',
    endpoints: 'AZURE_AUTHORITY_HOST / ENTRA_GRAPH_BASE_URL',
  },
};

function networkFix(code: NetworkFailureCode, host: FixHost): string {
  const w = settingWords[host];
  switch (code) {
    case 'offline':
      return 'Check this computer’s network connection, then re-test.';
    case 'dns':
      return `Check the cloud choice (or ${w.endpoints}), the DNS server, or set ${w.proxy} if this network needs a proxy.`;
    case 'refused':
      return 'Check the address and port; if they are right, a firewall is rejecting the connection.';
    case 'reset':
      return `Allow HTTPS (port 443) to this host in the firewall, or set ${w.proxy} if this network needs a proxy.`;
    case 'timeout':
      return `Check the firewall and ${w.proxy}, then re-test; a slow network may need a longer timeout.`;
    case 'tls-untrusted':
      return `A TLS-inspecting proxy or a private endpoint presents a certificate this computer does not trust. Add ${w.ca}.`;
    case 'tls-other':
      return 'Check the proxy and the system date and time; a proxy may be interfering with TLS.';
    case 'proxy':
      return host === 'app'
        ? 'Check the proxy address and its bypass list in Settings → Network; its Test button shows whether the proxy answers.'
        : 'Check HTTPS_PROXY, its credentials and NO_PROXY.';
    case 'unknown':
      return 'Re-test; if it keeps failing, copy the diagnostics for your network team.';
    case 'foreign-origin':
      return (
        'Graph (or something in between, such as a proxy or gateway) pointed at another server. Check that the ' +
        'Graph address is the right one and that nothing rewrites Graph’s answers; then re-test.'
      );
    case 'insecure-url':
      return `Use the https:// address of the token host and of Graph (${w.endpoints}).`;
  }
}

/** Diagnoses a classified network failure on the given check. */
export function diagnoseNetworkFailure(failure: NetworkFailure, check: CheckId, host: FixHost): Diagnosis {
  return {
    code: networkCodes[failure.code],
    check,
    status: 'fail',
    verdict: failure.message,
    fix: networkFix(failure.code, host),
    link: null,
    details: failure.causeCode ? [`Cause: ${failure.causeCode}`] : [],
  };
}

/** Diagnoses a failure to get a token: an AADSTS error, a network failure or something else. */
export function diagnoseTokenFailure(failure: ConnectionFailure, ctx: DiagnosisContext): Diagnosis {
  if (failure.kind === 'network') return diagnoseNetworkFailure(failure.failure, 'tenant', ctx.host);
  if (failure.kind === 'graph') return diagnoseGraphFailure(failure, ctx, { roles: [], check: 'tenant' });
  if (failure.kind === 'unknown') {
    return {
      code: 'sign-in-failed',
      check: 'secret',
      status: 'fail',
      verdict: `Getting a token failed: ${failure.message}`,
      fix: 'Re-test; if it keeps failing, copy the diagnostics.',
      link: docs.errorCodes,
      details: [],
    };
  }
  const details = [
    ...(failure.aadsts ? [`AADSTS${failure.aadsts}`] : []),
    ...(failure.status ? [`HTTP ${failure.status}`] : []),
    ...(failure.description ? [`Entra: ${failure.description}`] : []),
    ...(failure.traceId ? [`Trace ID: ${failure.traceId}`] : []),
    ...(failure.correlationId ? [`Correlation ID: ${failure.correlationId}`] : []),
  ];
  // msal refuses to even send an empty secret (invalid_client_credential): the same advice as AADSTS7000218.
  const aadsts = failure.aadsts ?? (failure.error === 'invalid_client_credential' ? 7000218 : undefined);
  const row = aadsts ? aadstsRow(aadsts, ctx) : undefined;
  if (row) return { status: 'fail', ...row, details };
  if (failure.status === 429 || failure.error === 'throttling' || failure.status === 503 || (failure.status ?? 0) >= 500) {
    const throttled = failure.status === 429 || failure.error === 'throttling';
    return {
      code: throttled ? 'throttled' : 'service-unavailable',
      check: 'tenant',
      status: 'fail',
      verdict: throttled
        ? 'Entra is throttling token requests for this app.'
        : `Entra’s token service answered with an error (HTTP ${failure.status ?? '?'}).`,
      fix: 'Wait a minute and re-test.',
      link: null,
      details,
    };
  }
  return {
    code: 'sign-in-failed',
    check: 'secret',
    status: 'fail',
    verdict: failure.aadsts
      ? `Entra refused the sign-in (AADSTS${failure.aadsts}): ${failure.description}`
      : `Entra refused the sign-in: ${failure.description}`,
    fix: 'Look the code up in Microsoft’s AADSTS reference, or copy the diagnostics for support.',
    link: docs.errorCodes,
    details,
  };
}

/** Diagnoses a failed Graph call made with a token that carried `roles`. */
export function diagnoseGraphFailure(
  failure: ConnectionFailure,
  ctx: DiagnosisContext,
  opts: { readonly roles: readonly string[]; readonly check: CheckId; readonly retest?: boolean },
): Diagnosis {
  if (failure.kind === 'network') return diagnoseNetworkFailure(failure.failure, opts.check, ctx.host);
  if (failure.kind === 'token') return { ...diagnoseTokenFailure(failure, ctx), check: opts.check };
  if (failure.kind === 'unknown') {
    return {
      code: 'graph-error',
      check: opts.check,
      status: 'fail',
      verdict: `The Graph request failed: ${failure.message}`,
      fix: 'Re-test; if it keeps failing, copy the diagnostics.',
      link: null,
      details: [],
    };
  }
  const details = [
    `HTTP ${failure.status} ${failure.code}`,
    ...(failure.message ? [`Graph: ${failure.message}`] : []),
    ...(failure.requestId ? [`Request ID: ${failure.requestId}`] : []),
  ];
  const base = { check: opts.check, status: 'fail' as const, details };
  const propagation = opts.retest
    ? ' If you granted consent just now, it can take a few minutes to reach Graph: re-test again shortly.'
    : '';
  if (failure.status === 403 && (opts.roles.length === 0 || /scp or roles/i.test(failure.message))) {
    return {
      ...base,
      code: 'consent-missing',
      verdict: 'The app has no application permission with admin consent: its token carries no roles.' + propagation,
      fix: consentFix,
      link: appPortalLink(ctx.cloud, ctx.clientId, 'api-permissions'),
    };
  }
  if (failure.status === 403) {
    return {
      ...base,
      code: 'permission-insufficient',
      verdict:
        `The app’s permissions (${opts.roles.join(', ')}) do not include what this read needs (Directory.Read.All).` +
        propagation,
      fix: consentFix,
      link: appPortalLink(ctx.cloud, ctx.clientId, 'api-permissions'),
    };
  }
  if (failure.status === 401) {
    return {
      ...base,
      code: 'token-rejected',
      verdict: 'Microsoft Graph rejected the access token (InvalidAuthenticationToken).',
      fix: 'The token was issued for another Graph: check that the cloud and the Graph root belong together, then re-test.',
      link: docs.nationalClouds,
    };
  }
  if (failure.status === 429) {
    const wait = failure.retryAfterSeconds !== undefined ? ` (Retry-After ${failure.retryAfterSeconds} s)` : '';
    return {
      ...base,
      code: 'throttled',
      verdict: `Microsoft Graph is throttling this app${wait}.`,
      fix: 'Wait and re-test. Another tool using the same app registration may be using up its request budget.',
      link: docs.throttling,
    };
  }
  if (failure.status >= 500) {
    return {
      ...base,
      code: 'service-unavailable',
      verdict: `Microsoft Graph is unavailable (HTTP ${failure.status}).`,
      fix: 'Wait a few minutes and re-test; the Microsoft 365 service health page shows outages.',
      link: null,
    };
  }
  return {
    ...base,
    code: 'graph-error',
    verdict: `Microsoft Graph answered ${failure.status} ${failure.code}: ${failure.message}`,
    fix: 'Copy the diagnostics for support.',
    link: null,
  };
}
