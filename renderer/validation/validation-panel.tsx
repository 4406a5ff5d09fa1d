import {
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular, Play20Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { requiredChecksPassed } from '../../shared/contract/connection';
import { checkIds, checkTitles, type CheckResult, type ValidationReport } from '../../shared/validation';
import { CheckRow } from './check-row';
import { CopyDiagnostics } from './copy-diagnostics';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  title: { margin: 0 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** What the panel says about a report, in one line (also read out by screen readers). */
export function verdictOf(report: ValidationReport | undefined, running: boolean) {
  if (!report) {
    return running
      ? { intent: 'info' as const, title: 'Testing…', body: 'Starting the checks.' }
      : {
          intent: 'info' as const,
          title: 'Not tested yet',
          body: 'Run the test to check every value against Microsoft Entra and Graph.',
        };
  }
  if (!report.done) {
    const finished = report.checks.filter((c) => c.status !== 'pending' && c.status !== 'running').length;
    return { intent: 'info' as const, title: 'Testing…', body: `${finished} of ${report.checks.length} checks done.` };
  }
  const failed = report.checks.filter((c) => c.status === 'fail');
  const warned = report.checks.filter((c) => c.status === 'warning');
  const first = failed[0];
  if (first) {
    return {
      intent: 'error' as const,
      title: requiredChecksPassed(report) ? 'The connection works, but a check failed' : 'The connection does not work yet',
      body: `${first.title}: ${first.message}${failed.length > 1 ? ` (${failed.length} checks failed.)` : ''}`,
    };
  }
  if (warned.length > 0) {
    return {
      intent: 'warning' as const,
      title: 'The connection works',
      body: `${warned.length === 1 ? 'One check has a warning' : `${warned.length} checks have warnings`} worth a look.`,
    };
  }
  return { intent: 'success' as const, title: 'All checks passed', body: `Finished in ${report.ms} ms.` };
}

/** Placeholder rows before the first progress snapshot arrives. */
function pendingChecks(): CheckResult[] {
  return checkIds.map((id) => ({
    id,
    title: checkTitles[id],
    status: 'pending',
    code: 'pending',
    message: '',
    fix: '',
    link: null,
    ms: 0,
    details: [],
  }));
}

/**
 * The live "Test connection" results: a verdict, then every check with its status, verdict, fix and portal link.
 * Reusable: the wizard adds "go to the step that fixes it" through `checkActions`; the dashboard can show it as is.
 */
export function ValidationPanel(props: {
  report: ValidationReport | undefined;
  running: boolean;
  error?: Error | undefined;
  onRun?: () => void;
  /** Extra buttons under a check (e.g. "Go to step 2"). */
  checkActions?: (check: CheckResult) => ReactNode;
  /** Values to scrub from copied diagnostics besides what the report already masks. */
  redact?: readonly string[];
  heading?: string;
  headingLevel?: 'h2' | 'h3';
}) {
  const styles = useStyles();
  const [copied, setCopied] = useState('');
  const verdict = verdictOf(props.report, props.running);
  const checks = props.report?.checks ?? pendingChecks();
  const heading = props.heading ?? 'Connection test';
  return (
    <Card className={styles.card} aria-labelledby="validation-panel-heading" data-testid="validation-panel">
      <div className={styles.header}>
        <Subtitle2 as={props.headingLevel ?? 'h3'} id="validation-panel-heading" className={styles.title}>
          {heading}
        </Subtitle2>
        <span className={styles.grow} />
        {props.report?.done && <CopyDiagnostics report={props.report} redact={props.redact ?? []} onCopied={setCopied} />}
        {props.onRun && (
          <Button
            appearance={props.report ? 'secondary' : 'primary'}
            icon={props.report ? <ArrowClockwise20Regular /> : <Play20Regular />}
            onClick={props.onRun}
            disabled={props.running}
          >
            {props.running ? 'Testing…' : props.report ? 'Test again' : 'Test connection'}
          </Button>
        )}
      </div>
      <MessageBar intent={verdict.intent} layout="multiline" role="status" aria-live="polite">
        <MessageBarBody>
          <MessageBarTitle>{verdict.title}</MessageBarTitle>
          {verdict.body}
        </MessageBarBody>
      </MessageBar>
      {props.error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The test could not run</MessageBarTitle>
            {props.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <ul className={styles.list} aria-label="Checks">
        {checks.map((check) => (
          <CheckRow key={check.id} check={check} actions={props.checkActions?.(check)} />
        ))}
      </ul>
      <Caption1 className={styles.muted} aria-live="polite">
        {copied ||
          (props.report?.done
            ? `${props.report.requests} ${props.report.requests === 1 ? 'request' : 'requests'}${props.report.retest ? ', with a fresh token' : ''}. Started ${new Date(props.report.startedAt).toLocaleTimeString()}.`
            : '')}
      </Caption1>
    </Card>
  );
}
