import { checkIdSchema, checkTitles, validationCodeSchema, type ValidationCode } from '../../shared/validation';

/**
 * The last test's problems (stored as `check:code`) in words, for the dashboard and Settings: a raw code such as
 * `inputs:secret-missing` never reaches the screen. Every code has its phrase (a missing one fails to compile).
 */
const codeWords: Record<ValidationCode, string> = {
  ok: 'passed',
  pending: 'not run yet',
  running: 'still running',
  'skipped-after-failure': 'skipped after an earlier failure',
  'inputs-trimmed': 'spaces around a value were removed',
  'endpoint-insecure': 'an address is not https',
  'tenant-missing': 'no tenant ID entered',
  'tenant-invalid': 'the tenant ID is not a GUID or domain',
  'client-id-missing': 'no Application (client) ID entered',
  'client-id-invalid': 'the Application (client) ID is not a GUID',
  'secret-missing': 'no client secret entered',
  'secret-id-instead-of-value': 'the Secret ID was entered instead of the secret’s value',
  'secret-shape-unusual': 'the client secret does not look like one',
  'secret-masked': 'a masked secret (like “Q4a***”) was entered instead of the full Value',
  'tenant-not-found': 'the tenant was not found',
  'wrong-cloud': 'the tenant is in another cloud',
  'app-not-found': 'the application was not found in the tenant',
  'app-disabled': 'the application is disabled',
  'secret-invalid': 'the client secret was refused',
  'secret-expired': 'the client secret has expired',
  'secret-not-sent': 'no client secret was sent',
  'resource-not-found': 'Microsoft Graph was not found for this cloud',
  'invalid-scope': 'the sign-in asked for an invalid scope',
  'conditional-access-blocked': 'a Conditional Access policy blocked the sign-in',
  'consent-required': 'admin consent is missing',
  'sign-in-failed': 'the sign-in failed',
  'consent-missing': 'admin consent for Directory.Read.All is missing',
  'permission-insufficient': 'the permission is not enough to read',
  'permission-partial': 'only part of the directory can be read',
  'token-rejected': 'Microsoft Graph refused the token',
  throttled: 'Microsoft Graph asked to slow down',
  'service-unavailable': 'Microsoft Graph was unavailable',
  'graph-error': 'Microsoft Graph answered with an error',
  'group-names-hidden': 'group names are hidden',
  'secret-expiring-soon': 'the client secret expires soon',
  'secret-expiry-ambiguous': 'several secrets could be the one in use',
  'secret-expiry-unknown': 'the secret’s expiry date could not be read',
  'secret-not-listed': 'the secret is not among the app’s secrets',
  'network-offline': 'this computer is offline',
  'network-dns': 'the address could not be found (DNS)',
  'network-refused': 'the connection was refused',
  'network-reset': 'the connection was dropped',
  'network-timeout': 'the connection timed out',
  'network-tls-untrusted': 'the server’s certificate is not trusted',
  'network-tls-failed': 'the secure connection failed',
  'network-proxy': 'the proxy refused the connection',
  'network-error': 'a network error',
  'network-foreign-origin': 'an answer pointed to another address',
};

/** `inputs:secret-missing` → "The values entered: no client secret entered". Unknown parts fall back to words. */
export function problemText(problem: string): string {
  const [check = '', code = ''] = problem.split(':');
  const id = checkIdSchema.safeParse(check);
  const known = validationCodeSchema.safeParse(code);
  const title = id.success ? checkTitles[id.data] : 'A check';
  return `${title}: ${known.success ? codeWords[known.data] : 'failed (test again to see why)'}`;
}

/** The problems as one sentence part, e.g. "The values entered: no client secret entered; Reading users: …". */
export function problemsText(problems: readonly string[]): string {
  return problems.map(problemText).join('; ');
}
