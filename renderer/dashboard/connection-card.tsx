import { Badge, Body1, Button, Caption1 } from '@fluentui/react-components';
import { ArrowClockwise16Regular } from '@fluentui/react-icons';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { formatDateTime, formatRelative } from '../sync/format';
import { problemsText } from '../validation/problem-words';
import { ValidationPanel, verdictOf } from '../validation/validation-panel';
import { useConnectionTest } from '../validation/use-connection-test';
import { DashboardCard, useCardStyles } from './dashboard-card';

/** The saved connection, its last validation, and "Test again" (the full check list opens when one fails). */
export function ConnectionCard(props: { connection: ConnectionSummary | undefined }) {
  const styles = useCardStyles();
  const test = useConnectionTest();
  const c = props.connection;
  const last = c?.lastValidation;
  const state = !last
    ? 'untested'
    : !last.requiredPassed
      ? 'failing'
      : last.ok && last.counts.warning === 0 && last.counts.fail === 0
        ? 'ok'
        : 'warning';
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const badge = {
    ok: { color: 'success', text: 'Working' },
    warning: { color: 'warning', text: 'Working, with warnings' },
    failing: { color: 'danger', text: 'Not working' },
    untested: { color: 'informative', text: 'Not tested yet' },
  } as const;
  const verdict = test.report || test.running ? verdictOf(test.report, test.running) : null;

  return (
    <DashboardCard
      title="Connection"
      testId="connection-card"
      actions={
        <Button
          size="small"
          icon={<ArrowClockwise16Regular />}
          disabled={test.running || !c?.complete}
          onClick={() => void test.run({})}
        >
          {test.running ? 'Testing…' : 'Test again'}
        </Button>
      }
    >
      <div className={styles.row}>
        <Badge appearance="filled" color={badge[state].color}>
          {badge[state].text}
        </Badge>
        {c?.demo && (
          <Badge appearance="outline" color="warning">
            DEMO tenant
          </Badge>
        )}
      </div>
      {c ? (
        <Caption1>
          Tenant {c.tenantId || '—'} · App {c.clientId || '—'} · Secret {c.secretHint || 'not saved'}
          {c.secretInMemory ? ' (kept in memory only: lost when the app quits)' : ''}
        </Caption1>
      ) : (
        <Caption1>Loading…</Caption1>
      )}
      <Body1>
        {last
          ? `Last tested ${formatRelative(last.at)} (${formatDateTime(last.at)}): ${plural(last.counts.pass, 'check', 'checks')} passed${
              last.counts.warning ? `, ${plural(last.counts.warning, 'warning', 'warnings')}` : ''
            }${last.counts.fail ? `, ${last.counts.fail} failed` : ''}.`
          : 'The connection has not been tested yet.'}
      </Body1>
      {last && last.problems.length > 0 && !test.report && (
        <Caption1 className={styles.muted}>Problems: {problemsText(last.problems)}.</Caption1>
      )}
      {verdict && !test.running && test.report && (
        <Body1 role="status">
          {verdict.title}: {verdict.body}
        </Body1>
      )}
      {(test.running || test.error || (test.report && verdict?.intent !== 'success')) && (
        <ValidationPanel report={test.report} running={test.running} error={test.error} heading="Connection test" />
      )}
    </DashboardCard>
  );
}
