import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { TargetTestReport } from '../../../shared/contract/targets';
import { formatDateTime } from '../../sync/format';
import { CheckRow } from '../../validation/check-row';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** The verdict of a target's test in one line: what works, or the first thing that does not. */
export function targetVerdict(report: TargetTestReport) {
  const failed = report.checks.filter((c) => c.status === 'fail');
  const warned = report.checks.filter((c) => c.status === 'warning');
  const first = failed[0];
  if (first)
    return {
      intent: 'error' as const,
      title: 'The connection does not work yet',
      body: `${first.title}: ${first.message}${failed.length > 1 ? ` (${failed.length} checks failed.)` : ''}`,
    };
  const what = [report.product, report.version].filter(Boolean).join(' ') || 'Jira';
  if (warned.length > 0)
    return {
      intent: 'warning' as const,
      title: 'The connection works',
      body: `${what}: ${warned.length === 1 ? 'one check has a warning' : `${warned.length} checks have warnings`} worth a look.`,
    };
  return { intent: 'success' as const, title: 'All checks passed', body: `${what} is ready to be synced into.` };
}

/** A target's test: the verdict, then every check with its verdict, fix and link (the Entra test's rows). */
export function TargetChecks(props: { report: TargetTestReport; testId?: string }) {
  const styles = useStyles();
  const verdict = targetVerdict(props.report);
  return (
    <section className={styles.box} aria-label="Connection test" data-testid={props.testId ?? 'target-checks'}>
      <MessageBar intent={verdict.intent} data-testid="target-verdict" role="status">
        <MessageBarBody>
          <MessageBarTitle>{verdict.title}</MessageBarTitle>
          {verdict.body} Tested {formatDateTime(props.report.at)}.
        </MessageBarBody>
      </MessageBar>
      <ul className={styles.list} aria-label="Checks">
        {props.report.checks.map((check) => (
          <CheckRow key={check.id} check={check} />
        ))}
      </ul>
    </section>
  );
}

/** A request about targets that failed: the service's sentence already says what happened and what to do. */
export function TargetError(props: { title: string; error: { readonly message: string } }) {
  return (
    <MessageBar intent="error" layout="multiline" data-testid="target-error">
      <MessageBarBody>
        <MessageBarTitle>{props.title}</MessageBarTitle>
        {props.error.message}
      </MessageBarBody>
    </MessageBar>
  );
}
