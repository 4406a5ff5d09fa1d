import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons';
import type { PlanFreshness, PlanOutdatedReason } from '../../shared/contract/sync';

const reasonWords: Record<PlanOutdatedReason, string> = {
  settings: 'The settings changed since this dry run.',
  directory: 'A sync has run since.',
  unknown: 'It is not known which settings this dry run used (it was made by the terminal or an earlier version).',
};

/** Why a dry run no longer describes what a sync would do now; empty when it still does. */
export function outdatedReasons(freshness: PlanFreshness | undefined): readonly PlanOutdatedReason[] {
  return freshness?.outdated ?? [];
}

/** "This plan is outdated", why, and the way on: a new dry run (the old one can no longer be applied). */
export function PlanOutdated(props: { reasons: readonly PlanOutdatedReason[]; disabled: boolean; onDryRun: () => void }) {
  if (props.reasons.length === 0) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="plan-outdated">
      <MessageBarBody>
        <MessageBarTitle>This plan is outdated</MessageBarTitle>
        {props.reasons.map((r) => reasonWords[r]).join(' ')} It no longer shows what a sync would do, so it cannot be applied: run
        a new dry run.
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" icon={<ArrowSync20Regular />} disabled={props.disabled} onClick={props.onDryRun}>
          Run a new dry run
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
