import { Badge, Body1, Button, Caption1, Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle20Filled,
  Circle20Regular,
  DismissCircle20Filled,
  Open16Regular,
  SubtractCircle20Regular,
  Warning20Filled,
} from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { CheckResult, CheckStatus } from '../../shared/validation';

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: '24px minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    borderLeft: `4px solid transparent`,
  },
  fail: { backgroundColor: tokens.colorPaletteRedBackground1, borderLeftColor: tokens.colorPaletteRedBorder2 },
  warning: { backgroundColor: tokens.colorPaletteYellowBackground1, borderLeftColor: tokens.colorPaletteMarigoldBorder2 },
  icon: { display: 'flex', paddingTop: '2px' },
  pass: { color: tokens.colorPaletteGreenForeground1 },
  failIcon: { color: tokens.colorPaletteRedForeground1 },
  // The status token (3:1 or more against the card in light and dark; Marigold is 2.6:1, below what an icon needs).
  warnIcon: { color: tokens.colorStatusWarningForeground3 },
  muted: { color: tokens.colorNeutralForeground3 },
  // Foreground2, not 3: the timing also sits on the red and yellow backgrounds of failed and warning checks.
  timing: { color: tokens.colorNeutralForeground2 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  titleLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  fix: { overflowWrap: 'anywhere' },
  details: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground2,
    overflowWrap: 'anywhere',
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', marginTop: tokens.spacingVerticalXS },
});

const statusLabel: Record<CheckStatus, string> = {
  pending: 'Waiting',
  running: 'Checking',
  pass: 'Passed',
  warning: 'Warning',
  fail: 'Failed',
  skipped: 'Skipped',
};

const badgeColor: Record<CheckStatus, 'success' | 'warning' | 'danger' | 'informative' | 'subtle' | 'brand'> = {
  pending: 'subtle',
  running: 'brand',
  pass: 'success',
  warning: 'warning',
  fail: 'danger',
  skipped: 'informative',
};

/** The icon of a status; the text label beside it carries the meaning for screen readers and colour blindness. */
export function StatusIcon(props: { status: CheckStatus }) {
  const styles = useStyles();
  switch (props.status) {
    case 'pass':
      return <CheckmarkCircle20Filled className={styles.pass} aria-hidden />;
    case 'warning':
      return <Warning20Filled className={styles.warnIcon} aria-hidden />;
    case 'fail':
      return <DismissCircle20Filled className={styles.failIcon} aria-hidden />;
    case 'skipped':
      return <SubtractCircle20Regular className={styles.muted} aria-hidden />;
    case 'running':
      return <Spinner size="extra-tiny" aria-hidden />;
    case 'pending':
      return <Circle20Regular className={styles.muted} aria-hidden />;
  }
}

/** What a row shows: an Entra check, or any other test's check in the same shape (a sync target's). */
export type CheckRowData = Omit<CheckResult, 'id' | 'code' | 'status' | 'details'> & {
  readonly id: string;
  readonly status: CheckStatus;
  readonly details: readonly string[];
};

/** One check: status, verdict, the fix and the portal link when it failed or warned, plus caller actions. */
export function CheckRow(props: { check: CheckRowData; actions?: ReactNode }) {
  const styles = useStyles();
  const { check } = props;
  const problem = check.status === 'fail' || check.status === 'warning';
  return (
    <li
      className={mergeClasses(styles.row, check.status === 'fail' && styles.fail, check.status === 'warning' && styles.warning)}
      data-testid={`check-${check.id}`}
      data-status={check.status}
      aria-labelledby={`check-${check.id}-title`}
    >
      <span className={styles.icon}>
        <StatusIcon status={check.status} />
      </span>
      <div className={styles.body}>
        <div className={styles.titleLine}>
          <Text weight="semibold" id={`check-${check.id}-title`}>
            {check.title}
          </Text>
          <Badge appearance="tint" color={badgeColor[check.status]} size="small">
            {statusLabel[check.status]}
          </Badge>
          <span className={styles.grow} />
          {check.ms > 0 && <Caption1 className={styles.timing}>{check.ms} ms</Caption1>}
        </div>
        {check.message && check.status !== 'running' && <Body1>{check.message}</Body1>}
        {problem && check.fix && (
          <Body1 className={styles.fix}>
            <Text weight="semibold">How to fix it: </Text>
            {check.fix}
          </Body1>
        )}
        {check.details.length > 0 && (
          <ul className={styles.details} aria-label={`${check.title}: details`}>
            {check.details.map((detail) => (
              <li key={detail}>
                <Caption1>{detail}</Caption1>
              </li>
            ))}
          </ul>
        )}
        {(problem || props.actions) && (check.link || props.actions) && (
          <div className={styles.actions}>
            {problem && check.link && (
              <Button as="a" href={check.link.url} target="_blank" rel="noreferrer" size="small" icon={<Open16Regular />}>
                {check.link.label}
              </Button>
            )}
            {props.actions}
          </div>
        )}
      </div>
    </li>
  );
}
