import { z } from 'zod';
import { cloudIdSchema } from './clouds';

/**
 * The typed report of "Test connection": ordered checks, each with a status, a stable code, a verdict,
 * the fix in plain words and a portal link; plus what is known about the secret's expiry.
 *
 * Produced by electron/services/entra/validator.ts, rendered by the UI panel and the `validate` command.
 * Never carries a secret: only a masked hint such as `abc••••••`.
 */

/** The checks, in the order they run and are shown. */
export const checkIds = ['inputs', 'tenant', 'app', 'secret', 'permission', 'users', 'groups', 'expiry'] as const;
export const checkIdSchema = z.enum(checkIds);
export type CheckId = z.infer<typeof checkIdSchema>;

/**
 * Short titles for the checks, in the admin's words. A title names what is checked, never the verdict: it stays
 * beside a Warning or Failed status, which must not read "Values look right".
 */
export const checkTitles: Record<CheckId, string> = {
  inputs: 'The values entered',
  tenant: 'Tenant in this cloud',
  app: 'Application in the tenant',
  secret: 'Sign-in with the client secret',
  permission: 'Directory.Read.All with admin consent',
  users: 'Reading users',
  groups: 'Reading groups',
  expiry: 'Client secret expiry',
};

export const checkStatuses = ['pending', 'running', 'pass', 'warning', 'fail', 'skipped'] as const;
export const checkStatusSchema = z.enum(checkStatuses);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

/**
 * Every outcome code. Stable kebab-case ids the UI and scripts may act on; the texts around them may change.
 * Grouped by where they arise; a code can appear on more than one check (network codes, throttling).
 */
export const validationCodes = [
  // Neutral states.
  'ok',
  'pending',
  'running',
  'skipped-after-failure',
  // Inputs (checked before any network call).
  'inputs-trimmed',
  'endpoint-insecure',
  'tenant-missing',
  'tenant-invalid',
  'client-id-missing',
  'client-id-invalid',
  'secret-missing',
  'secret-id-instead-of-value',
  'secret-shape-unusual',
  'secret-masked',
  // Token endpoint (AADSTS).
  'tenant-not-found',
  'wrong-cloud',
  'app-not-found',
  'app-disabled',
  'secret-invalid',
  'secret-expired',
  'secret-not-sent',
  'resource-not-found',
  'invalid-scope',
  'conditional-access-blocked',
  'consent-required',
  'sign-in-failed',
  // Graph.
  'consent-missing',
  'permission-insufficient',
  'permission-partial',
  'token-rejected',
  'throttled',
  'service-unavailable',
  'graph-error',
  'group-names-hidden',
  // Secret expiry.
  'secret-expiring-soon',
  'secret-expiry-ambiguous',
  'secret-expiry-unknown',
  'secret-not-listed',
  // Network.
  'network-offline',
  'network-dns',
  'network-refused',
  'network-reset',
  'network-timeout',
  'network-tls-untrusted',
  'network-tls-failed',
  'network-proxy',
  'network-error',
  'network-foreign-origin',
] as const;
export const validationCodeSchema = z.enum(validationCodes);
export type ValidationCode = z.infer<typeof validationCodeSchema>;

export const portalLinkSchema = z.object({ label: z.string(), url: z.string() });
export type { PortalLink } from './clouds';

