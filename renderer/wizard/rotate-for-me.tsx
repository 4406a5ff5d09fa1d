import {
  Body1,
  Button,
  Card,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Subtitle1,
} from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { setupSecretMonths, type SignInMethodId } from '../../shared/contract/setup-for-me';
import { ErrorPanel } from '../components/error-panel';
import { formatDateTime } from '../sync/format';
import { SetupFailed, SetupSteps, SignInWaiting } from './setup-for-me-progress';
import { useSetupForMe } from './use-setup-for-me';
import { useStepStyles } from './wizard-styles';

/**
 * "Rotate the secret for me" (rotation page): after an admin sign-in the app adds a new client secret, tests it as a
 * candidate, switches the stored one, and removes the old one only after the new one passed; the confirmation names
 * the keyId and hint removed. The guided steps below stay for admins who cannot sign in as administrators.
 */
export function RotateForMe(props: { onRotated: () => void; onDashboard: () => void }) {
  const step = useStepStyles();
  const flow = useSetupForMe();
  const { state, send } = flow;
  const [method, setMethod] = useState<SignInMethodId>('browser');
  const [months, setMonths] = useState<number>(setupSecretMonths.default);
  const told = useRef<string>(undefined);
  const active = state?.kind === 'rotate' ? state : null;

  useEffect(() => {
    if (active?.phase === 'succeeded' && told.current !== active.id) {
      told.current = active.id;
      props.onRotated();
    }
  }, [active, props]);

  const start = () => void send('setupForMe:start', { kind: 'rotate', secretMonths: months, method });
  const idle = !active || active.phase === 'cancelled';

  return (
    <Card className={step.card} data-testid="rotate-for-me">
      <Subtitle1 as="h2" className={step.cardTitle}>
        <ArrowSync20Regular aria-hidden /> Rotate the secret for me
      </Subtitle1>
      {idle ? (
        <>
          <Body1>
            Sign in as an administrator (or an owner of the application): the app adds a new client secret, tests it while the
            current one stays in use, switches to it, and only then removes the old one. The sign-in is kept in memory for this
            rotation only.
          </Body1>
          <div className={step.row}>
            <RadioGroup
              layout="horizontal"
              value={method}
              onChange={(_, d) => setMethod(d.value as SignInMethodId)}
              aria-label="How to sign in"
            >
              <Radio value="browser" label="Sign in with the browser" />
              <Radio value="device-code" label="Use a device code" />
            </RadioGroup>
            <Field label="New secret valid for">
              <Dropdown
                value={`${months} months`}
                selectedOptions={[String(months)]}
                onOptionSelect={(_, d) => d.optionValue && setMonths(Number(d.optionValue))}
              >
                {Array.from({ length: setupSecretMonths.max }, (_, i) => i + 1).map((m) => (
                  <Option key={m} value={String(m)}>{`${m} months`}</Option>
                ))}
              </Dropdown>
            </Field>
          </div>
          <div className={step.row}>
            <Button appearance="primary" onClick={start} disabled={flow.busy}>
              Rotate the secret for me
            </Button>
          </div>
        </>
      ) : (
        <>
          {active.signedInAs && <Body1>Signed in as {active.signedInAs}.</Body1>}
          {active.phase === 'signing-in' && (
            <SignInWaiting state={active} busy={flow.busy} onCancel={() => void send('setupForMe:cancel', undefined)} />
          )}
          {active.phase !== 'signing-in' && <SetupSteps steps={active.steps} label="Steps of the rotation" />}
          {active.phase === 'failed' && (
            <SetupFailed state={active} busy={flow.busy} onRetry={() => void send('setupForMe:dismiss', undefined)} />
          )}
          {active.phase === 'succeeded' && active.rotation && (
            <MessageBar intent="success" layout="multiline" data-testid="rotated-for-me">
              <MessageBarBody>
                <MessageBarTitle>The new secret is in use</MessageBarTitle>
                <p style={{ margin: 0 }}>
                  New secret {active.rotation.added.hint} (keyId {active.rotation.added.keyId}), valid until{' '}
                  {formatDateTime(active.rotation.added.expiresAt)}.
                </p>
                {active.rotation.removed ? (
                  <p style={{ margin: 0 }} data-testid="rotated-removed">
                    Removed the old secret {active.rotation.removed.hint} (keyId {active.rotation.removed.keyId}).
                  </p>
                ) : (
                  <p style={{ margin: 0 }}>{active.rotation.note}</p>
                )}
                <div className={step.row} style={{ marginTop: 8 }}>
                  <Button appearance="primary" onClick={props.onDashboard}>
                    Back to the dashboard
                  </Button>
                  <Button onClick={() => void send('setupForMe:dismiss', undefined)}>Done</Button>
                </div>
              </MessageBarBody>
            </MessageBar>
          )}
        </>
      )}
      {flow.error && <ErrorPanel title="The rotation could not start" error={flow.error} />}
    </Card>
  );
}
