import {
  describeCrossings,
  describeKindCounts,
  describeRisk,
  destructivePlanItemKinds,
  isDestructiveKind,
  type BrakeCrossing,
  type BrakeSubject,
  type DestructiveKind,
  type SafetyPolicy,
} from '../../../shared/brake';
import { planItemKey, type GuardVerdict, type Plan, type PlanRisk } from '../../../shared/sync';

/**
 * The safety brake, pure: a plan that would disable or delete more users, delete more groups or remove more
 * memberships than the policy allows is not applied. The admin can confirm a held plan once; the confirmation
 * covers exactly the destructive items that plan had, so a later plan that would take anything else away is held
 * again.
 */

/** A held run's destructive item keys, confirmed by the admin. */
export interface Confirmation {
  readonly runId: string;
  readonly keys: ReadonlySet<string>;
}

/** Per subject: how many the plan takes away, that as a share, and the two limits that apply. */
function measures(risk: PlanRisk, safety: SafetyPolicy) {
  return [
    ['users', risk.disabling + risk.deleting, risk.share, safety.maxCount, safety.maxShare],
    ['groups', risk.deletingGroups, risk.groupShare, safety.maxGroupCount, safety.maxGroupShare],
    ['memberships', risk.removingMembers, risk.membershipShare, safety.maxMembershipCount, safety.maxMembershipShare],
  ] as const satisfies readonly (readonly [BrakeSubject, number, number, number | null, number | null])[];
}

/** The limits the plan crosses (none: it may be applied without a confirmation). */
export function crossedLimits(risk: PlanRisk, safety: SafetyPolicy): BrakeCrossing[] {
  const crossed: BrakeCrossing[] = [];
  for (const [subject, count, share, maxCount, maxShare] of measures(risk, safety)) {
    if (maxCount !== null && count > maxCount) crossed.push({ subject, by: 'count', limit: maxCount, actual: count });
    if (maxShare !== null && share > maxShare) crossed.push({ subject, by: 'share', limit: maxShare, actual: share });
  }
  return crossed;
}

/** Decides whether `plan` may be applied. */
export function checkPlan(plan: Plan, safety: SafetyPolicy, confirmation?: Confirmation): GuardVerdict {
  const crossed = crossedLimits(plan.risk, safety);
  if (crossed.length === 0) return { allowed: true };
  const what = `This plan would ${describeRisk(plan.risk)}`;
  const limits = `It crosses the safety ${crossed.length === 1 ? 'limit' : 'limits'}: ${describeCrossings(crossed)}.`;
  const held = { allowed: false, risk: plan.risk, limit: safety, crossed } as const;
  if (confirmation) {
    const unconfirmed = Object.fromEntries(destructivePlanItemKinds.map((k) => [k, 0])) as Record<DestructiveKind, number>;
    let outside = 0;
    for (const item of plan.items) {
      if (isDestructiveKind(item.kind) && !confirmation.keys.has(planItemKey(item))) {
        unconfirmed[item.kind]++;
        outside++;
      }
    }
    if (outside === 0) return { allowed: true, confirmedRunId: confirmation.runId };
    return {
      ...held,
      code: 'confirmation-mismatch',
      message: `${what}. ${limits} It also has ${describeKindCounts(unconfirmed)} that were not in the plan you confirmed. Nothing was changed. Review the new plan and confirm it.`,
      unconfirmed,
    };
  }
  return {
    ...held,
    code: 'threshold-exceeded',
    message: `${what}. ${limits} Nothing was changed. Review the plan and confirm it to apply it once.`,
  };
}
