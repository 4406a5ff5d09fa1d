import {
  Body1,
  Button,
  Card,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
} from '@fluentui/react-components';
import { Sparkle20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { WizardStep } from '../../shared/contract/connection';
import { setupSecretMonths, type SetupForMePlan } from '../../shared/contract/setup-for-me';
import { ErrorPanel } from '../components/error-panel';
import { SetupPlan, type PlanChoices } from './setup-for-me-plan';
import { SetupFailed, SetupSteps, SignInWaiting } from './setup-for-me-progress';
import { useSetupForMe } from './use-setup-for-me';
import { useStepStyles } from './wizard-styles';

const DEFAULT_NAME = 'Entra Sync Assistant';

/**
 * "Create it for me", beside the guided portal path of step 1: the plan first (nothing is created before the admin
 * signs in), then the sign-in, each step as it happens, and on success the wizard goes on at the schedule step. A
 * failure says which step and why, and offers undo or the portal path from that step.
 */
export function SetupForMe(props: {
  demoInUse: boolean;
  /** The connection was created, stored and tested. */
  onConnected: () => void;
  /** Continue by hand at this wizard step (the values created so far are filled in). */
  onHandOff: (step: WizardStep) => void;
}) {
  const step = useStepStyles();
  const flow = useSetupForMe();
  const { state, send } = flow;
  const [open, setOpen] = useState(false);
  const [plan, setPlan] = useState<SetupForMePlan>();
  const [choices, setChoices] = useState<PlanChoices>({
    name: DEFAULT_NAME,
    secretMonths: setupSecretMonths.default,
    method: 'browser',
    demo: props.demoInUse,
  });
  const [otherName, setOtherName] = useState('');
  const connected = useRef<string>(undefined);

  const months = choices.secretMonths;
  const name = choices.name.trim();
  useEffect(() => {
    if (!open) return;
    void send('setupForMe:plan', { ...(name ? { name } : {}), secretMonths: months }).then((p) => p && setPlan(p));
  }, [open, name, months, send]);

  // Success: the connection is stored and passed the live test; the wizard goes on (once per flow).
  useEffect(() => {
    if (state?.kind === 'create' && state.phase === 'succeeded' && connected.current !== state.id) {
      connected.current = state.id;
      void send('setupForMe:dismiss', undefined).then(() => props.onConnected());
    }
  }, [state, send, props]);

  const start = () =>
    void send('setupForMe:start', {
      kind: 'create',
      name,
      secretMonths: months,
      method: choices.method,
      demo: choices.demo || props.demoInUse,
    });

  const active = state?.kind === 'create' && !['cancelled', 'undone'].includes(state.phase) ? state : null;

  return (
    <Card className={step.card} data-testid="setup-for-me">
      <Subtitle1 as="h3" className={step.cardTitle}>
        <Sparkle20Regular aria-hidden /> Create it for me
      </Subtitle1>
      {!open && !active ? (
        <>
          <Body1>
            Sign in once as an administrator and the app creates its own registration: the application, its service principal,
            Directory.Read.All with admin consent, and a client secret — then stores and tests them. You see exactly what it will
            create before anything is.
          </Body1>
          <div className={step.row}>
            <Button appearance="primary" onClick={() => setOpen(true)}>
              Create it for me
            </Button>
          </div>
        </>
      ) : active ? (
        <>
          {active.signedInAs && <Body1>Signed in as {active.signedInAs}.</Body1>}
          {active.phase === 'signing-in' && (
            <SignInWaiting state={active} busy={flow.busy} onCancel={() => void send('setupForMe:cancel', undefined)} />
          )}
          {active.phase === 'existing' && active.existing && (
            <MessageBar intent="warning" layout="multiline" data-testid="setup-existing">
              <MessageBarBody>
                <MessageBarTitle>“{active.existing.displayName}” already exists</MessageBarTitle>
                This app created it before (client ID {active.existing.appId}). Reuse it — a new client secret is added and
                whatever is missing completed, nothing duplicated — or create one with another name.
                <div className={step.row} style={{ marginTop: 8 }}>
                  <Button appearance="primary" onClick={() => void send('setupForMe:continue', { reuse: true })}>
                    Reuse it
                  </Button>
                  <Input
                    aria-label="Another name"
                    placeholder="Another name"
                    value={otherName}
                    onChange={(_, d) => setOtherName(d.value)}
                  />
                  <Button
                    disabled={!otherName.trim()}
                    onClick={() => void send('setupForMe:continue', { reuse: false, name: otherName.trim() })}
                  >
                    Create with this name
                  </Button>
                </div>
              </MessageBarBody>
            </MessageBar>
          )}
          {['running', 'failed', 'undoing', 'succeeded'].includes(active.phase) && (
            <SetupSteps steps={active.steps} label="Steps of Create it for me" />
          )}
          {active.phase === 'running' && (
            <div className={step.row}>
              <Button onClick={() => void send('setupForMe:cancel', undefined)} disabled={flow.busy}>
                Cancel
              </Button>
              <Body1>Stops before the next step; what was created by then is listed, with undo.</Body1>
            </div>
          )}
          {active.phase === 'undoing' && <Spinner size="tiny" labelPosition="after" label="Removing what was created…" />}
          {active.phase === 'failed' && (
            <SetupFailed
              state={active}
              busy={flow.busy}
              onUndo={() => void send('setupForMe:undo', undefined)}
              onHandOff={() => void send('setupForMe:handOff', undefined).then((r) => r && props.onHandOff(r.step))}
              onRetry={() => void send('setupForMe:dismiss', undefined)}
            />
          )}
        </>
      ) : (
        <>
          {state?.phase === 'undone' && (
            <MessageBar intent="success" data-testid="setup-undone">
              <MessageBarBody>Undone: what was created is removed again.</MessageBarBody>
            </MessageBar>
          )}
          {state?.phase === 'cancelled' && (
            <MessageBar intent="info" data-testid="setup-cancelled">
              <MessageBarBody>{state.failure?.message ?? 'The sign-in was cancelled; nothing was created.'}</MessageBarBody>
            </MessageBar>
          )}
          {plan ? (
            <SetupPlan
              plan={plan}
              choices={choices}
              onChoices={setChoices}
              demoInUse={props.demoInUse}
              onPublicClient={(setting) => void send('setupForMe:savePublicClient', setting)}
            />
          ) : (
            <Spinner size="tiny" label="Loading the plan…" />
          )}
          <div className={step.row}>
            <Button appearance="primary" disabled={!name || flow.busy || !plan} onClick={start}>
              {choices.method === 'browser' ? 'Sign in with the browser and create' : 'Get a device code and create'}
            </Button>
            <Button onClick={() => setOpen(false)}>Not now</Button>
          </div>
        </>
      )}
      {flow.error && <ErrorPanel title="That did not work" error={flow.error} />}
    </Card>
  );
}
