import { Caption1, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Circle20Regular } from '@fluentui/react-icons';
import { stepNumber, stepTitles, wizardSteps, type WizardStep } from './wizard-steps';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  item: {
    display: 'grid',
    gridTemplateColumns: '24px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    width: '100%',
    textAlign: 'left',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    border: 'none',
    background: 'none',
    color: tokens.colorNeutralForeground1,
    font: 'inherit',
  },
  clickable: {
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected },
  done: { color: tokens.colorPaletteGreenForeground1 },
  number: {
    width: '20px',
    height: '20px',
    borderRadius: '50%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  todo: { color: tokens.colorNeutralForeground3 },
  text: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  state: { color: tokens.colorNeutralForeground3 },
});

type StepState = 'done' | 'current' | 'todo';

const stateLabel: Record<StepState, string> = { done: 'Done', current: 'Current step', todo: 'To do' };

/**
 * The side list of steps: done / current / to do, in words as well as icons. Done steps (and the current one)
 * are buttons, so the admin can go back to any of them; steps ahead open once the ones before are done.
 */
export function StepList(props: { current: WizardStep; completed: readonly WizardStep[]; onSelect: (step: WizardStep) => void }) {
  const styles = useStyles();
  return (
    <ol className={styles.list}>
      {wizardSteps.map((step) => {
        const state: StepState = step === props.current ? 'current' : props.completed.includes(step) ? 'done' : 'todo';
        const reachable = state !== 'todo' || reachableAhead(step, props.completed);
        const content = (
          <>
            {state === 'done' ? (
              <CheckmarkCircle20Filled className={styles.done} aria-hidden />
            ) : state === 'current' ? (
              <span className={styles.number} aria-hidden>
                {stepNumber(step)}
              </span>
            ) : (
              <Circle20Regular className={styles.todo} aria-hidden />
            )}
            <span className={styles.text}>
              <Text weight={state === 'current' ? 'semibold' : 'regular'}>
                {stepNumber(step)}. {stepTitles[step]}
              </Text>
              <Caption1 className={styles.state}>{stateLabel[state]}</Caption1>
            </span>
          </>
        );
        return (
          <li key={step}>
            {reachable ? (
              <button
                type="button"
                className={mergeClasses(styles.item, styles.clickable, state === 'current' && styles.current)}
                aria-current={state === 'current' ? 'step' : undefined}
                onClick={() => props.onSelect(step)}
                data-testid={`step-link-${step}`}
              >
                {content}
              </button>
            ) : (
              <div className={styles.item} data-testid={`step-link-${step}`}>
                {content}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** A step ahead can be opened when every step before it is done. */
function reachableAhead(step: WizardStep, completed: readonly WizardStep[]): boolean {
  return wizardSteps.slice(0, wizardSteps.indexOf(step)).every((s) => completed.includes(s));
}
