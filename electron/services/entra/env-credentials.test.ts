import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { credentialsFromEnv } from './env-credentials';

const base = {
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_CLIENT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  AZURE_CLIENT_SECRET: 'abc8Q~' + 'z'.repeat(34),
};
const noFile = () => {
  throw new Error('no file expected');
};

function refusal(env: Record<string, string>): AppError {
  try {
    credentialsFromEnv({ ...base, ...env }, noFile);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected credentialsFromEnv to refuse');
}

describe('credentialsFromEnv', () => {
  it('takes https custom endpoints (the demo tenant is https on loopback)', () => {
    const creds = credentialsFromEnv(
      { ...base, AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443', ENTRA_GRAPH_BASE_URL: 'https://127.0.0.1:8443' },
      noFile,
    );
    expect(creds.cloud).toMatchObject({ id: 'custom', graphBaseUrl: 'https://127.0.0.1:8443' });
    // A bare host name is read as https, as the Azure SDK does.
    expect(credentialsFromEnv({ ...base, AZURE_AUTHORITY_HOST: 'login.microsoftonline.us' }, noFile).cloud.id).toBe('usgov');
  });

  it.each([
    ['ENTRA_GRAPH_BASE_URL', { AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443', ENTRA_GRAPH_BASE_URL: 'http://127.0.0.1:8443' }],
    ['AZURE_AUTHORITY_HOST', { AZURE_AUTHORITY_HOST: 'http://127.0.0.1:8443', ENTRA_GRAPH_BASE_URL: 'https://127.0.0.1:8443' }],
    ['ENTRA_GRAPH_BASE_URL', { ENTRA_GRAPH_BASE_URL: 'graph.example.com' }],
  ])('refuses %s when it is not an https URL, naming the variable', (name, env) => {
    const error = refusal(env);
    expect(error.code).toBe('insecure-endpoint');
    expect(error.message).toContain(name);
    expect(error.message).toMatch(/https:\/\//);
    expect(error.message).not.toContain(base.AZURE_CLIENT_SECRET);
  });
});
