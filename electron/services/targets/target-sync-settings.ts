/**
 * The per-target sync settings of the target admin: a target's own sync policy or the global one it inherits, with its
 * matching and protection rules (match by email, protected groups, deleting vanished groups), read and saved into the
 * `targets` settings section. Emitting `targets:changed` after a save is the caller's `changed`.
 *
 * ```ts
 * const sync = createTargetSyncSettings({ find, writeTargets, logger, changed });
 * const settings = await sync.saveSync({ id, inherit: true, matchByEmail, protectedGroups, deleteVanishedGroups }, global);
 * ```
 */
import type { z } from 'zod';
import type { TargetSyncSettings, targetsRequests } from '../../../shared/contract/targets';
import { AppError } from '../../../shared/errors';
import { syncPolicySchema, type SyncPolicy } from '../../../shared/sync-policy';
import { targetConfigSchema, targetProductInfo, type TargetConfig } from '../../../shared/targets';
import type { Logger } from '../ports';

export type TargetSyncInput = z.infer<(typeof targetsRequests)['targets:saveSync']>;

export interface TargetSyncSettingsOptions {
  readonly logger: Logger;
  /** A saved target; undefined when there is no such target. */
  find(id: string): TargetConfig | undefined;
  writeTargets(change: (targets: TargetConfig[]) => TargetConfig[]): void;
  /** Tells the windows the targets changed. */
  changed(): void;
}

export interface TargetSyncSettingsAdmin {
  /** A target's sync settings (its own, or the global ones it inherits) and its matching and protection rules. */
  getSync(id: string, global: SyncPolicy): TargetSyncSettings;
  saveSync(input: TargetSyncInput, global: SyncPolicy): Promise<TargetSyncSettings>;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function syncSettings(config: TargetConfig, global: SyncPolicy): TargetSyncSettings {
  return {
    id: config.id,
    name: config.name,
    product: config.product,
    inherit: config.sync === 'inherit',
    policy: config.sync === 'inherit' ? global : syncPolicySchema.parse(config.sync),
    matchByEmail: config.matchByEmail,
    protectedGroups: config.protectedGroups,
    deleteVanishedGroups: config.deleteVanishedGroups,
    adminGroups: targetProductInfo[config.product].adminGroups,
  };
}

export function createTargetSyncSettings(options: TargetSyncSettingsOptions): TargetSyncSettingsAdmin {
  const { logger, writeTargets, changed } = options;

  function mustFind(id: string): TargetConfig {
    const config = options.find(id);
    if (!config)
      throw new AppError('target-not-found', 'That target no longer exists. It may have been removed in another window.');
    return config;
  }

  return {
    getSync: (id, global) => syncSettings(mustFind(id), global),
    async saveSync(input, global) {
      const config = mustFind(input.id);
      if (!input.inherit && !input.policy)
        throw new AppError('target-sync-missing', 'Give the target its own settings, or let it use the global ones.');
      const policy = input.inherit ? undefined : syncPolicySchema.parse(input.policy);
      if (policy && (policy.users.scope === 'requiredGroups' || policy.groups.scope === 'requiredGroups'))
        if (policy.users.requiredGroupIds.length === 0)
          throw new AppError('required-groups-empty', 'Pick at least one required group, or sync all users and groups.');
      const seen = new Set<string>();
      const protectedGroups = input.protectedGroups
        .map((g) => g.trim())
        .filter((g) => g !== '' && !seen.has(lower(g)) && seen.add(lower(g)));
      const next = targetConfigSchema.parse({
        ...config,
        sync: policy ?? 'inherit',
        matchByEmail: input.matchByEmail,
        protectedGroups,
        deleteVanishedGroups: input.deleteVanishedGroups,
      });
      writeTargets((targets) => targets.map((t) => (t.id === next.id ? next : t)));
      logger.info('targets: sync settings saved', {
        id: next.id,
        inherit: next.sync === 'inherit',
        protectedGroups: protectedGroups.length,
        matchByEmail: next.matchByEmail,
        deleteVanishedGroups: next.deleteVanishedGroups,
      });
      changed();
      return syncSettings(next, global);
    },
  };
}
