import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import type { GuardVerdict, PlanRisk, SyncRunRecord } from '../../shared/sync';
import { formatCount } from './format';

type Held = Extract<GuardVerdict, { allowed: false }>;

/** "3 of 180 synced users (1.7%)". */
function riskText(risk: PlanRisk): string {
  const parts = [];
  if (risk.disabling > 0) parts.push(`disable ${formatCount(risk.disabling)}`);
  if (risk.deleting > 0) parts.push(`delete ${formatCount(risk.deleting)}`);
  return `${parts.join(' and ') || 'remove'} of ${formatCount(risk.syncedUsers)} synced users (${(risk.share * 100).toFixed(1)}%)`;
}

function limitText(limit: Held['limit']): string {
  const parts = [];
  if (limit.maxCount !== null) parts.push(`more than ${formatCount(limit.maxCount)} users`);
  if (limit.maxShare !== null) parts.push(`more than ${Math.round(limit.maxShare * 1000) / 10}% of synced users`);
  return parts.join(' or ');
}

/**
 * Why the safety brake held a plan, and the one-time confirmation. For a dry run it only warns: the brake holds
 * real runs, and a held run is what can be confirmed.
 */
export function SafetyBrake(props: {
  run: SyncRunRecord;
  guard: GuardVerdict | null;
  onReview?: () => void;
  /** Applies the held plan once; absent when it cannot be confirmed (already used, or a dry run). */
  onConfirm?: () => void;
  busy?: boolean;
}) {
  const held = props.guard && !props.guard.allowed ? props.guard : null;
  const what = held
    ? `This plan would ${riskText(held.risk)}. The safety brake stops a sync that would disable or delete ${limitText(held.limit)}.`
    : 'This plan would disable or delete more users than the safety threshold allows.';
  if (props.run.dryRun) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="safety-brake">
        <MessageBarBody>
          <MessageBarTitle>A real sync of this plan would be held by the safety brake</MessageBarTitle>
          {what} Nothing was changed. If these removals are expected, run Sync now and confirm the held plan once; if not, check
          the scope in Sync settings — a wrong group filter is the usual cause.
        </MessageBarBody>
      </MessageBar>
    );
  }
  const used = props.run.confirmedByRunId !== null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="safety-brake">
      <MessageBarBody>
        <MessageBarTitle>Held by the safety brake: nothing was changed</MessageBarTitle>
        {what}{' '}
        {used
          ? 'This plan was confirmed and applied by a later run.'
          : 'Review the users it would remove. If that is what you want, confirm once: the next run applies exactly these removals (a plan that removes anyone else is held again). If not, fix the scope in Sync settings. (threshold-exceeded)'}
      </MessageBarBody>
      <MessageBarActions>
        {props.onReview && <Button onClick={props.onReview}>Review the removals</Button>}
        {!used && props.onConfirm && (
          <Dialog>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary" disabled={props.busy}>
                Confirm and apply once…
              </Button>
            </DialogTrigger>
            <DialogSurface>
              <DialogBody>
                <DialogTitle>Apply the held plan?</DialogTitle>
                <DialogContent>
                  {held ? `The sync will ${riskText(held.risk)}.` : 'The sync will apply the held removals.'} This confirmation
                  works once, for exactly these removals. Disabled users can be enabled again by the next sync if they return to
                  scope; deleted users cannot be restored by this app.
                </DialogContent>
                <DialogActions>
                  <DialogTrigger disableButtonEnhancement>
                    <Button>Keep it held</Button>
                  </DialogTrigger>
                  <DialogTrigger disableButtonEnhancement>
                    <Button appearance="primary" onClick={props.onConfirm}>
                      Apply the removals
                    </Button>
                  </DialogTrigger>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        )}
      </MessageBarActions>
    </MessageBar>
  );
}
