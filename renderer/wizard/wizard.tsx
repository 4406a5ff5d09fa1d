import { Badge, Button, Caption1, Text, Title2, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { ArrowLeft20Regular, ArrowRight20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { cloudById, type Cloud } from '../../shared/clouds';
import { requiredChecksPassed, type ConnectionSummary, type SetupProgress } from '../../shared/contract/connection';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { useConnectionTest } from '../validation/use-connection-test';
import { StepFirstSync, useFirstSync } from './step-first-sync';
import { StepList } from './step-list';
import { StepPermission } from './step-permission';
import { StepRegister } from './step-register';
import { SetupForMe } from './setup-for-me';
import { StepSchedule, useScheduleDraft } from './step-schedule';
import { StepSecret } from './step-secret';
import { StepTest } from './step-test';
import { testedCloud } from './tested-cloud';
import { useCustomEndpoints } from './use-custom-endpoints';
import { ExistingAppBar } from './existing-app-bar';
import { StepValues, valuesReady } from './step-values';
import { useWizardState } from './use-wizard-state';
import { useWizardLeaveGuard } from './wizard-leave-guard';
import { LeaveGuardContext } from '../app/leave-guard';
import { checklists, nextStep, previousStep, stepNumber, stepTitles, wizardSteps, type WizardStep } from './wizard-steps';
import { assertNever } from '../../shared/assert-never';
import { isGuid, cleanPastedValue } from '../../shared/credential-inputs';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: '232px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXXL,
    alignItems: 'start',
    '@media (max-width: 1000px)': { gridTemplateColumns: '200px minmax(0, 1fr)', gap: tokens.spacingHorizontalL },
  },
  side: {
    position: 'sticky',
    top: tokens.spacingVerticalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  chooseAgain: { alignSelf: 'flex-start' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  title: { margin: 0 },
  kicker: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  stepHeading: {
    ...typographyStyles.subtitle1,
    margin: 0,
    // Focus lands here when the step changes (tabIndex -1): it is not a control, so it shows no ring.
    ':focus': { outline: 'none' },
  },
  footer: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} 0`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  hint: { flexGrow: 1, color: tokens.colorNeutralForeground2, textAlign: 'right' },
});

/** The cloud whose portal the links open: the demo tenant has none, so the global portal is shown. */
function portalCloud(cloudId: ConnectionSummary['cloud']): Cloud {
  return cloudById(cloudId === 'custom' ? 'global' : cloudId);
}

/**
 * The guided first-time setup (issue 6): seven steps, one component each, a side list, Back and Next, and the
 * progress saved after every step so the app reopens where the admin left off.
 */
export function Wizard(props: {
  initialSetup: SetupProgress;
  initialConnection: ConnectionSummary;
  /** Run the test as soon as the test step shows (after "Try with a demo tenant"). */
  autoTest?: boolean;
  onChooseAgain: () => void;
  onFinished: () => void;
}) {
  const styles = useStyles();
  const state = useWizardState(props.initialSetup, props.initialConnection);
  const { setup, connection, values } = state;
  const step = setup.step;
  const [secret, setSecret] = useState('');
  const [secretIdPasted, setSecretIdPasted] = useState(false);
  const [busy, setBusy] = useState(false);
  const autoTested = useRef(false);
  const test = useConnectionTest(props.initialConnection.lastValidation?.report);
  const schedule = useScheduleDraft(step === 'schedule', !props.initialSetup.completed.includes('schedule'));
  const firstSync = useFirstSync();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const cloud = portalCloud(values.cloud);
  const customEndpoints = useCustomEndpoints(step === 'test' && values.cloud === 'custom' && !connection.demo);

  // Focus moves to the step's heading whenever the step changes (not on first load).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const runTest = useCallback(
    async (retest?: boolean) => {
      const report = await test.run({
        ...(connection.demo ? {} : { cloud: values.cloud, tenantId: values.tenantId, clientId: values.clientId }),
        ...(secret ? { secret } : {}),
        ...(retest ? { retest } : {}),
      });
      if (report && requiredChecksPassed(report) && secret) {
        setSecret('');
        setSecretIdPasted(false);
      }
    },
    [test, connection.demo, values, secret],
  );

  // "Goes straight to testing" after "Try with a demo tenant" on the welcome screen.
  useEffect(() => {
    if (props.autoTest && !autoTested.current && step === 'test') {
      autoTested.current = true;
      void runTest();
    }
  }, [props.autoTest, step, runTest]);

  // Unsaved input in a step (the target form of the last step) is asked about before the wizard moves on.
  const leaveGuard = useWizardLeaveGuard();
  const goTo = (target: WizardStep) =>
    target === step ? void state.moveTo(target) : leaveGuard.leave(() => void state.moveTo(target));

  const onValues = (patch: Parameters<typeof state.editValues>[0]) => {
    state.editValues(patch);
    test.reset();
    if (setup.completed.includes('test')) void state.moveTo(step, { undone: ['test'] });
  };

  const onSecret = (value: string) => {
    setSecret(value);
    if (!isGuid(cleanPastedValue(value))) setSecretIdPasted(false);
    test.reset();
  };

  const startDemo = async () => {
    setBusy(true);
    try {
      state.adoptConnection(await call('connection:startDemo', {}));
      setSecret('');
      setSecretIdPasted(false);
      await state.moveTo('test', { done: ['register', 'permission', 'secret', 'values'], undone: ['test'] });
      // The demo's values are the saved ones: the test takes them from the service.
      void test.run({});
    } catch (e) {
      state.setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const leaveDemo = async () => {
    setBusy(true);
    try {
      state.adoptConnection(await call('connection:stopDemo', undefined));
      test.reset();
      await state.moveTo('values', { undone: ['values', 'test'] });
    } catch (e) {
      state.setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  // "Create it for me": stored and tested by the core, so the wizard goes on at the schedule step.
  const setUpForMe = async () => {
    state.adoptConnection(await call('connection:get', undefined));
    test.reset();
    await state.moveTo('schedule', { done: ['register', 'permission', 'secret', 'values', 'test'] });
  };
  // "Continue by hand": the portal path from the step that failed, with the values created so far.
  const handOff = async (target: WizardStep) => {
    state.adoptConnection(await call('connection:get', undefined));
    await state.moveTo(target, { done: wizardSteps.slice(0, wizardSteps.indexOf(target)) });
  };

  const weakStorage = (store: boolean) =>
    void call('connection:setWeakStorage', { store }).then(state.setConnection, (e: Error) => state.setError(e));

  const manualExpiry = (expiresAt: string | null) =>
    void call('connection:setManualExpiry', { expiresAt }).then(state.setConnection, (e: Error) => state.setError(e));

  const checklistDone = (s: WizardStep) => (checklists[s] ?? []).every((item) => setup.checklist[item.id]);

  /** Whether Next is enabled, and what to tell the admin when it is not. */
  const gate = (): { ok: boolean; hint: string } => {
    switch (step) {
      case 'register':
      case 'permission':
      case 'secret':
        return { ok: checklistDone(step), hint: 'Tick each item of the checklist once it is done.' };
      case 'values':
        return {
          ok: valuesReady(values, secret, connection),
          hint: 'Enter the three values; each field says what is missing.',
        };
      case 'test':
        return {
          ok: !test.running && test.report !== undefined && requiredChecksPassed(test.report) && connection.complete,
          hint: test.running ? 'Testing…' : 'Next opens once the required checks pass.',
        };
      case 'schedule':
        return { ok: schedule.valid && !schedule.saving, hint: schedule.problem };
      case 'first-sync':
        return { ok: firstSync.succeeded, hint: 'Run the first sync to finish; the dashboard opens next.' };
      default:
        return assertNever(step);
    }
  };

  const next = async () => {
    switch (step) {
      case 'register':
      case 'permission':
      case 'secret':
        await state.moveTo(nextStep(step) ?? step, { done: [step] });
        return;
      case 'values':
        if (!(await state.flushValues())) return;
        await state.moveTo('test', { done: ['values'] });
        void runTest();
        return;
      case 'test':
        await state.moveTo('schedule', { done: ['test'] });
        return;
      case 'schedule':
        if (!(await schedule.save())) return;
        await state.moveTo('first-sync', { done: ['schedule'] });
        return;
      case 'first-sync': {
        const saved = await state.saveDraft({ setup: { completed: [...wizardSteps], finished: true } });
        if (saved) props.onFinished();
        return;
      }
      default:
        assertNever(step);
    }
  };

  const renderStep = () => {
    switch (step) {
      case 'register':
        return (
          <>
            <SetupForMe
              demoInUse={connection.demo}
              onConnected={() => void setUpForMe().catch((e: Error) => state.setError(e))}
              onHandOff={(target) => void handOff(target).catch((e: Error) => state.setError(e))}
            />
            <StepRegister
              cloud={cloud}
              cloudId={values.cloud}
              demo={connection.demo}
              onCloudChange={(c) => onValues({ cloud: c })}
              checked={setup.checklist}
              onCheck={state.tick}
            />
          </>
        );
      case 'permission':
        return <StepPermission cloud={cloud} clientId={values.clientId} checked={setup.checklist} onCheck={state.tick} />;
      case 'secret':
        return <StepSecret cloud={cloud} clientId={values.clientId} checked={setup.checklist} onCheck={state.tick} />;
      case 'values':
        return (
          <StepValues
            values={values}
            onValues={onValues}
            secret={secret}
            onSecret={onSecret}
            secretIdPasted={secretIdPasted}
            onSecretPasted={(text) => setSecretIdPasted(isGuid(cleanPastedValue(text)))}
            connection={connection}
            cloud={cloud}
            busy={busy}
            onDemo={() => void startDemo()}
            onLeaveDemo={() => void leaveDemo()}
            onWeakStorage={weakStorage}
            goTo={goTo}
          />
        );
      case 'test':
        return (
          <StepTest
            connection={connection}
            cloud={testedCloud(cloud, values.cloud, connection.demo, customEndpoints)}
            test={test}
            onRun={() => void runTest(test.report !== undefined)}
            secret={secret}
            goTo={goTo}
            onManualExpiry={manualExpiry}
            onWeakStorage={weakStorage}
          />
        );
      case 'schedule':
        return <StepSchedule draft={schedule} />;
      case 'first-sync':
        return <StepFirstSync sync={firstSync} demo={connection.demo} />;
      default:
        return assertNever(step);
    }
  };

  const { ok, hint } = gate();
  const back = previousStep(step);
  const last = step === 'first-sync';
  return (
    <div className={styles.layout}>
      <aside className={styles.side}>
        <nav aria-label="Setup steps">
          <StepList current={step} completed={setup.completed} onSelect={goTo} />
        </nav>
        <Button appearance="subtle" className={styles.chooseAgain} onClick={() => leaveGuard.leave(props.onChooseAgain)}>
          Choose another model
        </Button>
      </aside>
      <div className={styles.content}>
        <header className={styles.header}>
          <div className={styles.kicker}>
            <Caption1>
              Set up User Sync · Step {stepNumber(step)} of {wizardSteps.length}
            </Caption1>
            {connection.demo && (
              <Badge appearance="filled" color="warning">
                DEMO tenant
              </Badge>
            )}
          </div>
          <Title2 as="h1" className={styles.title}>
            {/* Steps 6–7 no longer connect anything: the page says what they do. */}
            {step === 'schedule' || step === 'first-sync' ? 'Start syncing' : 'Connect your Entra tenant'}
          </Title2>
        </header>
        <h2 ref={heading} tabIndex={-1} className={styles.stepHeading}>
          {stepNumber(step)}. {stepTitles[step]}
        </h2>
        {state.error && <ErrorPanel title="That did not work" error={state.error} onRetry={() => state.setError(undefined)} />}
        {step === 'register' && !connection.demo && (
          <ExistingAppBar onSkip={() => void state.moveTo('values', { done: ['register', 'permission', 'secret'] })} />
        )}
        <LeaveGuardContext.Provider value={leaveGuard.register}>{renderStep()}</LeaveGuardContext.Provider>
        <footer className={styles.footer}>
          <Button icon={<ArrowLeft20Regular />} disabled={!back} onClick={() => back && goTo(back)}>
            Back
          </Button>
          <Text className={styles.hint} aria-live="polite">
            {ok ? '' : hint}
          </Text>
          <Button
            appearance="primary"
            icon={last ? undefined : <ArrowRight20Regular />}
            iconPosition="after"
            disabled={!ok}
            onClick={() => (last ? leaveGuard.leave(() => void next()) : void next())}
          >
            {last ? 'Go to the dashboard' : step === 'values' ? 'Next: test the connection' : 'Next'}
          </Button>
        </footer>
      </div>
      {leaveGuard.dialog}
    </div>
  );
}
