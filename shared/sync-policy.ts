/**
 * The sync policy: the settings schema with its defaults (scope, mapping, cleanup, names, safety, history). The
 * global sync settings and each target's own settings share it.
 */
import { z } from 'zod';
import { safetyPolicySchema } from './brake';
import { nameRulesSchema } from './name-rules';

/** Where a target username comes from. `upnLocalPart` is the UPN without `@domain`. */
export const usernameSources = ['upn', 'upnLocalPart', 'mail', 'mailNickname', 'onPremisesSamAccountName'] as const;
export type UsernameSource = (typeof usernameSources)[number];

/** Where an e-mail address comes from. */
export const emailSources = ['mail', 'upn'] as const;
export type EmailSource = (typeof emailSources)[number];

export const syncPolicySchema = z.object({
  users: z
    .object({
      /** `all` users, or only direct or nested members of `requiredGroupIds`. */
      scope: z.enum(['all', 'requiredGroups']).default('all'),
      requiredGroupIds: z.array(z.string().min(1)).default([]),
      /** Guests are `userType` Guest (their UPNs carry `#EXT#`). */
      guests: z.enum(['include', 'exclude']).default('include'),
      /** Accounts disabled in Entra: synced as inactive users, or left out (then the leaver rule applies). */
      disabledAccounts: z.enum(['inactive', 'exclude']).default('inactive'),
    })
    .default({ scope: 'all', requiredGroupIds: [], guests: 'include', disabledAccounts: 'inactive' }),
  groups: z
    .object({
      /** `all` groups, only the required groups, or groups whose name matches `namePattern`. */
      scope: z.enum(['all', 'requiredGroups', 'namePattern']).default('all'),
      /** Glob(s), case-insensitive, `*` and `?`, several separated by commas: `jira-*, confluence-*`. */
      namePattern: z.string().default(''),
      /** `direct`: a target group holds the Entra group's direct user members; `flatten`: also nested ones. */
      membership: z.enum(['direct', 'flatten']).default('direct'),
    })
    .default({ scope: 'all', namePattern: '', membership: 'direct' }),
  mapping: z
    .object({
      username: z.enum(usernameSources).default('upn'),
      /** Usernames are compared case-insensitively anyway; this decides how they are written. */
      lowercaseUsername: z.boolean().default(true),
      email: z.enum(emailSources).default('mail'),
      emailFallback: z.enum([...emailSources, 'none']).default('upn'),
    })
    .default({ username: 'upn', lowercaseUsername: true, email: 'mail', emailFallback: 'upn' }),
  cleanup: z
    .object({
      /** Users who leave scope or are deleted in Entra. */
      leavers: z.enum(['disable', 'delete', 'keep']).default('disable'),
      /** Synced groups that disappear from Entra or from the group scope. */
      vanishedGroups: z.enum(['delete', 'keep']).default('delete'),
    })
    .default({ leavers: 'disable', vanishedGroups: 'delete' }),
  /** Name conflicts: the duplicate group name rule, per-object names (shared/name-rules.ts). */
  names: nameRulesSchema.prefault({}),
  /** The safety brake's limits per users, groups and memberships (shared/brake.ts). */
  safety: safetyPolicySchema,
  history: z.object({ retentionDays: z.number().int().min(1).max(3650).default(90) }).default({ retentionDays: 90 }),
  /** A delta sync becomes a full read when the last full read is older than this (hours; 0: never). */
  fullReconcileHours: z.number().min(0).default(24),
});
export type SyncPolicy = z.infer<typeof syncPolicySchema>;
/** What a settings form may hold before defaults are applied. */
export type SyncPolicyInput = z.input<typeof syncPolicySchema>;

/** The policy a new install starts with. */
export function defaultSyncPolicy(): SyncPolicy {
  return syncPolicySchema.parse({});
}
