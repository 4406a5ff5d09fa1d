import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { credentialsFromEnv, type EnvCredentials } from '../services/entra/env-credentials';
import { createHttpTransport, type HttpTransport } from '../services/http/transport';
import { UsageError, type CliIo } from './command';

/**
 * The credentials a terminal command reads from the Azure SDK's environment names, and the one HTTP transport
 * to use them with (the custom CA from NODE_EXTRA_CA_CERTS, the proxy from the environment). A missing or
 * malformed variable is a usage error.
 */
export function credentialsAndTransport(io: CliIo, timeoutMs: number): { creds: EnvCredentials; transport: HttpTransport } {
  let creds: EnvCredentials;
  try {
    creds = credentialsFromEnv(io.env, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
  const transport = createHttpTransport({
    ...(creds.extraCaPem ? { extraCaPem: creds.extraCaPem } : {}),
    timeoutMs,
    env: io.env,
  });
  return { creds, transport };
}
