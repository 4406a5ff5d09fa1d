/** The notification an unattended run the safety brake held sends (the admin watching a manual run sees it). */
import type { SyncOutcome } from '../../../shared/contract/sync';
import { localTargetId } from '../../../shared/targets';
import type { Notification } from '../ports';

/** What to notify about a finished run, or undefined when it needs no notification. */
export function blockedRunNotification(
  outcome: SyncOutcome,
  targets: () => readonly { readonly id: string; readonly name: string }[],
): Notification | undefined {
  const { run } = outcome;
  // The admin watching a manual run sees the result on screen; unattended runs that need a decision say so.
  if (run.dryRun || run.trigger === 'manual' || run.status !== 'blocked') return undefined;
  const remote = run.targetId && run.targetId !== localTargetId ? targets().find((t) => t.id === run.targetId) : undefined;
  return {
    id: `sync-blocked-${run.id}`,
    title: remote ? `Sync into ${remote.name} held by the safety brake` : 'Sync held by the safety brake',
    body: `The planned changes${remote ? ` to ${remote.name}` : ''} would disable or delete more users than the safety threshold allows. Review the plan and confirm it, or fix the sync settings.`,
    severity: 'warning',
    action: 'history',
  };
}