/** One check's state and outcome. `ms` is how long it ran (0 while pending or when skipped). */
export const checkResultSchema = z.object({
  id: checkIdSchema,
  title: z.string(),
  status: checkStatusSchema,
  code: validationCodeSchema,
  /** The one-line verdict. */
  message: z.string(),
  /** What to do, in plain words; empty when nothing is needed. */
  fix: z.string(),
  link: portalLinkSchema.nullable(),
  ms: z.number(),
  /** Extra facts worth showing (counts, roles seen, AADSTS number, trace id). Never a secret. */
  details: z.array(z.string()),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** One of the app's password credentials that could be the secret in use (same hint). */
export const secretCandidateSchema = z.object({
  keyId: z.string(),
  displayName: z.string().nullable(),
  /** Masked: the 3-character hint followed by dots. */
  hint: z.string(),
  startDateTime: z.string().nullable(),
  endDateTime: z.string().nullable(),
  daysLeft: z.number().nullable(),
});
export type SecretCandidate = z.infer<typeof secretCandidateSchema>;

export const secretExpirySourceSchema = z.enum(['graph', 'manual', 'unknown']);
export type SecretExpirySource = z.infer<typeof secretExpirySourceSchema>;

/** What is known about when the secret in use expires. `expiresAt` is ISO 8601 UTC. */
export const secretExpirySchema = z.object({
  expiresAt: z.string().nullable(),
  daysLeft: z.number().nullable(),
  source: secretExpirySourceSchema,
  candidates: z.array(secretCandidateSchema),
});
export type SecretExpiry = z.infer<typeof secretExpirySchema>;

/** The whole report. `ok` is true when no check failed (warnings allowed). */
export const validationReportSchema = z.object({
  ok: z.boolean(),
  /** False while checks are still running (progress snapshots). */
  done: z.boolean(),
  cloud: cloudIdSchema,
  tenant: z.string(),
  clientId: z.string(),
  /** `abc••••••`, or empty when no secret was given. */
  secretHint: z.string(),
  /** True when this run forced a fresh token (Re-test). */
  retest: z.boolean(),
  startedAt: z.string(),
  ms: z.number(),
  checks: z.array(checkResultSchema),
  secret: secretExpirySchema,
  /** How many HTTP requests the run made (token + Graph). */
  requests: z.number(),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;

/** Progress callback payload: the check that changed and a snapshot of the whole report. */
export interface ValidationProgress {
  readonly check: CheckResult;
  readonly report: ValidationReport;
}

/** Days left before which the expiry check warns. */
export const expiryWarningDays = 30;

/** Masks a secret for display: its first 3 characters (Entra's own `hint`) and dots. Empty stays empty. */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '';
  // A value too short to be a real secret would be mostly revealed by its first 3 characters.
  if (secret.length < 12) return '••••••';
  return `${secret.slice(0, 3)}••••••`;
}

/** True when no check failed. */
export function reportPassed(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}

const statusLabels: Record<CheckStatus, string> = {
  pending: 'PENDING',
  running: 'RUNNING',
  pass: 'PASS',
  warning: 'WARN',
  fail: 'FAIL',
  skipped: 'SKIP',
};

/**
 * Removes anything secret-looking from text: the given secret values (raw and URL-encoded), bearer tokens
 * (JWTs) and `client_secret=` form fields. Defence in depth: reports are built without secrets already.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(maskSecret(secret));
  }
  return out
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[token removed]')
    .replace(/(client_secret=)[^&\s]+/gi, '$1[removed]');
}

/** The plain-text report behind "Copy diagnostics": every check with code, verdict, fix and link; no secret. */
export function redactedDiagnostics(report: ValidationReport, secrets: readonly string[] = []): string {
  const lines = [
    'Entra Sync Assistant: connection test',
    `Started: ${report.startedAt}  Duration: ${report.ms} ms  Requests: ${report.requests}${report.retest ? '  (re-test, fresh token)' : ''}`,
    `Cloud: ${report.cloud}  Tenant: ${report.tenant}  Application (client) ID: ${report.clientId}`,
    `Client secret: ${report.secretHint || '(none)'}`,
    `Result: ${report.ok ? 'all checks passed' : 'a check failed'}`,
    '',
  ];
  for (const check of report.checks) {
    lines.push(`[${statusLabels[check.status]}] ${check.title} (${check.id}: ${check.code}, ${check.ms} ms)`);
    if (check.message) lines.push(`  ${check.message}`);
    if (check.fix) lines.push(`  Fix: ${check.fix}`);
    if (check.link) lines.push(`  ${check.link.label}: ${check.link.url}`);
    for (const detail of check.details) lines.push(`  - ${detail}`);
  }
  const s = report.secret;
  lines.push(
    '',
    `Secret expiry: ${s.expiresAt ?? 'unknown'}${s.daysLeft === null ? '' : ` (${s.daysLeft} days left)`}, source: ${s.source}`,
  );
  for (const c of s.candidates) {
    lines.push(`  - candidate ${c.hint} ${c.displayName ?? ''} keyId ${c.keyId} ends ${c.endDateTime ?? 'never'}`);
  }
  return scrubSecrets(lines.join('\n') + '\n', secrets);
}
