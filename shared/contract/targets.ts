import { z } from 'zod';
import type { SyncRunRecord } from '../sync';
import { syncPolicySchema, type SyncPolicy } from '../sync-policy';
import {
  bitbucketDisableModes,
  scimPresets,
  targetProductInfo,
  targetProducts,
  type BitbucketDisableMode,
  type ScimPreset,
  type TargetProduct,
} from '../targets';

/**
 * Sync targets as the admin manages them (Settings → Targets): the embedded directory (always there, the default),
 * and the Jira Data Center instances added beside it — list, test, add or update, remove, and the demo Jira started
 * beside the demo tenant. Served by electron/services/targets/target-admin.ts.
 *
 * The token crosses this contract in one direction only: the renderer sends it in `targets:test` and `targets:save`;
 * every answer carries a masked hint at most.
 */

const targetId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const token = z.string().trim().min(1).max(4000);
const caCertPem = z.string().max(200_000);
const product = z.enum(targetProducts);
/** Bitbucket's administrator, Crowd's application name. */
const username = z.string().trim().min(1).max(255);

/** Values to test: a saved target (`id`), optionally with values the admin is editing (missing ones are the saved ones). */
export const targetTestSchema = z
  .object({
    id: targetId.optional(),
    /** The product of new values; a saved target keeps its own. Default Jira. */
    product: product.optional(),
    baseUrl: z.string().trim().max(2000).optional(),
    /** Bitbucket: the administrator's username; Crowd: the application name. */
    username: username.optional(),
    /** The token or password (what `targetProductInfo[product].secretLabel` says). */
    token: token.optional(),
    /** A private CA's certificate (PEM); `null` tests without the saved one. */
    caCertPem: caCertPem.nullable().optional(),
    scimPreset: z.enum(scimPresets).optional(),
  })
  .strict();
export type TargetTestInput = z.infer<typeof targetTestSchema>;

/** Adds a Jira target (no `id`) or updates one; the token is required when adding, kept when left out on update. */
export const targetSaveSchema = z
  .object({
    id: targetId.optional(),
    /** The product of a new target (default Jira); a saved target's product never changes. */
    product: product.optional(),
    name: z.string().trim().min(1).max(80),
    baseUrl: z.string().trim().min(1).max(2000),
    username: username.optional(),
    token: token.optional(),
    caCertPem: caCertPem.nullable().optional(),
    /** Bitbucket: what "disable" means there. */
    bitbucketDisable: z.enum(bitbucketDisableModes).optional(),
    scimPreset: z.enum(scimPresets).optional(),
    /** Save even though the test of these values did not pass (the admin chose "Save anyway"). */
    saveAnyway: z.boolean().default(false),
  })
  .strict();
export type TargetSaveInput = z.infer<typeof targetSaveSchema>;

export const targetsRequests = {
  'targets:list': z.undefined(),
  /** Runs the connection checks; with an `id`, the outcome of the saved values is kept as the target's last test. */
  'targets:test': targetTestSchema,
  /** Tests the values first (unless they just passed) and saves only when they pass, or when `saveAnyway`. */
  'targets:save': targetSaveSchema,
  /** Removes the target, its token and its links; its runs stay in the history. */
  'targets:remove': z.object({ id: targetId }).strict(),
  /** Starts the demo Jira beside the demo tenant and adds it as a target (or points the demo target at it again). */
  'targets:startDemoJira': z.undefined(),
  /** The same for any demo product the build has (`TargetList.demoProducts`). */
  'targets:startDemo': z.object({ product }).strict(),
  /** A target's own sync settings, or that it inherits the global ones, and its matching and protection rules. */
  'targets:getSync': z.object({ id: targetId }).strict(),
  'targets:saveSync': z
    .object({
      id: targetId,
      /** Use the global sync settings (Sync settings → All targets). */
      inherit: z.boolean(),
      /** This target's own settings; required when not inheriting. */
      policy: syncPolicySchema.optional(),
      matchByEmail: z.boolean(),
      /** Groups beyond the product's administrator groups that the sync never changes, deletes or empties. */
      protectedGroups: z.array(z.string().trim().min(1).max(255)).max(500),
      deleteVanishedGroups: z.boolean(),
    })
    .strict(),
} as const;

export type TargetCheckStatus = 'pass' | 'warning' | 'fail' | 'skipped';

/** One check of a target's test: the verdict, what to do and where to read more. Never the token. */
export interface TargetCheck {
  readonly id: string;
  readonly title: string;
  readonly status: TargetCheckStatus;
  /** Stable, for tests and the terminal's JSON; never shown on screen. */
  readonly code: string;
  readonly message: string;
  readonly fix: string;
  readonly link: { readonly label: string; readonly url: string } | null;
  readonly ms: number;
  readonly details: readonly string[];
}

export interface TargetTestReport {
  readonly ok: boolean;
  readonly at: string;
  /** `Jira Software`, `Jira Service Management`, … when the instance said. */
  readonly product: string | null;
  readonly version: string | null;
  readonly checks: readonly TargetCheck[];
}

