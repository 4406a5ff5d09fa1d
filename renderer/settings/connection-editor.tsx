import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowLeft20Regular, ArrowRight20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { cloudById, type Cloud } from '../../shared/clouds';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { StepPermission } from '../wizard/step-permission';
import { StepRegister } from '../wizard/step-register';
import { StepSecret } from '../wizard/step-secret';
import { StepTest } from '../wizard/step-test';
import { StepValues, valuesReady } from '../wizard/step-values';
import { nextStep, previousStep, stepTitles, type WizardStep } from '../wizard/wizard-steps';
import { ConfirmDialog } from './confirm-dialog';
import type { ConnectionEditor, EditorStep } from './use-connection-editor';

const useStyles = makeStyles({
  editor: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  heading: { ...typographyStyles.subtitle1, margin: 0, ':focus': { outline: 'none' } },
  footer: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  hint: { flexGrow: 1, color: tokens.colorNeutralForeground2, textAlign: 'right' },
});

const editorSteps: readonly WizardStep[] = ['register', 'permission', 'secret', 'values', 'test'];
const isEditorStep = (step: WizardStep | undefined): step is EditorStep => step !== undefined && editorSteps.includes(step);

/** The portal of the connection's cloud (the demo tenant has none: the global portal is shown). */
function portalCloud(cloudId: ConnectionSummary['cloud']): Cloud {
  return cloudById(cloudId === 'custom' ? 'global' : cloudId);
}

/**
 * "Edit connection": the wizard's own steps 4 (values) and 5 (live test), and steps 1–3 when a failed check points
 * there. The values are tried as a candidate, so the connection in use stays until they pass (or are saved on
 * purpose, after a confirmation).
 */
