/**
 * What `entra-sync register` and `rotate` share: the cloud and the extra CA from the environment (as `validate`
 * reads them), the admin's device-code sign-in with its instructions on stderr, stopped by Ctrl+C, and the
 * validator the terminal's fixes are worded for.
 */
import { readFileSync } from 'node:fs';
import { cloudEndpointProblems, resolveCloud, type Cloud } from '../../shared/clouds';
import { createCredentialValidator, type ValidationInput } from '../services/entra/validator';
import { signInAdmin, type AdminSession } from '../services/entra/registration/admin-sign-in';
import type { PublicClientChoice } from '../services/entra/registration/registration-types';
import { createHttpTransport, type HttpTransport } from '../services/http/transport';
import { UsageError, type CliIo } from './command';

/** The environment names the admin commands read, for their usage texts. */
export const adminEnvHelp = `Cloud and network come from the environment, as for validate:
  AZURE_AUTHORITY_HOST   token host (default https://login.microsoftonline.com)
  ENTRA_GRAPH_BASE_URL   Graph root when it is not the cloud's default
  ENTRA_GRAPH_RESOURCE   token audience of a custom endpoint
  NODE_EXTRA_CA_CERTS    PEM file of an extra CA to trust
  HTTPS_PROXY, NO_PROXY  proxy settings`;

/** The cloud, the extra CA and a transport for them. */
export function cloudAndTransport(io: CliIo): { cloud: Cloud; caCertPem: string | undefined; transport: HttpTransport } {
  const cloud = resolveCloud(
    io.env.AZURE_AUTHORITY_HOST || undefined,
    io.env.ENTRA_GRAPH_BASE_URL || undefined,
    io.env.ENTRA_GRAPH_RESOURCE || undefined,
  );
  const problems = cloudEndpointProblems(cloud, { authorityHost: 'AZURE_AUTHORITY_HOST', graphBaseUrl: 'ENTRA_GRAPH_BASE_URL' });
  if (problems.length > 0) throw new UsageError(problems.map((p) => p.message).join(' '));
  let caCertPem: string | undefined;
  const caPath = io.env.NODE_EXTRA_CA_CERTS;
  if (caPath) {
    try {
      caCertPem = readFileSync(caPath, 'utf8');
    } catch {
      throw new UsageError(`NODE_EXTRA_CA_CERTS names a file that cannot be read: ${caPath}`);
    }
  }
  const transport = createHttpTransport({ ...(caCertPem ? { extraCaPem: caCertPem } : {}), timeoutMs: 15_000, env: io.env });
  return { cloud, caCertPem, transport };
}

/** `--public-client-id ID` (the organisation's own public client) or the Microsoft first-party one. */
export function publicClientFrom(id: string | undefined): PublicClientChoice {
  if (id === undefined) return { kind: 'first-party' };
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id.trim())) {
    throw new UsageError(`--public-client-id must be an application (client) ID, a GUID, not '${id}'.`);
  }
  return { kind: 'organisation', clientId: id.trim().toLowerCase() };
}

/** Signs the admin in with a device code; the instructions go to stderr. Ctrl+C cancels. */
export async function deviceCodeSignIn(
  io: CliIo,
  options: { cloud: Cloud; transport: HttpTransport; publicClient: PublicClientChoice; tenant?: string },
): Promise<AdminSession> {
  const abort = new AbortController();
  void io.stopSignal.then(() => abort.abort());
  return signInAdmin(
    {
      cloud: options.cloud,
      transport: options.transport,
      publicClient: options.publicClient,
      ...(options.tenant ? { tenant: options.tenant } : {}),
    },
    {
      kind: 'device-code',
      signal: abort.signal,
      onCode: (code) => io.stderr(`\n${code.message}\nWaiting for the sign-in (Ctrl+C cancels)…\n`),
    },
  );
}

/** The credential validator with the terminal's wording, one per test. */
export function terminalValidate(transport: HttpTransport) {
  return (input: ValidationInput) => {
    const validator = createCredentialValidator({ transport, host: 'terminal' });
    return validator.validate(input, { retest: true }).finally(() => validator.close());
  };
}

/** Parses `--secret-months`. */
export function secretMonths(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 24) {
    throw new UsageError(`--secret-months must be 1 to 24 (the portal's custom lifetime stops at 24 months), not '${value}'.`);
  }
  return n;
}
