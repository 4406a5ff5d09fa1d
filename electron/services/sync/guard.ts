import { planItemKey, type GuardVerdict, type Plan, type PlanItemKind, type SyncPolicy } from '../../../shared/sync';

/**
 * The safety brake, pure: a plan that would disable or delete more users than the policy allows is not applied.
 * The admin can confirm a blocked plan once; the confirmation covers exactly the destructive items that plan had,
 * so a later plan that would disable or delete anyone else is blocked again.
 */

/** The kinds the brake counts. */
export const destructiveKinds: readonly PlanItemKind[] = ['disable-user', 'delete-user'];

/** A blocked run's destructive item keys, confirmed by the admin. */
export interface Confirmation {
  readonly runId: string;
  readonly keys: ReadonlySet<string>;
}

/** Whether the plan crosses the policy's limit. */
export function exceedsThreshold(plan: Plan, safety: SyncPolicy['safety']): boolean {
  const destructive = plan.risk.disabling + plan.risk.deleting;
  if (destructive === 0) return false;
  const overCount = safety.maxCount !== null && destructive > safety.maxCount;
  const overShare = safety.maxShare !== null && plan.risk.share > safety.maxShare;
  return overCount || overShare;
}

/** Decides whether `plan` may be applied. */
export function checkPlan(plan: Plan, safety: SyncPolicy['safety'], confirmation?: Confirmation): GuardVerdict {
  if (!exceedsThreshold(plan, safety)) return { allowed: true };
  const { disabling, deleting, syncedUsers, share } = plan.risk;
  const limit = { maxShare: safety.maxShare, maxCount: safety.maxCount };
  const limitText = [
    safety.maxShare !== null ? `${Math.round(safety.maxShare * 100)}% of synced users` : null,
    safety.maxCount !== null ? `${safety.maxCount} users` : null,
  ]
    .filter(Boolean)
    .join(' or ');
  const what = `This plan would disable ${disabling} and delete ${deleting} of ${syncedUsers} synced users (${(share * 100).toFixed(1)}%)`;
  if (confirmation) {
    const outside = plan.items.filter(
      (item) => destructiveKinds.includes(item.kind) && !confirmation.keys.has(planItemKey(item)),
    ).length;
    if (outside === 0) return { allowed: true, confirmedRunId: confirmation.runId };
    return {
      allowed: false,
      code: 'confirmation-mismatch',
      message: `${what}, and ${outside} of those were not in the plan you confirmed. Review the new plan and confirm it.`,
      risk: plan.risk,
      limit,
    };
  }
  return {
    allowed: false,
    code: 'threshold-exceeded',
    message: `${what}, more than the safety limit (${limitText}). Nothing was changed. Review the plan and confirm it to apply it once.`,
    risk: plan.risk,
    limit,
  };
}
