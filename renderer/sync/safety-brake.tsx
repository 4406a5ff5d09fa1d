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
import { describeCrossingsBySubject, describeKindCounts, describeRisk } from '../../shared/brake';
import type { GuardVerdict, SyncRunRecord } from '../../shared/sync';

type Held = Extract<GuardVerdict, { allowed: false }>;

/** The limits crossed, one line per kind, in the guard's words (the terminal host prints the same). */
function CrossedList(props: { held: Held }) {
  const lines = describeCrossingsBySubject(props.held.crossed);
  if (lines.length === 0) return null;
  return (
    <>
      {lines.length === 1 ? 'Limit crossed:' : 'Limits crossed:'}
      <ul data-testid="safety-brake-crossed">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}

/** What the plan takes away, and what a confirmation did not cover. */
function heldText(held: Held): string {
  const unconfirmed =
    held.code === 'confirmation-mismatch' && held.unconfirmed
      ? ` It also has ${describeKindCounts(held.unconfirmed)} that were not in the plan you confirmed.`
      : '';
  return `This plan would ${describeRisk(held.risk)}.${unconfirmed}`;
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
    ? heldText(held)
    : 'This plan would disable or delete more users, delete more groups or remove more memberships than the safety limits allow.';
  if (props.run.dryRun) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="safety-brake">
        <MessageBarBody>
          <MessageBarTitle>A real sync of this plan would be held by the safety brake</MessageBarTitle>
          {what} {held && <CrossedList held={held} />}
          Nothing was changed. If these removals are expected, run Sync now and confirm the held plan once; if not, check the
          scope in Sync settings — a wrong group filter is the usual cause.
        </MessageBarBody>
      </MessageBar>
    );
  }
  const used = props.run.confirmedByRunId !== null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="safety-brake">
      <MessageBarBody>
        <MessageBarTitle>Held by the safety brake: nothing was changed</MessageBarTitle>
        {what} {held && <CrossedList held={held} />}
        {used
          ? 'This plan was confirmed and applied by a later run.'
          : 'Review what it would remove. If that is what you want, confirm once: the next run applies exactly these removals (a plan that would remove anything else is held again). If not, fix the scope in Sync settings — a wrong group filter is the usual cause.'}
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
                <DialogContent data-testid="safety-brake-confirm-text">
                  {held ? `The sync will ${describeRisk(held.risk)}.` : 'The sync will apply the held removals.'}{' '}
                  {held && <CrossedList held={held} />}
                  This confirmation works once, for exactly these removals: a plan that would disable, delete or remove anything
                  else is held again. Disabled users can be enabled again by the next sync if they return to scope; deleted users
                  and groups cannot be restored by this app, and a group created again does not get back its permissions.
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
