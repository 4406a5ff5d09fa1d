/**
 * The diagnosis table: from what went wrong (AADSTS number, Graph error, network failure) to a stable code,
 * the check it belongs to, a one-line verdict, the fix in plain words and the portal page that fixes it.
 *
 * Microsoft warns AADSTS codes and texts can change: unknown numbers fall back to `sign-in-failed` with Entra's
 * own description, never to a guess. Facts: graph-facts.md §1–§3, §7.
 */
import { appPortalLink, type Cloud, type PortalLink } from '../../../shared/clouds';
import type { CheckId, ValidationCode } from '../../../shared/validation';
import type { ConnectionFailure } from '../graph/graph-client';
import { aadstsRow } from './aadsts-diagnosis';
import { consentFix, docs } from './diagnosis-texts';
import { diagnoseNetworkFailure } from './network-diagnosis';

export { diagnoseNetworkFailure } from './network-diagnosis';

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
