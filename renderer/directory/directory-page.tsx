import {
  Badge,
  Body1,
  Caption1,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Tab,
  TabList,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Search16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DirectoryGroupRow, DirectoryUserRow } from '../../shared/sync';
import { ApiError, call, on } from '../api/client';
import { useLatestRead } from '../api/use-live';
import type { PageProps } from '../app/page-ids';
import { ErrorHelp } from '../sync/error-help';
import { formatCount } from '../sync/format';
import { MembershipPanel } from './membership-panel';
import { usePagedRows } from './use-paged-rows';
import { VirtualTable, type VirtualColumn } from './virtual-table';
import { DemoDataLabel } from '../app/demo-label';

type TabId = 'users' | 'groups';
type ActiveFilter = 'all' | 'active' | 'inactive';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  search: { minWidth: '260px', flexGrow: 1, maxWidth: '420px' },
  body: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(240px, 320px)',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 1100px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
});

const userColumns: readonly VirtualColumn<DirectoryUserRow>[] = [
  { key: 'username', header: 'Username', width: 'minmax(140px, 2fr)', render: (u) => u.username },
  { key: 'name', header: 'Name', width: 'minmax(100px, 1.5fr)', render: (u) => u.displayName ?? '' },
  { key: 'email', header: 'E-mail', width: 'minmax(100px, 2fr)', render: (u) => u.email ?? '' },
  {
    key: 'active',
    header: 'State',
    width: '84px',
    render: (u) => (
      <Badge appearance="tint" color={u.active ? 'success' : 'subtle'} size="small">
        {u.active ? 'Active' : 'Inactive'}
      </Badge>
    ),
  },
  { key: 'groups', header: 'Groups', width: '70px', align: 'end', render: (u) => formatCount(u.groupCount) },
];

const groupColumns: readonly VirtualColumn<DirectoryGroupRow>[] = [
  { key: 'name', header: 'Group', width: 'minmax(160px, 2fr)', render: (g) => g.name },
  { key: 'description', header: 'Description', width: 'minmax(120px, 3fr)', render: (g) => g.description ?? '' },
  { key: 'members', header: 'Members', width: '90px', align: 'end', render: (g) => formatCount(g.memberCount) },
];

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The embedded directory: users and groups with search, a user's groups and a group's members, and exports. */
export function DirectoryPage(_props: PageProps) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>('users');
  const [search, setSearch] = useState('');
  const [activeFilter, setActiveFilter] = useState<ActiveFilter>('all');
  const [selected, setSelected] = useState<
    { kind: 'user'; row: DirectoryUserRow } | { kind: 'group'; row: DirectoryGroupRow } | null
  >(null);
  const [syncs, setSyncs] = useState(0);
  const query = useDebounced(search.trim(), 250);
  const active = activeFilter === 'all' ? undefined : activeFilter === 'active';

  // Read again after each applied sync; an earlier answer arriving after a later one is dropped.
  const { value: summary, error: summaryFailure } = useLatestRead(syncs, () => call('directory:summary', undefined));
  const summaryError = summaryFailure && {
    code: summaryFailure instanceof ApiError ? summaryFailure.code : 'internal-error',
    message: summaryFailure.message,
  };
  // The directory changes when a sync applies: reload what is shown.
  useEffect(() => on('sync:finished', (o) => !o.run.dryRun && setSyncs((n) => n + 1)), []);

  const users = usePagedRows<DirectoryUserRow>(
    `users|${query}|${activeFilter}|${syncs}`,
    useCallback((offset, limit) => call('directory:users', { search: query, offset, limit, active }), [query, active]),
  );
  const groups = usePagedRows<DirectoryGroupRow>(
    `groups|${query}|${syncs}`,
    useCallback((offset, limit) => call('directory:groups', { search: query, offset, limit }), [query]),
  );
  const list = tab === 'users' ? users : groups;
  const resetKey = `${tab}|${query}|${activeFilter}|${syncs}`;

  const exports = useMemo(
    () =>
      (['users', 'groups', 'memberships'] as const).map((kind) => ({
        kind,
        load: (format: 'csv' | 'json') => call('directory:export', { kind, format }),
      })),
    [],
  );

  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">Directory</Title1>
        <DemoDataLabel>
          The demo tenant’s own directory. Yours is kept apart and shows again when you leave the demo tenant.
        </DemoDataLabel>
        <Body1>
          The embedded directory the sync writes to.{' '}
          {summary &&
            `${formatCount(summary.users)} users (${formatCount(summary.activeUsers)} active), ${formatCount(summary.groups)} groups, ${formatCount(summary.memberships)} memberships.`}
        </Body1>
      </header>
      {summaryError && <ErrorHelp title="The directory could not be read" error={summaryError} />}
      <TabList
        selectedValue={tab}
        onTabSelect={(_, d) => {
          setTab(d.value as TabId);
          setSelected(null);
        }}
        aria-label="Directory content"
      >
        <Tab value="users">Users{summary ? ` (${formatCount(summary.users)})` : ''}</Tab>
        <Tab value="groups">Groups{summary ? ` (${formatCount(summary.groups)})` : ''}</Tab>
      </TabList>
      <div className={styles.toolbar}>
        <Field
          label={tab === 'users' ? 'Search users (username, name or e-mail)' : 'Search groups (name or description)'}
          className={styles.search}
        >
          <Input
            contentBefore={<Search16Regular />}
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            placeholder="Contains…"
          />
        </Field>
        {tab === 'users' && (
          <Field label="State">
            <Dropdown
              value={{ all: 'All users', active: 'Active only', inactive: 'Inactive only' }[activeFilter]}
              selectedOptions={[activeFilter]}
              onOptionSelect={(_, d) => setActiveFilter(d.optionValue as ActiveFilter)}
            >
              <Option value="all">All users</Option>
              <Option value="active">Active only</Option>
              <Option value="inactive">Inactive only</Option>
            </Dropdown>
          </Field>
        )}
        <Caption1 aria-live="polite" data-testid="directory-total">
          {list.total === null
            ? 'Searching…'
            : `${formatCount(list.total)} ${tab === 'users' ? 'users' : 'groups'}${query ? ` match “${query}”` : ''}`}
        </Caption1>
      </div>
      {list.error && <ErrorHelp title="The list could not be loaded" error={list.error} onRetry={list.retry} />}
      <div className={styles.body}>
        {list.total === null && !list.error ? (
          <Spinner size="small" label="Loading…" />
        ) : tab === 'users' ? (
          <VirtualTable
            label="Users"
            total={users.total ?? 0}
            key={resetKey}
            columns={userColumns}
            rowAt={users.rowAt}
            ensureRange={users.ensureRange}
            rowKey={(u) => u.id}
            selectedKey={selected?.kind === 'user' ? selected.row.id : undefined}
            onOpen={(row) => setSelected({ kind: 'user', row })}
            height="max(300px, calc(100vh - 330px))"
          />
        ) : (
          <VirtualTable
            label="Groups"
            total={groups.total ?? 0}
            key={resetKey}
            columns={groupColumns}
            rowAt={groups.rowAt}
            ensureRange={groups.ensureRange}
            rowKey={(g) => g.id}
            selectedKey={selected?.kind === 'group' ? selected.row.id : undefined}
            onOpen={(row) => setSelected({ kind: 'group', row })}
            height="max(300px, calc(100vh - 330px))"
          />
        )}
        <MembershipPanel selected={selected} exports={exports} key={`${selected?.kind}:${selected?.row.id}:${syncs}`} />
      </div>
    </>
  );
}
