import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
} from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { Cloud } from '../../shared/clouds';
import { requiredChecksPassed, type ConnectionSummary } from '../../shared/contract/connection';
import type { CheckResult } from '../../shared/validation';
import type { ConnectionTestState } from '../validation/use-connection-test';
import { ValidationPanel } from '../validation/validation-panel';
import { goToStepLabel, stepForCheck, stepNumber, stepTitles, type WizardStep } from './wizard-steps';
import { useStepStyles } from './wizard-styles';

/** Step 5: the live validation panel; every failure links back to the step that fixes it. */
export function StepTest(props: {
  connection: ConnectionSummary;
  cloud: Cloud;
  test: ConnectionTestState;
  onRun: () => void;
  /** The secret typed in step 4 (not yet saved), scrubbed from copied diagnostics. */
  secret: string;
  goTo: (step: WizardStep) => void;
  onManualExpiry: (expiresAt: string | null) => void;
  onWeakStorage: (store: boolean) => void;
  /** False where the steps carry no numbers (Settings → Edit connection): links name the section only. */
  numbered?: boolean;
}) {
  const styles = useStepStyles();
  const numbered = props.numbered ?? true;
  const { connection, test } = props;
  const report = test.report;
  const passed = report !== undefined && requiredChecksPassed(report);
  const expiryUnknown = report?.done && report.checks.some((c) => c.id === 'expiry' && c.code === 'secret-expiry-unknown');

  const checkActions = (check: CheckResult) => {
    if (check.status !== 'fail' && check.status !== 'warning') return null;
    const step = stepForCheck(check);
    if (!step) return null;
    return (
      <Button size="small" icon={<ArrowLeft20Regular />} onClick={() => props.goTo(step)}>
        {goToStepLabel(step, numbered)}
      </Button>
    );
  };

  return (
    <div className={styles.step}>
      <Body1>
        Each value is checked against {connection.demo ? 'the demo tenant' : 'Microsoft Entra and Microsoft Graph'}:{' '}
        <Text weight="semibold">{props.cloud.label}</Text>, tenant{' '}
        <Text weight="semibold">{connection.tenantId || '(none)'}</Text>, application{' '}
        <Text weight="semibold">{connection.clientId || '(none)'}</Text>, secret{' '}
        <Text weight="semibold">
          {props.secret
            ? numbered
              ? `as typed in step ${stepNumber('values')}`
              : `as typed in ${stepTitles.values}`
            : // A hint without a secret behind it (gone with the restart) is not the secret tested.
              (connection.secretStored || connection.secretInMemory ? connection.secretHint : '') || '(none)'}
        </Text>
        .
      </Body1>
      <ValidationPanel
        report={report}
        running={test.running}
        error={test.error}
        onRun={props.onRun}
        checkActions={checkActions}
        redact={props.secret ? [props.secret] : []}
      />
      {expiryUnknown && <ManualExpiry initial={connection.manualExpiresAt} onSave={props.onManualExpiry} />}
      {passed && connection.secretInMemory && !connection.demo && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The secret is kept only while the app runs</MessageBarTitle>
            This computer cannot protect it well ({connection.vaultBackend}). Scheduled syncs need it after a restart.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => props.onWeakStorage(true)}>Store it anyway</Button>
            {connection.weakStorage === 'unasked' && (
              <Button onClick={() => props.onWeakStorage(false)}>Keep it in memory only</Button>
            )}
          </MessageBarActions>
        </MessageBar>
      )}
      {passed && !connection.complete && (
        <MessageBar intent="warning">
          <MessageBarBody>The secret was not kept after the app restarted: enter it again in step 4.</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

/** The secret's expiry typed by the admin, when Graph does not let the app read it. */
function ManualExpiry(props: { initial: string | undefined; onSave: (expiresAt: string | null) => void }) {
  const styles = useStepStyles();
  const [day, setDay] = useState(props.initial?.slice(0, 10) ?? '');
  return (
    <div className={styles.fieldRow}>
      <Field
        className={styles.grow}
        label="When does the secret expire?"
        hint="The Expires column in Certificates & secrets. Reminders use it."
      >
        <Input type="date" value={day} onChange={(_, d) => setDay(d.value)} />
      </Field>
      <Button onClick={() => props.onSave(day ? new Date(`${day}T00:00:00Z`).toISOString() : null)}>Save the date</Button>
    </div>
  );
}
