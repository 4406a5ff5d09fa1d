import { Body1, Button, Caption1, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { Dismiss16Regular } from '@fluentui/react-icons';
import type { ActiveRun } from '../../shared/contract/sync';
import { localTargetId } from '../../shared/targets';
import { useTargets } from '../settings/targets/use-targets';
import { formatCount, phaseLabels } from './format';
import { paceWords } from './pace-words';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, justifyContent: 'space-between' },
});

/** The running sync: phase, a bar (determinate once the total is known), counts, rate, a remote pace and Cancel. */
export function SyncProgress(props: { active: ActiveRun; onCancel?: () => void }) {
  const styles = useStyles();
  const { list } = useTargets();
  const p = props.active.progress;
  // With targets beside the embedded directory, which one this part of the run writes to ("Jira production: …").
  const remote = list?.targets.some((t) => !t.builtIn) ?? false;
  const where =
    p?.targetId && p.phase !== 'reading-source' && p.phase !== 'starting' && (remote || p.targetId !== localTargetId)
      ? list?.targets.find((t) => t.id === p.targetId)?.name
      : undefined;
  const phase = p ? `${where ? `${where}: ` : ''}${phaseLabels[p.phase]}` : 'Connecting to Entra ID';
  const value = p && p.total !== null && p.total > 0 ? Math.min(1, p.done / p.total) : undefined;
  const counts = p
    ? p.total !== null
      ? `${formatCount(p.done)} of ${formatCount(p.total)}`
      : p.done > 0
        ? `${formatCount(p.done)} read`
        : ''
    : '';
  const rate = p?.ratePerSecond ? ` · ${formatCount(p.ratePerSecond)}/s` : '';
  // A remote target's calls: "42 requests/s, limited by Jira".
  const pace = p?.pace ? ` · ${paceWords(p.pace)}` : '';
  return (
    <div className={styles.root} data-testid="sync-progress" role="status" aria-live="polite">
      <div className={styles.line}>
        <Body1>
          {props.active.dryRun ? 'Dry run: ' : ''}
          {phase}…
        </Body1>
        {props.onCancel && (
          <Button size="small" icon={<Dismiss16Regular />} onClick={props.onCancel}>
            Cancel sync
          </Button>
        )}
      </div>
      <ProgressBar value={value} thickness="large" aria-label={`Sync progress: ${phase}`} />
      <Caption1>
        {counts}
        {rate}
        {pace}
      </Caption1>
    </div>
  );
}