/** A target as Settings → Targets, the plan and the history show it. */
export interface TargetSummary {
  /** `local` for the embedded directory. */
  readonly id: string;
  readonly name: string;
  readonly product: TargetProduct | 'local';
  /** The base URL (with context path); null for the embedded directory. */
  readonly url: string | null;
  /** `••••abcd`; empty for the embedded directory. */
  readonly tokenHint: string;
  /** Bitbucket's administrator, Crowd's application name; null otherwise. */
  readonly username: string | null;
  /** Bitbucket: what "disable" means there; null for other products. */
  readonly bitbucketDisable: BitbucketDisableMode | null;
  /** SCIM: the preset; null for other products. */
  readonly scimPreset: ScimPreset | null;
  readonly hasCaCert: boolean;
  readonly builtIn: boolean;
  readonly demo: boolean;
  readonly lastTest: {
    readonly at: string;
    readonly ok: boolean;
    readonly product: string | null;
    readonly version: string | null;
    readonly problems: readonly string[];
  } | null;
  /** The last run into this target that was not a dry run. */
  readonly lastRun: SyncRunRecord | null;
  /** `own`: the target has its own sync settings (Sync settings → this target). */
  readonly sync: 'inherit' | 'own';
}

export interface TargetList {
  /** The embedded directory first, then the added targets in the order they were added. */
  readonly targets: readonly TargetSummary[];
  /** The demo tenant is in use, so the demo Jira can be started beside it. */
  readonly demoJiraOffered: boolean;
  /** The products "Add a target" offers (this build's drivers), in the order of `targetProducts`. */
  readonly products: readonly TargetProduct[];
  /** The demo products that can be started beside the demo tenant now (empty without the demo tenant). */
  readonly demoProducts: readonly TargetProduct[];
  /** Where tokens are kept (the vault's backend) and whether it protects them well. */
  readonly vault: { readonly backend: string; readonly secure: boolean };
}

/** A target's sync settings as Sync settings shows them. */
export interface TargetSyncSettings {
  readonly id: string;
  readonly name: string;
  readonly product: TargetProduct;
  readonly inherit: boolean;
  /** The settings its syncs use: its own, or the global ones when it inherits. */
  readonly policy: SyncPolicy;
  readonly matchByEmail: boolean;
  readonly protectedGroups: readonly string[];
  readonly deleteVanishedGroups: boolean;
  /** The product's administrator groups, always protected. */
  readonly adminGroups: readonly string[];
}

export type TargetSaveResult =
  | { readonly saved: true; readonly target: TargetSummary; readonly report: TargetTestReport | null }
  | { readonly saved: false; readonly report: TargetTestReport };

export interface TargetsResults {
  'targets:list': TargetList;
  'targets:test': TargetTestReport;
  'targets:save': TargetSaveResult;
  'targets:remove': { readonly removed: boolean };
  'targets:startDemoJira': TargetSummary;
  'targets:startDemo': TargetSummary;
  'targets:getSync': TargetSyncSettings;
  'targets:saveSync': TargetSyncSettings;
}

export interface TargetsEvents {
  /** A target was added, changed, tested or removed (any window, any host). */
  'targets:changed': TargetList;
}

/** The address as stored: trimmed, without trailing slashes (`https://jira.example.com/jira`). */
export function normaliseTargetUrl(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/**
 * What is wrong with a typed base URL, in words with what to type instead; null when it can be tested. Shared by the
 * form's inline validation and the service, so both say the same.
 */
export function targetUrlProblem(value: string, of: TargetProduct = 'jira'): string | null {
  const text = value.trim();
  const { shortLabel, urlExample } = targetProductInfo[of];
  const example = urlExample.replace('{directoryId}', 'your-directory-id');
  if (text === '') return `Type the address you open ${shortLabel} with, for example ${example}.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
      ? `This is not a web address. Type it as you see it in the browser, for example ${example}.`
      : `Start the address with https://, for example ${example}.`;
  }
  if (url.protocol !== 'https:') return 'Start the address with https://: the token must never cross the network unencrypted.';
  if (url.username || url.password) return 'Leave the user name and password out of the address: they go in their own fields.';
  if (url.search || url.hash) return 'Leave out everything from ? or #: type the base address only.';
  // A SCIM resource pasted with the base URL: the service would be asked for …/Users/Users and answer 404.
  const resource =
    of === 'scim' ? /\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)(\/[^/]*)?$/i.exec(url.pathname) : null;
  if (resource)
    return `Remove ${resource[0].replace(/\/+$/, '')} from the address: type the SCIM base URL only, the part before /${resource[1]} (for example ${example}).`;
  if (/\/(rest|secure|browse|plugins)(\/|$)/i.test(url.pathname))
    return `Type the base address only, without /rest/…, /secure/… or /browse/… (keep a context path, as in ${example}).`;
  return null;
}
