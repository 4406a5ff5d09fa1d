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

export const targetProducts = ['jira', 'confluence', 'bitbucket', 'crowd', 'scim'] as const;
export type TargetProduct = (typeof targetProducts)[number];

/** The administrator groups Jira ships with; never changed, deleted or stripped of members by a sync. */
export const jiraAdminGroups = ['jira-administrators', 'jira-system-administrators'] as const;

/** How a product's target signs in: what the form asks for, and why (shown beside the fields). */
export type TargetCredentialKind = 'token' | 'username-password' | 'application-password' | 'bearer-token';

/** A product as the forms, the terminal and the messages name it; one entry per {@link TargetProduct}. */
export interface TargetProductInfo {
  readonly product: TargetProduct;
  /** `Jira Data Center`. */
  readonly label: string;
  /** `Jira`, inside sentences ("limited by Jira"). */
  readonly shortLabel: string;
  readonly credential: TargetCredentialKind;
  /** The username field's label (`username-password`, `application-password`); absent for token kinds. */
  readonly usernameLabel?: string;
  /** The secret field's label: `Personal access token`, `Password`, `Application password`, `Bearer token`. */
  readonly secretLabel: string;
  /** Why this credential, one or two sentences shown in the form. */
  readonly credentialWhy: string;
  /** A link about the credential: how to make it. */
  readonly credentialLink: { readonly label: string; readonly url: string };
  /** The address example in the form and its messages. */
  readonly urlExample: string;
  /** The groups the product ships with for its administrators; never touched by a sync. */
  readonly adminGroups: readonly string[];
}

export const targetProductInfo: Readonly<Record<TargetProduct, TargetProductInfo>> = {
  jira: {
    product: 'jira',
    label: 'Jira Data Center',
    shortLabel: 'Jira',
    credential: 'token',
    secretLabel: 'Personal access token',
    credentialWhy:
      'A personal access token of a Jira administrator (Jira 8.14 or later): the sync signs in as that account, and the token can be revoked without changing a password.',
    credentialLink: {
      label: 'Personal access tokens',
      url: 'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html',
    },
    urlExample: 'https://jira.example.com/jira',
    adminGroups: jiraAdminGroups,
  },
  confluence: {
    product: 'confluence',
    label: 'Confluence Data Center',
    shortLabel: 'Confluence',
    credential: 'token',
    secretLabel: 'Personal access token',
    credentialWhy:
      'A personal access token of a Confluence administrator (Confluence 7.9 or later): the sync signs in as that account, and the token can be revoked without changing a password.',
    credentialLink: {
      label: 'Personal access tokens',
      url: 'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html',
    },
    urlExample: 'https://confluence.example.com/confluence',
    adminGroups: ['confluence-administrators'],
  },
  bitbucket: {
    product: 'bitbucket',
    label: 'Bitbucket Data Center',
    shortLabel: 'Bitbucket',
    credential: 'username-password',
    usernameLabel: 'Administrator username',
    secretLabel: 'Password',
    credentialWhy:
      "An administrator's username and password: Bitbucket's HTTP access tokens cannot hold the global ADMIN permission that managing users needs.",
    credentialLink: {
      label: 'Bitbucket HTTP access tokens',
      url: 'https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html',
    },
    urlExample: 'https://bitbucket.example.com',
    adminGroups: ['stash-users', 'sys-admins'],
  },
  crowd: {
    product: 'crowd',
    label: 'Crowd Data Center',
    shortLabel: 'Crowd',
    credential: 'application-password',
    usernameLabel: 'Application name',
    secretLabel: 'Application password',
    credentialWhy:
      'The name and password of a Crowd application (Applications → Add application, type Generic): Crowd lets applications, not people, manage users over REST, and only from the addresses the application allows.',
    credentialLink: {
      label: 'Adding an application to Crowd',
      url: 'https://confluence.atlassian.com/crowd/adding-an-application-18579591.html',
    },
    urlExample: 'https://crowd.example.com/crowd',
    adminGroups: ['crowd-administrators'],
  },
  scim: {
    product: 'scim',
    label: 'SCIM 2.0',
    shortLabel: 'SCIM',
    credential: 'bearer-token',
    secretLabel: 'Bearer token',
    credentialWhy:
      "The SCIM service's bearer token (for Atlassian Cloud: the API key of the identity provider's directory in Atlassian Administration).",
    credentialLink: {
      label: 'Atlassian Cloud user provisioning',
      url: 'https://support.atlassian.com/provisioning-users/docs/understand-user-provisioning/',
    },
    urlExample: 'https://api.atlassian.com/scim/directory/{directoryId}',
    adminGroups: [],
  },
};

/** What "disable" means in Bitbucket, which cannot deactivate a user. */
export const bitbucketDisableModes = ['unlicense', 'delete'] as const;
export type BitbucketDisableMode = (typeof bitbucketDisableModes)[number];

/** SCIM presets: a service's known rules (Atlassian Cloud hides deactivated users from lists). */
export const scimPresets = ['generic', 'atlassian-cloud'] as const;
export type ScimPreset = (typeof scimPresets)[number];

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
  /** Bitbucket: the administrator's username; Crowd: the application name. The password is in the vault. */
  username: z.string().trim().min(1).max(255).optional(),
  /** Bitbucket: what "disable" means there (default: remove from the groups that grant a licence). */
  bitbucketDisable: z.enum(bitbucketDisableModes).optional(),
  /** SCIM: the service's preset (default generic). */
  scimPreset: z.enum(scimPresets).optional(),
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