export function ConnectionEditorView(props: {
  editor: ConnectionEditor;
  connection: ConnectionSummary;
  busy: boolean;
  /** Move focus to the step heading when the editor opens (not when it reopens as the page is shown again). */
  focusOnOpen: boolean;
  onTryDemo: () => void;
  onLeaveDemo: () => void;
}) {
  const styles = useStyles();
  const { editor, connection } = props;
  const { step, values, test } = editor;
  const [confirmSave, setConfirmSave] = useState(false);
  const [weakError, setWeakError] = useState<Error>();
  const heading = useRef<HTMLHeadingElement>(null);
  const cloud = portalCloud(values.cloud);
  // What the test step shows and checks: the values as typed, over the connection in use.
  const candidate: ConnectionSummary = connection.demo ? connection : { ...connection, ...values };

  // Focus follows the step, as in the wizard.
  const focusNext = useRef(props.focusOnOpen);
  useEffect(() => {
    if (focusNext.current) heading.current?.focus();
    focusNext.current = true;
  }, [step]);

  const goTo = (target: WizardStep) => {
    if (isEditorStep(target)) editor.goTo(target);
  };
  const weakStorage = (store: boolean) =>
    void call('connection:setWeakStorage', { store }).then(() => setWeakError(undefined), setWeakError);

  const renderStep = () => {
    switch (step) {
      case 'register':
        return (
          <StepRegister
            cloud={cloud}
            cloudId={values.cloud}
            demo={connection.demo}
            onCloudChange={(c) => editor.editValues({ cloud: c })}
            checked={editor.checklist}
            onCheck={editor.tick}
          />
        );
      case 'permission':
        return <StepPermission cloud={cloud} clientId={values.clientId} checked={editor.checklist} onCheck={editor.tick} />;
      case 'secret':
        return <StepSecret cloud={cloud} clientId={values.clientId} checked={editor.checklist} onCheck={editor.tick} />;
      case 'values':
        return (
          <StepValues
            values={values}
            onValues={editor.editValues}
            secret={editor.secret}
            onSecret={editor.editSecret}
            secretIdPasted={editor.secretIdPasted}
            onSecretPasted={editor.secretPasted}
            connection={connection}
            cloud={cloud}
            busy={props.busy}
            onDemo={props.onTryDemo}
            onLeaveDemo={props.onLeaveDemo}
            onWeakStorage={weakStorage}
            goTo={goTo}
          />
        );
      case 'test':
        return (
          <StepTest
            connection={candidate}
            cloud={connection.demo ? { ...cloud, label: 'Demo tenant (emulated)' } : cloud}
            test={test}
            onRun={() => void editor.runTest()}
            secret={editor.secret}
            goTo={goTo}
            numbered={false}
            onManualExpiry={(expiresAt) => void call('connection:setManualExpiry', { expiresAt }).catch(setWeakError)}
            onWeakStorage={weakStorage}
          />
        );
    }
  };

  const failed = step === 'test' && !test.running && test.report?.done === true && !editor.passed;
  const back = previousStep(step);
  const next = nextStep(step);
  return (
    <div className={styles.editor} data-testid="connection-editor">
      <MessageBar intent={editor.passed ? 'success' : 'info'} layout="multiline" data-testid="connection-in-use-note">
        <MessageBarBody>
          {editor.passed ? (
            <>
              <MessageBarTitle>The new values are in use</MessageBarTitle>
              They passed the test and replaced the connection above; syncs use them from now on.
            </>
          ) : (
            <>
              <MessageBarTitle>The connection in use stays until the new values pass</MessageBarTitle>
              Syncs keep using the connection shown above while you edit. Nothing you type here replaces it before the test passes
              {connection.demo ? '' : ', unless you choose to save without testing'}.
            </>
          )}
        </MessageBarBody>
      </MessageBar>
      <h3 ref={heading} tabIndex={-1} className={styles.heading}>
        {/* The wizard's numbers mean nothing here: the editor is not the wizard's 7 steps. */}
        {stepTitles[step]}
      </h3>
      {editor.error && <ErrorPanel title="That did not work" error={editor.error} />}
      {weakError && <ErrorPanel title="That did not work" error={weakError} onRetry={() => setWeakError(undefined)} />}
      {renderStep()}
      <div className={styles.footer}>
        {step !== 'register' && (
          <Button icon={<ArrowLeft20Regular />} disabled={!back || test.running} onClick={() => back && goTo(back)}>
            Back
          </Button>
        )}
        {!editor.passed && (
          <Button appearance="subtle" onClick={editor.cancel} disabled={test.running}>
            Cancel editing
          </Button>
        )}
        <Text className={styles.hint} aria-live="polite">
          {step === 'values' && !valuesReady(values, editor.secret, connection)
            ? 'Enter the three values; each field says what is missing.'
            : step === 'test' && !editor.passed
              ? test.running
                ? 'Testing…'
                : 'Done opens once the required checks pass.'
              : ''}
        </Text>
        {failed && !connection.demo && <Button onClick={() => setConfirmSave(true)}>Save without a passing test…</Button>}
        {step === 'values' ? (
          <Button
            appearance="primary"
            icon={<ArrowRight20Regular />}
            iconPosition="after"
            disabled={!valuesReady(values, editor.secret, connection)}
            onClick={() => void editor.runTest()}
          >
            Next: test the connection
          </Button>
        ) : step === 'test' ? (
          <Button appearance="primary" disabled={!editor.passed} onClick={editor.cancel}>
            Done
          </Button>
        ) : (
          <Button appearance="primary" icon={<ArrowRight20Regular />} iconPosition="after" onClick={() => next && goTo(next)}>
            Next
          </Button>
        )}
      </div>
      {confirmSave && (
        <ConfirmDialog
          title="Replace the working connection with values that failed the test?"
          confirmLabel="Save anyway"
          onConfirm={editor.saveUntested}
          onClose={() => setConfirmSave(false)}
        >
          The values you typed{editor.secret ? ' and the new secret' : ''} replace the connection in use now, although they did
          not pass the test. Syncs, scheduled ones too, will fail until they work. Save them only if you know the test cannot
          reach Microsoft from here (for example behind a proxy) and the values are right.
        </ConfirmDialog>
      )}
    </div>
  );
}
