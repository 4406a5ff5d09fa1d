import type { ValidationCode } from './validation';

/**
 * Checks of the three pasted values before any network call: tenant, Application (client) ID, client secret.
 *
 * Pure so the wizard can run it as the admin types, and the validator runs it as its first check.
 * Messages never contain the secret. Facts: graph-facts.md §4 (secret formats, Secret ID vs Value).
 */

export type CredentialField = 'tenant' | 'clientId' | 'secret';

/** The three values as pasted. */
export interface CredentialInputs {
  readonly tenant: string;
  readonly clientId: string;
  readonly secret: string;
}

/** One problem with one field. `fail` blocks the network checks; `warning` does not. */
export interface InputIssue {
  readonly field: CredentialField;
  readonly severity: 'fail' | 'warning';
  readonly code: ValidationCode;
  readonly message: string;
  readonly fix: string;
}

/** The cleaned values, which fields were cleaned, and the problems found. */
export interface InputCheck {
  readonly cleaned: CredentialInputs;
  readonly trimmed: readonly CredentialField[];
  readonly tenantKind: 'guid' | 'domain' | 'invalid';
  readonly issues: readonly InputIssue[];
}

const fieldNames: Record<CredentialField, string> = {
  tenant: 'Directory (tenant) ID',
  clientId: 'Application (client) ID',
  secret: 'Client secret',
};

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Labels of letters, digits and hyphens; at least two labels; a top-level label of 2+ letters.
const domainPattern = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const secretCharset = /^[A-Za-z0-9._~-]+$/;
/** A value shown masked (`Q4a***` in the portal, `abc••••••` in this app), never a secret itself. */
const maskedSecret = /[*•●]{2,}/;
// Invisible characters that survive copy and paste from web pages and chat tools.
const invisible = /[\s\u00a0\u200b-\u200d\u2060\ufeff]/;
const quotes = new Set(['"', "'", '`', '\u201c', '\u201d', '\u2018', '\u2019']);
const reservedTenants = new Set(['common', 'organizations', 'consumers']);

/** True for a GUID in 8-4-4-4-12 hex form. */
export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

/**
 * Removes surrounding whitespace (including invisible characters) and matching or stray surrounding quotes,
 * repeatedly, so `  "abc"  ` becomes `abc`.
 */
export function cleanPastedValue(value: string): string {
  // Each pass either shortens the value or ends the loop, so it ends; an empty value reads as '' at both ends.
  let out = value;
  let before: string;
  do {
    before = out;
    while (invisible.test(out[0] ?? '')) out = out.slice(1);
    while (invisible.test(out.at(-1) ?? '')) out = out.slice(0, -1);
    if (quotes.has(out[0] ?? '')) out = out.slice(1);
    if (quotes.has(out.at(-1) ?? '')) out = out.slice(0, -1);
  } while (out !== before);
  return out;
}

/** Checks all three values; see {@link InputCheck}. */
/**
 * Why a client secret entered before is missing now: it was kept only while the app ran — by the admin's choice
 * ("Keep it only while the app runs"), or for the session (not yet answered, or not yet past a test) — and the app
 * has restarted since. Its missing check then asks to paste it again, not to create a new one.
 */
export type SecretGone = 'chosen' | 'session';

export function checkCredentialInputs(raw: CredentialInputs, options: { secretGone?: SecretGone } = {}): InputCheck {
  const cleaned: CredentialInputs = {
    tenant: cleanPastedValue(raw.tenant),
    clientId: cleanPastedValue(raw.clientId),
    secret: cleanPastedValue(raw.secret),
  };
  const trimmed = (['tenant', 'clientId', 'secret'] as const).filter((f) => cleaned[f] !== raw[f]);
  const issues: InputIssue[] = [];
  const tenantKind = checkTenant(cleaned.tenant, issues);
  checkClientId(cleaned.clientId, cleaned.tenant, issues);
  checkSecret(cleaned.secret, issues, options.secretGone);
  return { cleaned, trimmed, tenantKind, issues };
}

/** A sentence naming the cleaned fields, e.g. "Removed spaces or quotes around the Client secret." */
export function describeTrimmed(fields: readonly CredentialField[]): string {
  const names = fields.map((f) => fieldNames[f]);
  return `Removed spaces or quotes around the ${names.join(' and the ')}.`;
}

