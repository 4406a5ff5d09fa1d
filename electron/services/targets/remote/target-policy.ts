import type { SyncPolicyInput } from '../../../../shared/sync';
import type { TargetConfig } from '../../../../shared/targets';

/**
 * The policy a target syncs with: its own or the global one; groups that vanish from Entra are deleted only when the
 * admin chose it for this target (a product's group deletion cannot be undone).
 */
export function targetPolicy(config: TargetConfig, globalPolicy: SyncPolicyInput): SyncPolicyInput {
  const base: SyncPolicyInput = config.sync === 'inherit' ? globalPolicy : config.sync;
  if (config.deleteVanishedGroups) return base;
  return { ...base, cleanup: { ...base.cleanup, vanishedGroups: 'keep' } };
}
