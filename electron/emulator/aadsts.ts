/**
 * Entra token-endpoint errors with the body shape and texts of the real service (graph-facts §2). The texts follow
 * what Entra returns today; Microsoft says they can change, so clients must map codes, not parse sentences.
 */
import { randomUUID } from 'node:crypto';

/** The AADSTS errors the emulator produces. */
export type AadstsCode =
  90002 | 900023 | 90038 | 700016 | 7000215 | 7000222 | 7000218 | 7000112 | 500011 | 53003 | 70011 | 1002012 | 900144 | 70003;

/** Context words substituted into the messages. */
export interface AadstsContext {
  readonly tenant?: string;
  readonly tenantName?: string;
  readonly appId?: string;
  readonly appName?: string;
  readonly scope?: string;
  readonly resource?: string;
  readonly parameter?: string;
  readonly grantType?: string;
}

interface Entry {
  readonly status: number;
  readonly error: string;
  readonly text: (c: AadstsContext) => string;
}

const CATALOG: Record<AadstsCode, Entry> = {
  90002: {
    status: 400,
    error: 'invalid_request',
    text: (c) =>
      `Tenant '${c.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
  900023: {
    status: 400,
    error: 'invalid_request',
    text: (c) => `Specified tenant identifier '${c.tenant}' is neither a valid DNS name, nor a valid external domain.`,
  },
  90038: {
    status: 400,
    error: 'invalid_request',
    text: () =>
      'Tenant is not in the national cloud of the endpoint. The tenant belongs to a different national cloud; use the sign-in endpoint of that cloud.',
  },
  700016: {
    status: 400,
    error: 'unauthorized_client',
    text: (c) =>
      `Application with identifier '${c.appId}' was not found in the directory '${c.tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  7000215: {
    status: 401,
    error: 'invalid_client',
    text: (c) =>
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${c.appId}'.`,
  },
  7000222: {
    status: 401,
    error: 'invalid_client',
    text: (c) =>
      `The provided client secret keys for app '${c.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  },
  7000218: {
    status: 401,
    error: 'invalid_client',
    text: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  7000112: {
    status: 400,
    error: 'unauthorized_client',
    text: (c) => `Application '${c.appId}'(${c.appName}) is disabled.`,
  },
  500011: {
    status: 400,
    error: 'invalid_resource',
    text: (c) =>
      `The resource principal named ${c.resource} was not found in the tenant named ${c.tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  },
  53003: {
    status: 400,
    error: 'invalid_grant',
    text: () => 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  },
  70011: {
    status: 400,
    error: 'invalid_scope',
    text: (c) =>
      c.scope
        ? `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${c.scope} is not valid.`
        : "The provided request must include a 'scope' input parameter.",
  },
  1002012: {
    status: 400,
    error: 'invalid_scope',
    text: (c) =>
      `The provided value for scope ${c.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  },
  900144: {
    status: 400,
    error: 'invalid_request',
    text: (c) => `The request body must contain the following parameter: '${c.parameter}'.`,
  },
  70003: {
    status: 400,
    error: 'unsupported_grant_type',
    text: (c) => `The app requested an unsupported grant type '${c.grantType}'.`,
  },
};

/** The codes a caller may force with the control API (conditions the emulator cannot otherwise produce). */
export const FORCEABLE_AADSTS: readonly AadstsCode[] = [90038, 53003, 7000112, 500011];

/** An error answer: status and the JSON body Entra sends. */
export interface AadstsResponse {
  readonly status: number;
  readonly body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

/** Entra's timestamp format: `2024-05-01 10:20:30Z`. */
export function entraTimestamp(now: Date): string {
  return now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Builds the error answer for `code`. */
export function aadstsError(
  code: AadstsCode,
  context: AadstsContext,
  now: Date,
  authorityHost: string,
  correlationId: string = randomUUID(),
): AadstsResponse {
  const entry = CATALOG[code];
  const traceId = randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    status: entry.status,
    body: {
      error: entry.error,
      error_description: `AADSTS${code}: ${entry.text(context)}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${authorityHost}/error?code=${code}`,
    },
  };
}
