import type { TargetSummary } from '../../shared/contract/targets';

/**
 * What leaving the demo tenant does to the demo's targets (the demo Jira and the other demo products): they stop
 * and are removed with the demo's history. Empty when there is none, so the leave text says nothing of targets.
 */
export function demoTargetsLeaveText(targets: readonly Pick<TargetSummary, 'name' | 'demo'>[]): string {
  const names = targets.filter((t) => t.demo).map((t) => `“${t.name}”`);
  if (names.length === 0) return '';
  if (names.length === 1)
    return `The demo target ${names[0]} stops and is removed too, with its sync history; targets you added yourself stay.`;
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `The demo targets ${list} stop and are removed too, with their sync history; targets you added yourself stay.`;
}