function checkTenant(tenant: string, issues: InputIssue[]): InputCheck['tenantKind'] {
  if (tenant.length === 0) {
    issues.push({
      field: 'tenant',
      severity: 'fail',
      code: 'tenant-missing',
      message: 'The Directory (tenant) ID is empty.',
      fix: 'Copy the Directory (tenant) ID from the app registration’s Overview page, or use your primary domain (contoso.onmicrosoft.com).',
    });
    return 'invalid';
  }
  if (isGuid(tenant)) return 'guid';
  if (reservedTenants.has(tenant.toLowerCase())) {
    issues.push({
      field: 'tenant',
      severity: 'fail',
      code: 'tenant-invalid',
      message: `“${tenant}” is not a tenant: an app signing in as itself must name your own tenant.`,
      fix: 'Use the Directory (tenant) ID GUID from the app registration’s Overview page, or your primary domain.',
    });
    return 'invalid';
  }
  if (domainPattern.test(tenant)) return 'domain';
  issues.push({
    field: 'tenant',
    severity: 'fail',
    code: 'tenant-invalid',
    message: 'The Directory (tenant) ID is neither a GUID nor a domain name.',
    fix: 'Paste the Directory (tenant) ID exactly (8-4-4-4-12 hexadecimal), or your primary domain such as contoso.onmicrosoft.com.',
  });
  return 'invalid';
}

function checkClientId(clientId: string, tenant: string, issues: InputIssue[]): void {
  if (clientId.length === 0) {
    issues.push({
      field: 'clientId',
      severity: 'fail',
      code: 'client-id-missing',
      message: 'The Application (client) ID is empty.',
      fix: 'Copy the Application (client) ID from the app registration’s Overview page.',
    });
    return;
  }
  if (!isGuid(clientId)) {
    issues.push({
      field: 'clientId',
      severity: 'fail',
      code: 'client-id-invalid',
      message: 'The Application (client) ID is not a GUID.',
      fix: 'Copy the Application (client) ID (8-4-4-4-12 hexadecimal) from the app registration’s Overview page — not the app’s name or Object ID.',
    });
    return;
  }
  if (clientId.toLowerCase() === tenant.toLowerCase()) {
    issues.push({
      field: 'clientId',
      severity: 'warning',
      code: 'client-id-invalid',
      message: 'The Application (client) ID is the same as the Directory (tenant) ID.',
      fix: 'On the app registration’s Overview page these are two different values: copy each from its own line.',
    });
  }
}

function checkSecret(secret: string, issues: InputIssue[], gone: SecretGone | undefined): void {
  if (secret.length === 0 && gone !== undefined) {
    issues.push({
      field: 'secret',
      severity: 'fail',
      code: 'secret-missing',
      message:
        gone === 'chosen'
          ? 'The client secret is no longer stored (you chose to keep it only while the app ran).'
          : 'The client secret is no longer stored (it was kept only while the app ran).',
      fix: 'Paste it again in Enter the values.',
    });
    return;
  }
  if (secret.length === 0) {
    issues.push({
      field: 'secret',
      severity: 'fail',
      code: 'secret-missing',
      message: 'The client secret is empty.',
      fix: 'In the app registration, open Certificates & secrets, create a new client secret and copy its Value.',
    });
    return;
  }
  if (isGuid(secret)) {
    issues.push({
      field: 'secret',
      severity: 'fail',
      code: 'secret-id-instead-of-value',
      message: 'This is the Secret ID: a GUID that only names the secret, not the secret’s Value that signs in.',
      fix: 'In Certificates & secrets, the Value column (left of Secret ID) holds the secret, shown only right after it is created. If it is hidden now, create a new client secret and copy its Value.',
    });
    return;
  }
  if (maskedSecret.test(secret)) {
    issues.push({
      field: 'secret',
      severity: 'fail',
      code: 'secret-masked',
      message: 'This is a masked secret (such as “Q4a***”): the portal, and this app, show only its first characters.',
      fix: 'Paste the full Value, copied with its copy button right after the secret was created. If it is hidden now, create a new client secret in Certificates & secrets and copy its Value straight away.',
    });
    return;
  }
  const shape = secretShape(secret);
  if (shape !== 'unusual') return;
  issues.push({
    field: 'secret',
    severity: 'warning',
    code: 'secret-shape-unusual',
    message: `The client secret does not look like one Entra issues (${secret.length} characters${
      secretCharset.test(secret) ? '' : ', with unusual characters'
    }).`,
    fix: 'Usually a secret is 40 characters with “8Q~” near the start. Check that the whole Value was copied, with nothing added; the connection test tells for sure.',
  });
}

/** Recognised client secret formats (graph-facts §4). Unusual values are warned about, never rejected. */
export function secretShape(secret: string): 'current' | 'previous' | 'legacy' | 'unusual' {
  if (!secretCharset.test(secret)) return 'unusual';
  const marker = secret.slice(3, 6);
  if (secret.length === 40 && marker === '8Q~') return 'current';
  if (secret.length === 37 && marker === '7Q~') return 'previous';
  if (secret.length === 32 || secret.length === 34) return 'legacy';
  return 'unusual';
}
