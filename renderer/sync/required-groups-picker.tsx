import { Button, Caption1, Checkbox, Field, Input, Spinner, Tag, TagGroup, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwise16Regular, Search16Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { TenantGroupList, TenantGroupOption } from '../../shared/contract/sync';
import { call, type ApiError } from '../api/client';
import { ErrorHelp } from './error-help';
import { shortId } from '../../shared/name-rules';
import { formatCount, formatRelative } from './format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  searchRow: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  search: { flexGrow: 1 },
  results: {
    maxHeight: '240px',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
    display: 'flex',
    flexDirection: 'column',
  },
  label: { display: 'flex', flexDirection: 'column' },
  details: { color: tokens.colorNeutralForeground3 },
});

/** What tells two groups of one name apart: mail, the start of the object id, member count. */
function groupDetails(g: TenantGroupOption): string {
  const parts = [g.mail ?? 'no mail', `id ${shortId(g.id)}`];
  if (g.memberCount !== null) parts.push(`${formatCount(g.memberCount)} ${g.memberCount === 1 ? 'member' : 'members'}`);
  return parts.join(' · ');
}

function GroupLabel(props: { group: TenantGroupOption }) {
  const styles = useStyles();
  return (
    <span className={styles.label}>
      <span>{props.group.displayName ?? props.group.id}</span>
      <Caption1 className={styles.details}>{groupDetails(props.group)}</Caption1>
    </span>
  );
}

/** Picks the "required groups" from the tenant's groups (read from Graph), searchable, with the picks as tags. */
export function RequiredGroupsPicker(props: { value: readonly string[]; onChange: (ids: string[]) => void; invalid?: string }) {
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const [refresh, setRefresh] = useState(0);
  const [answer, setAnswer] = useState<{ key: string; list?: TenantGroupList; error?: { code: string; message: string } }>();
  const [known, setKnown] = useState<ReadonlyMap<string, TenantGroupOption>>(new Map());
  const selected = new Set(props.value);
  const includeKey = props.value.join(',');
  const requestKey = `${search}|${refresh}|${includeKey}`;
  const loading = answer?.key !== requestKey;
  const list = answer?.list;
  const error = answer?.key === requestKey ? answer.error : undefined;

  // "Read again" asks Graph once; the searches after it use that fresh copy.
  const refreshed = useRef(0);
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      const force = refresh > refreshed.current;
      refreshed.current = refresh;
      call('sync:tenantGroups', { search, include: includeKey ? includeKey.split(',') : [], limit: 100, refresh: force }).then(
        (result) => {
          if (stale) return;
          setAnswer({ key: requestKey, list: result });
          setKnown((prev) => new Map([...prev, ...[...result.items, ...result.included].map((g) => [g.id, g] as const)]));
        },
        (e: ApiError) =>
          !stale && setAnswer((prev) => ({ key: requestKey, list: prev?.list, error: { code: e.code, message: e.message } })),
      );
    }, 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [search, refresh, includeKey, requestKey]);

  /** A pick's name, with the start of its id when another group of the tenant has the same name. */
  const tagLabel = (id: string) => {
    const group = known.get(id);
    if (!group) return list ? `${id} (not found in the tenant)` : id;
    const name = group.displayName ?? id;
    const twin = [...known.values()].some((g) => g.id !== id && (g.displayName ?? '').toLowerCase() === name.toLowerCase());
    return twin ? `${name} (${shortId(id)})` : name;
  };
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.value, id] : props.value.filter((v) => v !== id));

  return (
    <div className={styles.root}>
      <Field
        label="Required groups"
        hint="Users who are members of any of these groups — directly or through nested groups — are synced."
        validationMessage={props.invalid}
        validationState={props.invalid ? 'error' : 'none'}
      >
        {props.value.length > 0 ? (
          <TagGroup aria-label="Chosen required groups" onDismiss={(_, d) => toggle(String(d.value), false)}>
            {props.value.map((id) => (
              <Tag key={id} value={id} dismissible dismissIcon={{ 'aria-label': `Remove ${known.get(id)?.displayName ?? id}` }}>
                {tagLabel(id)}
              </Tag>
            ))}
          </TagGroup>
        ) : (
          <Caption1>No group chosen yet.</Caption1>
        )}
      </Field>
      <div className={styles.searchRow}>
        <Field label="Find a group of the tenant" className={styles.search}>
          <Input
            contentBefore={<Search16Regular />}
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            placeholder="Group name contains…"
          />
        </Field>
        <Button icon={<ArrowClockwise16Regular />} onClick={() => setRefresh((n) => n + 1)} disabled={loading}>
          Read again
        </Button>
      </div>
      {error && <ErrorHelp title="The tenant's groups could not be listed" error={error} />}
      {loading && !list && !error && <Spinner size="tiny" label="Reading the tenant’s groups from Microsoft Graph…" />}
      {list && (
        <>
          <div className={styles.results} role="group" aria-label="Groups of the tenant">
            {list.items.length === 0 && <Caption1>No group name contains “{search}”.</Caption1>}
            {list.items.map((g) => (
              <Checkbox
                key={g.id}
                checked={selected.has(g.id)}
                onChange={(_, d) => toggle(g.id, d.checked === true)}
                label={<GroupLabel group={g} />}
              />
            ))}
          </div>
          <Caption1>
            {list.total > list.items.length
              ? `Showing ${formatCount(list.items.length)} of ${formatCount(list.total)} groups: type to narrow the list.`
              : `${formatCount(list.total)} ${list.total === 1 ? 'group' : 'groups'}.`}{' '}
            Read from Microsoft Graph {formatRelative(list.readAt)}.
          </Caption1>
        </>
      )}
    </div>
  );
}
