import {
  Badge,
  Button,
  Caption1,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ChevronLeft16Regular, ChevronRight16Regular, Search16Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { isDestructiveKind } from '../../shared/brake';
import type { ItemOutcome, Paged, PlanCounts, PlanItemKind, SyncRunItemRecord } from '../../shared/sync';
import { call, type ApiError } from '../api/client';
import { ErrorHelp } from './error-help';
import { formatCount, kindDisplayOrder, kindLabels } from './format';

const pageSize = 50;

const outcomeLabels: Record<ItemOutcome, string> = {
  planned: 'Planned',
  applied: 'Applied',
  unchanged: 'Already so',
  failed: 'Failed',
  skipped: 'Skipped',
};

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  scroll: {
    maxHeight: 'max(320px, 60vh)',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  table: { tableLayout: 'fixed', width: '100%' },
  head: { position: 'sticky', top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground3 },
  kindCol: { width: '130px' },
  outcomeCol: { width: '110px' },
  cell: {
    overflowWrap: 'anywhere',
    verticalAlign: 'top',
    paddingTop: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalXS,
  },
  change: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalM },
  before: { color: tokens.colorPaletteRedForeground1, textDecorationLine: 'line-through' },
  after: { color: tokens.colorPaletteGreenForeground1 },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

/** `field: old → new` lines for an item's before and after values. */
function changeLines(before: unknown, after: unknown): { field: string; before?: string; after?: string }[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '∅' : String(v));
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].map((field) => ({
    field,
    ...(field in b ? { before: show(b[field]) } : {}),
    ...(field in a ? { after: show(a[field]) } : {}),
  }));
}

/** The items of a run (a plan preview or an applied run), paged from the history, filtered by kind and outcome. */
export function PlanItems(props: {
  runId: string;
  counts: PlanCounts;
  kind: PlanItemKind | undefined;
  onKindChange: (kind: PlanItemKind | undefined) => void;
  /** History: show what happened to each item and filter by it. */
  showOutcome?: boolean;
}) {
  const styles = useStyles();
  const { runId, kind } = props;
  const [outcome, setOutcome] = useState<ItemOutcome | undefined>();
  const [search, setSearch] = useState('');
  // The page position belongs to one filter: a new filter starts at the first page.
  const filterKey = JSON.stringify([runId, kind, outcome, search]);
  const [position, setPosition] = useState({ filterKey, offset: 0 });
  const offset = position.filterKey === filterKey ? position.offset : 0;
  const setOffset = (next: number) => setPosition({ filterKey, offset: next });
  const [result, setResult] = useState<{
    key: string;
    page?: Paged<SyncRunItemRecord>;
    error?: { code: string; message: string };
  }>();
  const requestKey = `${filterKey}|${offset}`;

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      call('sync:runItems', { runId, offset, limit: pageSize, kind, outcome, search: search.trim() || undefined }).then(
        (page) => !stale && setResult({ key: requestKey, page }),
        (e: ApiError) => !stale && setResult({ key: requestKey, error: { code: e.code, message: e.message } }),
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [runId, offset, kind, outcome, search, requestKey]);

  // While the next page loads, the previous one stays on screen (no flicker between pages).
  const page = result?.page;
  const error = result?.key === requestKey ? result.error : undefined;

  const kinds = kindDisplayOrder.filter((k) => props.counts[k] > 0);
  const first = page && page.total > 0 ? page.offset + 1 : 0;
  const last = page ? page.offset + page.items.length : 0;

  return (
    <div className={styles.root}>
      <div className={styles.filters}>
        <Field label="Kind of change">
          <Dropdown
            value={kind ? `${kindLabels[kind]} (${formatCount(props.counts[kind])})` : 'All kinds'}
            selectedOptions={[kind ?? 'all']}
            onOptionSelect={(_, d) => props.onKindChange(d.optionValue === 'all' ? undefined : (d.optionValue as PlanItemKind))}
          >
            <Option value="all">All kinds</Option>
            {kinds.map((k) => (
              <Option key={k} value={k} text={`${kindLabels[k]} (${formatCount(props.counts[k])})`}>
                {`${kindLabels[k]} (${formatCount(props.counts[k])})`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {props.showOutcome && (
          <Field label="Outcome">
            <Dropdown
              value={outcome ? outcomeLabels[outcome] : 'Any outcome'}
              selectedOptions={[outcome ?? 'any']}
              onOptionSelect={(_, d) => setOutcome(d.optionValue === 'any' ? undefined : (d.optionValue as ItemOutcome))}
            >
              <Option value="any">Any outcome</Option>
              {(Object.keys(outcomeLabels) as ItemOutcome[]).map((o) => (
                <Option key={o} value={o}>
                  {outcomeLabels[o]}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        <Field label="Find a user or group">
          <Input
            contentBefore={<Search16Regular />}
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            placeholder="Name contains…"
          />
        </Field>
      </div>
      {error && <ErrorHelp title="The items could not be loaded" error={error} />}
      {!page && !error && <Spinner size="small" label="Loading items…" />}
      {page && (
        <>
          <div className={styles.scroll} tabIndex={0} role="region" aria-label="Plan items, scrollable">
            <Table className={styles.table} aria-label="Plan items" size="small">
              <TableHeader className={styles.head}>
                <TableRow>
                  <TableHeaderCell className={styles.kindCol}>Change</TableHeaderCell>
                  <TableHeaderCell>User or group</TableHeaderCell>
                  <TableHeaderCell>Reason</TableHeaderCell>
                  <TableHeaderCell>Before → after</TableHeaderCell>
                  {props.showOutcome && <TableHeaderCell className={styles.outcomeCol}>Outcome</TableHeaderCell>}
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.items.map((item) => (
                  <TableRow key={item.seq} data-testid="plan-item">
                    <TableCell className={styles.cell}>
                      <Badge appearance="tint" color={isDestructiveKind(item.kind) ? 'danger' : 'brand'}>
                        {kindLabels[item.kind]}
                      </Badge>
                    </TableCell>
                    <TableCell className={styles.cell}>{item.label}</TableCell>
                    <TableCell className={styles.cell}>{item.reason}</TableCell>
                    <TableCell className={styles.cell}>
                      <div className={styles.change}>
                        {changeLines(item.before, item.after).map((line) => (
                          <Caption1 key={line.field}>
                            {line.field}: {line.before !== undefined && <span className={styles.before}>{line.before}</span>}
                            {line.before !== undefined && line.after !== undefined && ' → '}
                            {line.after !== undefined && <span className={styles.after}>{line.after}</span>}
                          </Caption1>
                        ))}
                      </div>
                    </TableCell>
                    {props.showOutcome && (
                      <TableCell className={styles.cell}>
                        <Badge
                          appearance="outline"
                          color={item.outcome === 'failed' ? 'danger' : item.outcome === 'applied' ? 'success' : 'informative'}
                        >
                          {outcomeLabels[item.outcome]}
                        </Badge>
                        {item.error && <Caption1 block>{item.error.message}</Caption1>}
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className={styles.pager}>
            <Caption1 aria-live="polite">
              {page.total === 0 ? 'No items match.' : `${formatCount(first)}–${formatCount(last)} of ${formatCount(page.total)}`}
            </Caption1>
            <Button
              size="small"
              icon={<ChevronLeft16Regular />}
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - pageSize))}
            >
              Previous
            </Button>
            <Button
              size="small"
              icon={<ChevronRight16Regular />}
              iconPosition="after"
              disabled={last >= page.total}
              onClick={() => setOffset(offset + pageSize)}
            >
              Next
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
