import { Body1, Button, Caption1, Card, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ExportResult } from '../../shared/contract/sync';
import type { DirectoryGroupRow, DirectoryUserRow } from '../../shared/sync';
import { call, type ApiError } from '../api/client';
import { ExportButtons } from '../history/export-buttons';
import { ErrorHelp } from '../sync/error-help';
import { formatCount, formatDateTime } from '../sync/format';

const pageSize = 200;

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, alignSelf: 'start' },
  card: { padding: tokens.spacingVerticalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, maxHeight: '320px', overflowY: 'auto', overflowWrap: 'anywhere' },
});

type Selected = { kind: 'user'; row: DirectoryUserRow } | { kind: 'group'; row: DirectoryGroupRow } | null;

/** The side panel: the chosen user's groups or the chosen group's members, and the directory's exports. */
export function MembershipPanel(props: {
  selected: Selected;
  exports: readonly { kind: 'users' | 'groups' | 'memberships'; load: (format: 'csv' | 'json') => Promise<ExportResult> }[];
}) {
  const styles = useStyles();
  const { selected } = props;
  const [names, setNames] = useState<string[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<{ code: string; message: string }>();

  const loadMore = (offset: number) => {
    if (!selected) return;
    const request =
      selected.kind === 'user'
        ? call('directory:userGroups', { userId: selected.row.id, offset, limit: pageSize }).then((p) => ({
            total: p.total,
            names: p.items.map((g) => g.name),
          }))
        : call('directory:groupMembers', { groupId: selected.row.id, offset, limit: pageSize }).then((p) => ({
            total: p.total,
            names: p.items.map((u) => `${u.username}${u.active ? '' : ' (inactive)'}`),
          }));
    request.then(
      (page) => {
        setNames((prev) => (offset === 0 ? page.names : [...prev, ...page.names]));
        setTotal(page.total);
      },
      (e: ApiError) => setError({ code: e.code, message: e.message }),
    );
  };
  // The panel is keyed by the selection, so this runs once per selected row.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => loadMore(0), []);

  return (
    <aside className={styles.panel} aria-label="Details">
      {selected ? (
        <Card className={styles.card} data-testid="membership-panel">
          <Subtitle2 as="h2">{selected.kind === 'user' ? selected.row.username : selected.row.name}</Subtitle2>
          {selected.kind === 'user' ? (
            <Caption1>
              {selected.row.displayName ?? ''} {selected.row.email ? `· ${selected.row.email}` : ''} ·{' '}
              {selected.row.active ? 'active' : 'inactive'} · updated {formatDateTime(selected.row.updatedAt)}
            </Caption1>
          ) : (
            <Caption1>
              {selected.row.description ?? 'No description'} · updated {formatDateTime(selected.row.updatedAt)}
            </Caption1>
          )}
          <Body1>
            {total === null
              ? 'Loading…'
              : selected.kind === 'user'
                ? `Member of ${formatCount(total)} groups`
                : `${formatCount(total)} members`}
          </Body1>
          {error && <ErrorHelp title="Could not load the memberships" error={error} />}
          {total === null && !error && <Spinner size="tiny" />}
          {names.length > 0 && (
            <ul className={styles.list} aria-label={selected.kind === 'user' ? 'Groups of the user' : 'Members of the group'}>
              {names.map((n, i) => (
                <li key={`${n}:${i}`}>
                  <Caption1>{n}</Caption1>
                </li>
              ))}
            </ul>
          )}
          {total !== null && names.length < total && (
            <Button size="small" onClick={() => loadMore(names.length)}>
              Show more ({formatCount(total - names.length)} left)
            </Button>
          )}
        </Card>
      ) : (
        <Card className={styles.card}>
          <Body1>Choose a user to see their groups, or a group to see its members.</Body1>
        </Card>
      )}
      <Card className={styles.card}>
        <Subtitle2 as="h2">Export</Subtitle2>
        {props.exports.map((e) => (
          <div key={e.kind}>
            <Caption1 block>{{ users: 'All users', groups: 'All groups', memberships: 'All memberships' }[e.kind]}</Caption1>
            <ExportButtons what={e.kind} load={e.load} />
          </div>
        ))}
      </Card>
    </aside>
  );
}
