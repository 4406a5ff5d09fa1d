/** The plan without its items: what the renderer and `sync:finished` get of a plan. */
import type { PlanSummary } from '../../../shared/contract/sync';
import type { Plan } from '../../../shared/sync';

const summaryListCap = 200;

/** The plan without its items, for the renderer and `sync:finished`. */
export function summarisePlan(plan: Plan): PlanSummary {
  return {
    counts: plan.counts,
    risk: plan.risk,
    scope: plan.scope,
    conflicts: plan.conflicts.slice(0, summaryListCap),
    conflictTotal: plan.conflicts.length,
    warnings: plan.warnings.slice(0, summaryListCap),
    warningTotal: plan.warnings.length,
  };
}
