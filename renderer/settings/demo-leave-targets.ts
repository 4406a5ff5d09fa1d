import type { TargetSummary } from '../../shared/contract/targets';

/**
 * What leaving the demo tenant does to the demo's targets (the demo Jira and the other demo products): they stop
 * and are removed with the demo's history. Empty when there is none, so the leave text says nothing of targets.
 */
export function demoTargetsLeaveText(
  targets: readonly (Pick<TargetSummary, 'name' | 'demo'> & Partial<Pick<TargetSummary, 'builtIn' | 'lastRun'>>)[],
): string {
  const names = targets.filter((t) => t.demo).map((t) => `“${t.name}”`);
  const demoText =
    names.length === 0
      ? ''
      : names.length === 1
        ? `The demo target ${names[0]} stops and is removed too, with its sync history; targets you added yourself stay.`
        : `The demo targets ${listed(names)} stop and are removed too, with their sync history; targets you added yourself stay.`;
  return [demoText, ownTargetsText(targets)].filter(Boolean).join(' ');
}

const listed = (names: readonly string[]) =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/**
 * A target of the admin's own that a sync wrote into during the demo keeps the demo's users and groups; what the sync
 * knew of them (links, history) goes with the demo, so the next sync will not manage or remove them: the admin
 * removes them in the product. Empty when no own target was synced into.
 */
function ownTargetsText(
  targets: readonly (Pick<TargetSummary, 'name' | 'demo'> & Partial<Pick<TargetSummary, 'builtIn' | 'lastRun'>>)[],
): string {
  const fed = targets.filter((t) => !t.demo && !t.builtIn && t.lastRun).map((t) => `“${t.name}”`);
  if (fed.length === 0) return '';
  const them = fed.length === 1 ? 'it' : 'them';
  return (
    `${listed(fed)} ${fed.length === 1 ? 'keeps' : 'keep'} the demo users and groups the sync wrote into ${them}: the ` +
    `sync forgets them with the demo and will not remove them later, so delete them there yourself (the demo users’ ` +
    `addresses end in @demo-tenant.onmicrosoft.com).`
  );
}
