import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Body1,
  Caption1,
  ToggleButton,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { describeRisk, isDestructiveKind } from '../../shared/brake';
import type { PlanSummary } from '../../shared/contract/sync';
import type { PlanCounts, PlanItemKind } from '../../shared/sync';
import { formatCount, kindDisplayOrder, kindLabels } from './format';

const useStyles = makeStyles({
  tiles: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: tokens.spacingHorizontalS },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    height: 'auto',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  number: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500 },
  danger: { color: tokens.colorPaletteRedForeground1 },
  // A zero tile is disabled (nothing to filter) but still read: Fluent's disabled grey is ~2:1 on its background, so
  // its text keeps a readable grey (≥ 4.5:1 in both themes) and is quieter by weight instead.
  zero: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightRegular },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** Counts per kind as toggle tiles: pressing one filters the item list to that kind. */
export function KindTiles(props: {
  counts: PlanCounts;
  selected?: PlanItemKind;
  onSelect?: (kind: PlanItemKind | undefined) => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.tiles} role="group" aria-label="Changes per kind">
      {kindDisplayOrder.map((kind) => {
        const n = props.counts[kind];
        return (
          <ToggleButton
            key={kind}
            className={styles.tile}
            checked={props.selected === kind}
            disabled={n === 0 || !props.onSelect}
            onClick={() => props.onSelect?.(props.selected === kind ? undefined : kind)}
            data-testid={`count-${kind}`}
            aria-label={`${kindLabels[kind]}: ${formatCount(n)}`}
          >
            <span
              className={mergeClasses(styles.number, n > 0 && isDestructiveKind(kind) && styles.danger, n === 0 && styles.zero)}
            >
              {formatCount(n)}
            </span>
            <Caption1 className={n === 0 ? styles.zero : undefined}>{kindLabels[kind]}</Caption1>
          </ToggleButton>
        );
      })}
    </div>
  );
}

/**
 * What was read and what is in scope, plus the plan's warnings (its name conflicts: RunConflicts, run-conflicts.tsx).
 * `applied`: the plan belongs to a run that applied it, so it is told as what was planned, not as what it "would" do.
 */
export function PlanFacts(props: { plan: PlanSummary; applied?: boolean }) {
  const styles = useStyles();
  const { scope, risk } = props.plan;
  return (
    <>
      <Body1>
        Read {formatCount(scope.sourceUsers)} users and {formatCount(scope.sourceGroups)} groups from Entra ID; in scope:{' '}
        {formatCount(scope.usersInScope)} users, {formatCount(scope.groupsInScope)} groups and{' '}
        {formatCount(scope.membershipsInScope)} memberships. {props.applied ? 'Its plan was to' : 'It would'} {describeRisk(risk)}
        .
      </Body1>
      {props.plan.warningTotal > 0 && (
        <Accordion collapsible multiple>
          {props.plan.warningTotal > 0 && (
            <AccordionItem value="warnings">
              <AccordionHeader>
                {formatCount(props.plan.warningTotal)} {props.plan.warningTotal === 1 ? 'warning' : 'warnings'}
              </AccordionHeader>
              <AccordionPanel>
                <ul className={styles.list}>
                  {props.plan.warnings.map((w) => (
                    <li key={`${w.code}:${w.externalId}`}>
                      <Caption1>{w.message}</Caption1>
                    </li>
                  ))}
                </ul>
              </AccordionPanel>
            </AccordionItem>
          )}
        </Accordion>
      )}
    </>
  );
}
