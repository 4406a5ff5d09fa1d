import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ReminderStatus } from '../../shared/contract/schedule';
import { checkCredentialInputs, cleanPastedValue, isGuid } from '../../shared/credential-inputs';
import { call } from '../api/client';
import type { PageProps } from '../app/page-ids';
import { ErrorPanel } from '../components/error-panel';
import { formatDateTime } from '../sync/format';
import { ValidationPanel } from '../validation/validation-panel';
import { RotateForMe } from '../wizard/rotate-for-me';
import { SecretField } from '../wizard/value-fields';
import { CreateSecretStep, DeleteOldStep, Step, useStepStyles } from './rotation-steps';
import { useRotation } from './use-rotation';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '900px' },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

const levelBadge: Record<ReminderStatus['level'], { color: 'success' | 'warning' | 'danger' | 'informative'; text: string }> = {
  ok: { color: 'success', text: 'OK' },
  soon: { color: 'warning', text: 'Expires soon' },
  urgent: { color: 'danger', text: 'Expires very soon' },
  expired: { color: 'danger', text: 'Expired' },
  unknown: { color: 'informative', text: 'Expiry unknown' },
};

/** Where the secret in use stands, and a date field when Graph could not tell the expiry. */
function CurrentSecret(props: { hint: string | null; reminders: ReminderStatus }) {
  const styles = useStyles();
  const r = props.reminders;
  const [date, setDate] = useState('');
  const [error, setError] = useState<string>();
  const save = async () => {
    setError(undefined);
    try {
      await call('connection:setManualExpiry', { expiresAt: new Date(`${date}T00:00:00Z`).toISOString() });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <div className={styles.status} data-testid="rotation-current">
        <Body1>
          Secret in use: <strong>{props.hint ?? 'none'}</strong>
        </Body1>
        <Badge appearance="filled" color={levelBadge[r.level].color}>
          {levelBadge[r.level].text}
        </Badge>
        {r.expiresAt && (
          <Caption1>
            {r.level === 'expired' ? 'Expired' : 'Expires'} {formatDateTime(r.expiresAt)}
            {r.source === 'manual' ? ' (the date you entered)' : ''}
          </Caption1>
        )}
      </div>
      {r.level !== 'ok' && (
        <MessageBar intent={r.level === 'expired' ? 'error' : r.level === 'unknown' ? 'info' : 'warning'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{r.title}</MessageBarTitle>
            {r.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {r.level === 'unknown' && (
        <div className={styles.status}>
          <Field label="Expiry date shown in Certificates & secrets (Expires column)" validationMessage={error}>
            <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} />
          </Field>
          <Button onClick={() => void save()} disabled={!date}>
            Save the date
          </Button>
        </div>
      )}
    </>
  );
}

/**
 * The guided secret rotation: create a new secret (deep link to Certificates & secrets), paste its Value, test it
 * and replace the stored one only when it works, then delete the old one in the portal.
 */
export function RotationPage(props: PageProps) {
  const styles = useStyles();
  const stepStyles = useStepStyles();
  const rotation = useRotation();
  const [secret, setSecret] = useState('');
  const [secretIdPasted, setSecretIdPasted] = useState(false);
  const { info, report, running, result } = rotation;

  if (rotation.loadError)
    return <ErrorPanel title="The rotation steps could not load" error={rotation.loadError} onRetry={rotation.reload} />;
  if (!info) return <Spinner label="Loading…" />;

  const check = checkCredentialInputs({
    tenant: 'contoso.onmicrosoft.com',
    clientId: '00000000-0000-0000-0000-000000000000',
    secret,
  });
  const issue =
    check.issues.find((i) => i.field === 'secret' && i.severity === 'fail') ?? check.issues.find((i) => i.field === 'secret');
  const blocked = secret.trim() === '' || issue?.severity === 'fail';
  const replaced = result?.replaced === true;

  const replace = async () => {
    const outcome = await rotation.replace(secret);
    // The value is not kept in the window once it is stored in the vault.
    if (outcome?.replaced) setSecret('');
  };

  return (
    <div className={styles.page}>
      <Title1 as="h1">Replace the client secret</Title1>
      {!info.configured ? (
        <Body1>Set up the connection first: there is no secret to replace yet.</Body1>
      ) : (
        <>
          <CurrentSecret hint={info.currentHint} reminders={info.reminders} />
          <RotateForMe onRotated={rotation.reload} onDashboard={() => props.navigate('dashboard')} />
          <Body1>Or by hand, in the portal:</Body1>
          <CreateSecretStep info={info} done={replaced} />
          <Step n={2} title="Paste the new secret’s Value" done={replaced} testId="rotation-step-paste">
            {replaced ? (
              <Body1>Done: the new secret ({info.currentHint}) is stored; this window no longer holds it.</Body1>
            ) : (
              <SecretField
                value={secret}
                onChange={(value) => {
                  setSecret(value);
                  setSecretIdPasted(isGuid(cleanPastedValue(value)));
                }}
                issue={issue}
                savedHint=""
                onPasted={(text) => setSecretIdPasted(isGuid(cleanPastedValue(text)))}
              />
            )}
            {secretIdPasted && !replaced && (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>That is the Secret ID, not the secret’s Value</MessageBarTitle>
                  Copy the Value column of the new secret instead.
                </MessageBarBody>
              </MessageBar>
            )}
          </Step>
          <Step n={3} title="Test it and replace the old one" done={replaced} testId="rotation-step-test">
            <Body1>
              The app signs in with the new secret and runs every check. Only when they pass does it replace the stored secret;
              otherwise the old one stays in use.
            </Body1>
            <div>
              <Button appearance="primary" onClick={() => void replace()} disabled={blocked || running}>
                {running ? 'Testing…' : 'Test and replace'}
              </Button>
            </div>
            {(running || report) && <ValidationPanel report={report} running={running} heading="Test of the new secret" />}
            {rotation.error && <ErrorPanel title="The new secret could not be tested" error={rotation.error} />}
            {result?.sameAsCurrent && (
              <MessageBar intent="warning">
                <MessageBarBody>That is the secret already in use. Paste the Value of the new one.</MessageBarBody>
              </MessageBar>
            )}
            {result && !result.replaced && !result.sameAsCurrent && (
              <MessageBar intent="error" data-testid="rotation-not-replaced">
                <MessageBarBody>
                  <MessageBarTitle>Not replaced</MessageBarTitle>
                  The new secret did not pass the test, so the old one is still in use. Fix what the test says and try again.
                </MessageBarBody>
              </MessageBar>
            )}
            {replaced && (
              <MessageBar intent="success" data-testid="rotation-replaced">
                <MessageBarBody>
                  <MessageBarTitle>The new secret is in use</MessageBarTitle>
                  {result.reminders.expiresAt
                    ? `It expires ${formatDateTime(result.reminders.expiresAt)}; reminders now follow that date.`
                    : 'Its expiry date is unknown: enter it above so reminders can warn in time.'}
                </MessageBarBody>
              </MessageBar>
            )}
          </Step>
          <DeleteOldStep info={info} old={info.reminders.oldSecret} replacedNow={replaced} onConfirmed={rotation.reload} />
          {replaced && !info.reminders.oldSecret && (
            <div className={stepStyles.row}>
              <Button onClick={() => props.navigate('dashboard')}>Back to the dashboard</Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
