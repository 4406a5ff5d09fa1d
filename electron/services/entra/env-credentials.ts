/**
 * Credentials from the Azure SDK's environment names, for the terminal host and schedulers:
 * `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`, `AZURE_AUTHORITY_HOST` (default global),
 * plus `ENTRA_GRAPH_BASE_URL` (a custom cloud's Graph root) and `ENTRA_GRAPH_RESOURCE` (its token audience).
 * `NODE_EXTRA_CA_CERTS` (a PEM file path) is read so the same CA is trusted in-process by our transport.
 */
import { cloudEndpointProblems, resolveCloud, type Cloud } from '../../../shared/clouds';
import { AppError } from '../../../shared/errors';

/** What the environment names. The secret is only ever handed to msal. */
export interface EnvCredentials {
  readonly cloud: Cloud;
  readonly tenant: string;
  readonly clientId: string;
  readonly secret: string;
  /** Contents of the NODE_EXTRA_CA_CERTS file, when set. */
  readonly extraCaPem: string | undefined;
}

/** The variables a run needs; listed in usage texts. */
export const credentialEnvNames = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;

/**
 * Reads credentials from `env`. Throws an {@link AppError} `missing-environment` naming the missing variables
 * (never their values), `insecure-endpoint` when AZURE_AUTHORITY_HOST or ENTRA_GRAPH_BASE_URL is not an https URL,
 * or `unreadable-ca` when NODE_EXTRA_CA_CERTS names a file that cannot be read.
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string,
): EnvCredentials {
  const missing = credentialEnvNames.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new AppError('missing-environment', `Set ${missing.join(', ')} (or use --demo for the demo tenant).`);
  }
  let extraCaPem: string | undefined;
  const caPath = env.NODE_EXTRA_CA_CERTS;
  if (caPath) {
    try {
      extraCaPem = readFile(caPath);
    } catch {
      throw new AppError('unreadable-ca', `NODE_EXTRA_CA_CERTS names a file that cannot be read: ${caPath}`);
    }
  }
  const cloud = resolveCloud(
    env.AZURE_AUTHORITY_HOST || undefined,
    env.ENTRA_GRAPH_BASE_URL || undefined,
    env.ENTRA_GRAPH_RESOURCE || undefined,
  );
  // Refused before anything runs, so no check can show PASS for a connection that would go out in clear.
  const problems = cloudEndpointProblems(cloud, {
    authorityHost: 'AZURE_AUTHORITY_HOST',
    graphBaseUrl: 'ENTRA_GRAPH_BASE_URL',
  });
  if (problems.length > 0) {
    throw new AppError('insecure-endpoint', problems.map((p) => p.message).join(' '));
  }
  return {
    cloud,
    tenant: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    secret: env.AZURE_CLIENT_SECRET ?? '',
    extraCaPem,
  };
}
