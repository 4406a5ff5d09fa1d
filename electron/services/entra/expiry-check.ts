/**
 * Reads the app's own password credentials from Graph and tells when the secret in use expires
 * (graph-facts §3–§4): `GET /applications(appId='…')?$select=displayName,passwordCredentials`, matched by hint.
 * A 403 or 404 means "unknown": the admin's own date is used when given.
 */
import { appPortalLink } from '../../../shared/clouds';
import { checkCredentialInputs } from '../../../shared/credential-inputs';
import type { SecretExpiry } from '../../../shared/validation';
import { createGraphConnection, describeFailure, type GraphConnection } from '../graph/graph-client';
import type { HttpTransport } from '../http/transport';
import { systemClock, type Clock } from '../ports';
import type { CheckOutcome } from './check-board';
import { diagnoseGraphFailure, diagnoseTokenFailure, type Diagnosis, type FixHost } from './diagnosis';
import { manualOrUnknownExpiry, matchSecretExpiry, type PasswordCredential } from './secret-expiry';
import type { ValidationInput } from './validator';

/** The expiry check's outcome and the report's expiry section. */
export interface ExpiryResult {
  readonly outcome: CheckOutcome;
  readonly expiry: SecretExpiry;
}

/**
 * Reads and matches the expiry with an existing connection whose token carries `roles`. `send` runs the Graph
 * request (the validator passes its retry budget).
 */
export async function readSecretExpiry(
  graph: GraphConnection,
  input: ValidationInput,
  cleaned: { readonly clientId: string; readonly secret: string; readonly tenant: string },
  roles: readonly string[],
  now: Date,
  host: FixHost,
  send: <T>(request: () => Promise<T>) => Promise<T> = (request) => request(),
): Promise<ExpiryResult> {
  const credentials = appPortalLink(input.cloud, cleaned.clientId, 'credentials');
  let app: { passwordCredentials?: PasswordCredential[] };
  try {
    app = (await send(() =>
      graph.client
        .api(`/applications(appId='${encodeURIComponent(cleaned.clientId)}')`)
        .select('displayName,passwordCredentials')
        .get(),
    )) as typeof app;
  } catch (error) {
    const failure = describeFailure(error);
    const ctx = { cloud: input.cloud, tenant: cleaned.tenant, clientId: cleaned.clientId, host };
    const diagnosis = diagnoseGraphFailure(failure, ctx, { roles, check: 'expiry' });
    if (failure.kind === 'graph' && (failure.status === 403 || failure.status === 404)) {
      const manual = manualOrUnknownExpiry(input.manualExpiresAt, now);
      const known = manual.source === 'manual';
      return {
        expiry: manual,
        outcome: {
          status: known ? 'pass' : 'warning',
          code: known ? 'ok' : 'secret-expiry-unknown',
          message: known
            ? `Graph does not let this app read its secrets; using the date you entered (${manual.daysLeft} days left).`
            : 'The app may not read its own secrets, so the expiry date is unknown.',
          fix: known
            ? ''
            : 'Enter the expiry date shown in Certificates & secrets (Expires column) so reminders can warn in time.',
          link: credentials,
          details: diagnosis.details,
        },
      };
    }
    return { expiry: manualOrUnknownExpiry(input.manualExpiresAt, now), outcome: fromDiagnosis(diagnosis) };
  }
  const verdict = matchSecretExpiry(app.passwordCredentials ?? [], cleaned.secret, now);
  return {
    expiry: verdict.expiry,
    outcome: {
      status: verdict.status,
      code: verdict.code,
      message: verdict.message,
      fix: verdict.fix,
      link: verdict.status === 'pass' ? null : credentials,
      details: verdict.expiry.candidates.map(
        (c) => `${c.hint} ${c.displayName ?? ''} (Secret ID ${c.keyId}) ends ${c.endDateTime ?? 'never'}`,
      ),
    },
  };
}

/** The dependencies of {@link checkSecretExpiryOnly}. */
export interface ExpiryCheckDeps {
  readonly transport: HttpTransport;
  readonly clock?: Clock;
  /** Who reads the fixes: the app (Settings → Network) or the terminal (environment variables). */
  readonly host: FixHost;
}

/**
 * Only the expiry: inputs, a token, one Graph read (for `entra-sync expiry` and reminders). A token refused
 * with AADSTS7000222 counts as expired; any other failure as unknown, with its diagnosis.
 */
export async function checkSecretExpiryOnly(input: ValidationInput, deps: ExpiryCheckDeps): Promise<ExpiryResult> {
  const now = (deps.clock ?? systemClock).now();
  const { cleaned, issues } = checkCredentialInputs(input);
  const unknown = manualOrUnknownExpiry(input.manualExpiresAt, now);
  const blocking = issues.find((i) => i.severity === 'fail');
  if (blocking) {
    return { expiry: unknown, outcome: { status: 'fail', code: blocking.code, message: blocking.message, fix: blocking.fix } };
  }
  const graph = createGraphConnection({
    cloud: input.cloud,
    tenantId: cleaned.tenant,
    clientId: cleaned.clientId,
    clientSecret: cleaned.secret,
    transport: deps.transport,
    retry: { maxRetries: 1, maxDelaySeconds: 2 },
  });
  try {
    let roles: string[];
    try {
      roles = (await graph.getToken()).roles;
    } catch (error) {
      const ctx = { cloud: input.cloud, tenant: cleaned.tenant, clientId: cleaned.clientId, host: deps.host };
      const diagnosis = diagnoseTokenFailure(describeFailure(error), ctx);
      return { expiry: unknown, outcome: fromDiagnosis(diagnosis) };
    }
    return await readSecretExpiry(graph, input, cleaned, roles, now, deps.host);
  } finally {
    graph.close();
  }
}

/** A diagnosis as a check outcome. */
export function fromDiagnosis(d: Diagnosis): CheckOutcome {
  return { status: d.status, code: d.code, message: d.verdict, fix: d.fix, link: d.link, details: d.details };
}
