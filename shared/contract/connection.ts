import { z } from 'zod';
import { cloudIdSchema, type CloudId } from '../clouds';
import {
  checkIds,
  secretExpirySchema,
  validationReportSchema,
  type CheckId,
  type CheckResult,
  type ValidationReport,
} from '../validation';

/**
 * The connection to Entra (cloud, tenant, app, secret) and the first-time setup wizard's progress: settings
 * sections, requests, results and events. Served by electron/services/connection/connection-service.ts.
 *
 * The secret never crosses this contract towards the renderer: summaries carry a masked hint only. The renderer
 * sends a secret in exactly two requests (`connection:test`, `connection:save`), and the main process keeps it
 * in the secret vault (or, when the admin declines weak storage, in memory for the session).
 */

/** The wizard's seven steps, in order (issue 6). */
export const wizardSteps = ['register', 'permission', 'secret', 'values', 'test', 'schedule', 'first-sync'] as const;
export const wizardStepSchema = z.enum(wizardSteps);
export type WizardStep = z.infer<typeof wizardStepSchema>;

/** `settings.setup`: where the admin is in the wizard, what is done, and the ticked checklist items. */
export const setupSettingsSchema = z.object({
  step: wizardStepSchema.default('register'),
  completed: z.array(wizardStepSchema).default([]),
  /** Checklist item ids (e.g. `register.name`) the admin ticked. */
  checklist: z.record(z.string(), z.boolean()).default({}),
  /** Set when the last step was finished: from then on the app opens on the main window. */
  finishedAt: z.string().optional(),
});
export type SetupProgress = z.infer<typeof setupSettingsSchema>;

/** A summary of one validation run, kept in settings for the dashboard and the wizard's return. */
export const validationSummarySchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** True when every required check passed (see {@link requiredChecksPassed}). */
  requiredPassed: z.boolean(),
  counts: z.object({ pass: z.number(), warning: z.number(), fail: z.number(), skipped: z.number() }),
  /** Failed or warning checks with their codes, e.g. `permission:consent-missing`. */
  problems: z.array(z.string()),
  /** The whole report (it never carries the secret), so the panel can be shown again after a restart. */
  report: validationReportSchema.optional(),
});
export type ValidationSummary = z.infer<typeof validationSummarySchema>;

/**
 * `settings.connection.secretExpiry`: what is known about when the secret in use expires, written at every
 * validation (and when the admin types a date). Read by the reminder service. `daysLeft` was computed at
 * `checkedAt`; recompute it from `expiresAt` (ISO 8601 UTC) when reading later. `secretHint` names which secret
 * the date belongs to (masked), so a date is never applied to a replaced secret.
 */
export const storedSecretExpirySchema = secretExpirySchema.extend({
  checkedAt: z.string(),
  secretHint: z.string(),
  /** True when the last token request was refused because the secret expired (AADSTS7000222). */
  expired: z.boolean().default(false),
});
export type StoredSecretExpiry = z.infer<typeof storedSecretExpirySchema>;

/** Options of the demo tenant, as the emulator takes them. */
export const demoOptionsSchema = z
  .object({
    users: z.number().int().min(10).max(5000).optional(),
    groups: z.number().int().min(1).max(500).optional(),
    seed: z.number().int().optional(),
    consent: z.boolean().optional(),
    secretExpiresInDays: z.number().int().min(-30).max(730).optional(),
    /** Delay added to every answer, to watch the checks arrive one by one. */
    latencyMs: z.number().int().min(0).max(2000).optional(),
  })
  .strict();
export type DemoOptions = z.infer<typeof demoOptionsSchema>;

/**
 * `settings.connection.kept`: the admin's own connection, put aside while the demo tenant is tried (from the
 * settings) and put back when the demo tenant is left. Its secret is in the vault under
 * `connection.keptClientSecret` (or, when it was only in memory, in memory for the session).
 */
export const keptConnectionSchema = z.object({
  cloud: cloudIdSchema,
  tenantId: z.string(),
  clientId: z.string(),
  secretHint: z.string().default(''),
  /** True when its secret was put aside in the vault. */
  secretStored: z.boolean().default(false),
  manualExpiresAt: z.string().optional(),
  lastValidation: validationSummarySchema.optional(),
  secretExpiry: storedSecretExpirySchema.optional(),
  keptAt: z.string(),
});
export type KeptConnection = z.infer<typeof keptConnectionSchema>;

