import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Circle20Regular, DismissCircle20Filled, Clock20Regular } from '@fluentui/react-icons';
import type { SetupForMeState, SetupStepState } from '../../shared/contract/setup-for-me';
import { CopyChip } from './step-parts';
import { useCountdown } from './use-setup-for-me';
import { useStepStyles } from './wizard-styles';

const useStyles = makeStyles({
  steps: { margin: 0, paddingLeft: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { display: 'grid', gridTemplateColumns: '24px minmax(0, 1fr)', gap: tokens.spacingHorizontalS, alignItems: 'start' },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground2 },
  line: { display: 'flex', flexDirection: 'column' },
  code: { fontSize: tokens.fontSizeBase500, fontFamily: tokens.fontFamilyMonospace, letterSpacing: '2px' },
});

/** One step's icon: done, failed, running, waiting for replication, or not yet. */
function StepIcon(props: { status: SetupStepState['status'] }) {
  const styles = useStyles();
  switch (props.status) {
    case 'done':
    case 'skipped':
      return <CheckmarkCircle20Filled className={styles.done} aria-hidden />;
    case 'failed':
      return <DismissCircle20Filled className={styles.failed} aria-hidden />;
    case 'running':
      return <Spinner size="extra-tiny" aria-hidden />;
    case 'waiting':
      return <Clock20Regular aria-hidden />;
    default:
      return <Circle20Regular className={styles.muted} aria-hidden />;
  }
}

const statusWords: Record<SetupStepState['status'], string> = {
  pending: 'not yet',
  running: 'in progress',
  done: 'done',
  waiting: 'waiting for Entra',
  failed: 'failed',
  skipped: 'already there',
};

/** A step's line, with the countdown while Entra replicates. */
function StepLine(props: { step: SetupStepState }) {
  const styles = useStyles();
  const { step } = props;
  const left = useCountdown(step.status === 'waiting' ? step.retryInSeconds : undefined, step.at);
  return (
    <li className={styles.item} data-testid={`setup-step-${step.id}`} data-status={step.status}>
      <StepIcon status={step.status} />
      <div className={styles.line}>
        <Body1>
          <strong>{step.title}</strong> — {statusWords[step.status]}
        </Body1>
        {(step.message || step.detail) && (
          <Caption1 className={styles.muted}>
            {step.message || step.detail}
            {left !== undefined && ` Next try in ${left} s.`}
          </Caption1>
        )}
      </div>
    </li>
  );
}

/** The steps of a flow as they happen. */
export function SetupSteps(props: { steps: readonly SetupStepState[]; label: string }) {
  const styles = useStyles();
  return (
    <ol className={styles.steps} aria-label={props.label} aria-live="polite">
      {props.steps.map((s) => (
        <StepLine key={s.id} step={s} />
      ))}
    </ol>
  );
}

/** The sign-in under way: the device code with its page, or the browser that was opened; Cancel. */
export function SignInWaiting(props: { state: SetupForMeState; onCancel: () => void; busy: boolean }) {
  const styles = useStyles();
  const step = useStepStyles();
  const { state } = props;
  return (
    <div className={step.stack} data-testid="setup-signing-in">
      {state.deviceCode ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Enter this code on Microsoft’s sign-in page</MessageBarTitle>
            <p style={{ margin: 0 }}>
              Open{' '}
              <Link href={state.deviceCode.verificationUri} target="_blank" rel="noreferrer">
                {state.deviceCode.verificationUri}
              </Link>{' '}
              on any device, enter the code and sign in as a Global Administrator or Privileged Role Administrator.
            </p>
            <p style={{ margin: 0 }}>
              <span className={styles.code} data-testid="device-code">
                {state.deviceCode.userCode}
              </span>{' '}
              <CopyChip value={state.deviceCode.userCode} label="the code" />
            </p>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Spinner
          size="small"
          labelPosition="after"
          label={
            state.demo
              ? 'The demo tenant signs you in as its Global Administrator…'
              : state.browserOpened
                ? 'Finish the sign-in in the browser window that opened, then come back here.'
                : state.method === 'browser'
                  ? 'Opening the sign-in page in your browser…'
                  : 'Asking Microsoft for a device code…'
          }
        />
      )}
      <div className={step.row}>
        <Button onClick={props.onCancel} disabled={props.busy}>
          Cancel the sign-in
        </Button>
      </div>
    </div>
  );
}

/** A failure: which step, why, what to do, and the ways on (undo, continue by hand, try again). */
export function SetupFailed(props: {
  state: SetupForMeState;
  busy: boolean;
  onUndo?: () => void;
  onHandOff?: () => void;
  onRetry: () => void;
}) {
  const step = useStepStyles();
  const f = props.state.failure;
  if (!f) return null;
  const stepTitle = props.state.steps.find((s) => s.id === f.step)?.title ?? (f.step === 'sign-in' ? 'Sign-in' : f.step);
  const title = f.code === 'cancelled' ? 'Cancelled' : f.code === 'sign-in-expired' ? 'The sign-in ended' : `${stepTitle} failed`;
  return (
    <MessageBar
      intent={f.code === 'cancelled' ? 'warning' : 'error'}
      layout="multiline"
      data-testid="setup-failed"
      data-failure-code={f.code}
    >
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        <p style={{ margin: 0 }}>{f.message}</p>
        <p style={{ margin: 0 }}>
          <strong>What to do:</strong> {f.fix}
        </p>
        {props.state.notice && (
          <p style={{ margin: 0 }} data-testid="setup-notice">
            <strong>Undo is no longer offered:</strong> {props.state.notice}
          </p>
        )}
        <div className={step.row} style={{ marginTop: tokens.spacingVerticalS }}>
          {props.state.canUndo && props.onUndo && (
            <Button onClick={props.onUndo} disabled={props.busy}>
              Undo what was created
            </Button>
          )}
          {props.onHandOff && (
            <Button onClick={props.onHandOff} disabled={props.busy}>
              Continue by hand in the portal
            </Button>
          )}
          <Button appearance="primary" onClick={props.onRetry} disabled={props.busy}>
            Try again
          </Button>
        </div>
      </MessageBarBody>
    </MessageBar>
  );
}
