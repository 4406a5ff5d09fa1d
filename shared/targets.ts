import { z } from 'zod';
import { syncPolicySchema } from './sync';

/**
 * Sync targets as data: the `targets` section of the settings. The embedded directory is the built-in target
 * {@link localTargetId} and is not listed here; every entry is a remote product the admin added (Jira Data Center
 * now; Confluence, Bitbucket, Crowd, SCIM later). The token never lives here: it is in the secret vault under
 * {@link targetSecretName}, and the settings keep only a masked hint.
 */

/** The embedded SQLite directory: always there, the default target of a sync. */
export const localTargetId = 'local';

export const targetProducts = ['jira'] as const;
export type TargetProduct = (typeof targetProducts)[number];

/** The administrator groups Jira ships with; never changed, deleted or stripped of members by a sync. */
export const jiraAdminGroups = ['jira-administrators', 'jira-system-administrators'] as const;

export const targetConfigSchema = z.object({
  /** Stable id (history, links and the vault entry are keyed by it); never shown as the name. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** What the admin calls it; unique case-insensitively; `local` and `all` are reserved. */
  name: z.string().trim().min(1).max(80),
  product: z.enum(targetProducts),
  /** With the context path, no trailing slash: `https://jira.example.com/jira`. */
  baseUrl: z.string().url(),
  /** A private CA to trust for this target only: the PEM itself, or a file holding it. */
  caCertPem: z.string().optional(),
  caCertPath: z.string().optional(),
  /** Masked token hint (`••••abcd`), the token itself is in the vault. */
  tokenHint: z.string().default(''),
  /** `inherit`: the global sync settings; otherwise this target's own. */
  sync: z.union([z.literal('inherit'), syncPolicySchema]).default('inherit'),
  /** Match an existing account by e-mail when no username matches. */
  matchByEmail: z.boolean().default(false),
  /** Groups beyond the product's administrator groups that the sync must never touch. */
  protectedGroups: z.array(z.string().trim().min(1)).default([]),
  /** Delete groups that vanish from Entra (off by default for products: a group deletion cannot be undone). */
  deleteVanishedGroups: z.boolean().default(false),
  addedAt: z.string().optional(),
  /** The demo Jira started beside the demo tenant: its address and token are refreshed whenever it starts. */
  demo: z.boolean().default(false),
  /** The last "Test connection" of the saved values (no secret in it), shown in Settings → Targets. */
  lastTest: z
    .object({
      at: z.string(),
      ok: z.boolean(),
      product: z.string().nullable(),
      version: z.string().nullable(),
      /** The ids of the checks that failed or warned. */
      problems: z.array(z.string()).default([]),
    })
    .optional(),
});
export type TargetConfig = z.infer<typeof targetConfigSchema>;
export type TargetConfigInput = z.input<typeof targetConfigSchema>;

export const targetsSettingsSchema = z.array(targetConfigSchema).default([]);

/** The vault entry holding a target's token. */
export const targetSecretName = (targetId: string) => `target:${targetId}:token`;

/** A token as the settings and the UI may show it: its last four characters at most. */
export function maskToken(token: string): string {
  return token.length <= 8 ? '••••' : `••••${token.slice(-4)}`;
}

/** The reserved names a target cannot take. */
export const reservedTargetNames = [localTargetId, 'all'] as const;