/** `settings.connection`: non-secret connection values. The secret is in the vault under `connection.clientSecret`. */
export const connectionSettingsSchema = z.object({
  cloud: cloudIdSchema.default('global'),
  tenantId: z.string().default(''),
  clientId: z.string().default(''),
  /** Masked hint of the secret last tested or saved (`abc••••••`); empty when none. */
  secretHint: z.string().default(''),
  /** True when the secret is in the vault. */
  secretStored: z.boolean().default(false),
  /** The demo tenant is in use: on start the app starts it again and fills in its new credentials. */
  demo: z.boolean().default(false),
  /** How the demo tenant was started; the same seed gives the same tenant and app ids after a restart. */
  demoOptions: demoOptionsSchema.optional(),
  /**
   * The admin's answer when the vault cannot protect secrets well (Linux without a keyring, browser host):
   * `accepted` stores it anyway, `declined` keeps it in memory only, for the session.
   */
  weakStorage: z.enum(['unasked', 'accepted', 'declined']).default('unasked'),
  /** Expiry date the admin typed when Graph cannot tell (ISO 8601). */
  manualExpiresAt: z.string().optional(),
  lastValidation: validationSummarySchema.optional(),
  secretExpiry: storedSecretExpirySchema.optional(),
  /** The admin's own connection while the demo tenant is in use (see {@link keptConnectionSchema}). */
  kept: keptConnectionSchema.optional(),
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

/** What everyone (renderer, sync engine, scheduler, dashboard) may know about the connection. */
export interface ConnectionSummary {
  readonly cloud: CloudId;
  readonly tenantId: string;
  readonly clientId: string;
  /** `abc••••••` or empty. Never the secret. */
  readonly secretHint: string;
  readonly secretStored: boolean;
  /** The secret is only in memory (weak storage declined, or not yet stored): lost when the app quits. */
  readonly secretInMemory: boolean;
  readonly demo: boolean;
  /** The demo tenant is running right now (it may still be starting after a restart). */
  readonly demoRunning: boolean;
  readonly weakStorage: ConnectionSettings['weakStorage'];
  /** False when the vault only obfuscates secrets (see AppInfo.secretStorageSecure). */
  readonly vaultSecure: boolean;
  readonly vaultBackend: string;
  /** True when cloud, tenant, app and a secret are all known, so a connection can be opened. */
  readonly complete: boolean;
  readonly lastValidation?: ValidationSummary;
  readonly secretExpiry?: StoredSecretExpiry;
  readonly manualExpiresAt?: string;
  /** The admin's own connection, put aside while the demo tenant is in use; it comes back when the demo is left. */
  readonly kept?: KeptConnectionSummary;
}

/** What the renderer may know about a kept connection (no secret). */
export interface KeptConnectionSummary {
  readonly cloud: CloudId;
  readonly tenantId: string;
  readonly clientId: string;
  readonly secretHint: string;
  /** False when its secret was only in memory and the app restarted since: it must be entered again. */
  readonly secretKept: boolean;
  readonly keptAt: string;
  readonly lastValidation?: ValidationSummary;
}

/** Checks that must pass (or warn) before the wizard goes on; the expiry may be unknown. */
export const requiredCheckIds: readonly CheckId[] = checkIds.filter((id) => id !== 'expiry');

/** True when the report is finished and every required check passed or warned. */
export function requiredChecksPassed(report: Pick<ValidationReport, 'done' | 'checks'>): boolean {
  if (!report.done) return false;
  return requiredCheckIds.every((id) => {
    const check = report.checks.find((c: CheckResult) => c.id === id);
    return check !== undefined && (check.status === 'pass' || check.status === 'warning');
  });
}

const guidLike = z.string().max(300);

/** The non-secret values the wizard saves as the admin goes, plus its progress. */
export const connectionDraftSchema = z
  .object({
    cloud: cloudIdSchema.optional(),
    tenantId: guidLike.optional(),
    clientId: guidLike.optional(),
    setup: z
      .object({
        step: wizardStepSchema.optional(),
        completed: z.array(wizardStepSchema).optional(),
        checklist: z.record(z.string(), z.boolean()).optional(),
        /** true marks the wizard finished; false reopens it (editing the connection later). */
        finished: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;

/** Values to test. Missing values come from the saved connection; a missing secret from the vault. */
export const connectionTestSchema = z
  .object({
    cloud: cloudIdSchema.optional(),
    tenantId: guidLike.optional(),
    clientId: guidLike.optional(),
    secret: z.string().max(1000).optional(),
    /** Force a fresh token (after granting consent). Later tests of the same values do it anyway. */
    retest: z.boolean().optional(),
    /**
     * Test the values as a candidate for a connection already in use (editing it later): nothing is saved — values,
     * secret, last validation — unless the required checks pass, so the working connection stays until then.
     */
    candidate: z.boolean().optional(),
  })
  .strict();
export type ConnectionTestInput = z.infer<typeof connectionTestSchema>;

export const connectionRequests = {
  'connection:get': z.undefined(),
  'connection:getSetup': z.undefined(),
  'connection:saveDraft': connectionDraftSchema,
  'connection:test': connectionTestSchema,
  /** Saves the values (and the secret, if given) without testing them; a last validation of other values is dropped. */
  'connection:save': connectionTestSchema.omit({ retest: true, candidate: true }),
  /** The admin's answer to "this computer cannot protect the secret well": store it anyway, or not. */
  'connection:setWeakStorage': z.object({ store: z.boolean() }).strict(),
  'connection:setManualExpiry': z.object({ expiresAt: z.iso.datetime({ offset: true }).nullable() }).strict(),
  'connection:startDemo': demoOptionsSchema.optional(),
  'connection:stopDemo': z.undefined(),
} as const;

export interface ConnectionResults {
  'connection:get': ConnectionSummary;
  'connection:getSetup': SetupProgress;
  'connection:saveDraft': { readonly connection: ConnectionSummary; readonly setup: SetupProgress };
  'connection:test': ValidationReport;
  'connection:save': ConnectionSummary;
  'connection:setWeakStorage': ConnectionSummary;
  'connection:setManualExpiry': ConnectionSummary;
  'connection:startDemo': ConnectionSummary;
  'connection:stopDemo': ConnectionSummary;
}

export interface ConnectionEvents {
  /** One check changed during a test: the check and a snapshot of the whole report (no secret). */
  'connection:progress': { readonly runId: string; readonly check: CheckResult; readonly report: ValidationReport };
  /** The connection summary changed (values saved, secret stored, demo started or stopped, validated). */
  'connection:changed': ConnectionSummary;
}
