import { FluentProvider, Spinner, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/ipc';
import type { OnboardingState } from '../../shared/provisioning';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { NotificationToasts } from '../components/notification-toasts';
import { ModelChooser } from '../welcome/model-chooser';
import { ModelOutcome } from '../welcome/model-outcome';
import { SetupStart } from '../setup/setup-start';
import { useSystemPrefersDark } from './use-color-scheme';
import { useAppStyles } from './styles';

type Screen = { kind: 'chooser' } | { kind: 'setup' } | { kind: 'outcome'; model: 'jit' | 'manual' };

function screenFor(onboarding: OnboardingState): Screen {
  switch (onboarding.model) {
    case undefined:
      return { kind: 'chooser' };
    case 'user-sync':
      return { kind: 'setup' };
    case 'jit':
    case 'manual':
      return { kind: 'outcome', model: onboarding.model };
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled screen: ${JSON.stringify(value)}`);
}

/** The app shell: theme, the loaded state, and which screen shows. */
export function App() {
  const prefersDark = useSystemPrefersDark();
  const [info, setInfo] = useState<AppInfo>();
  const [onboarding, setOnboarding] = useState<OnboardingState>();
  const [loadError, setLoadError] = useState<Error>();

  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    Promise.all([call('app:getInfo', undefined), call('onboarding:get', undefined)]).then(
      ([appInfo, state]) => {
        if (cancelled) return;
        setLoadError(undefined);
        setInfo(appInfo);
        setOnboarding(state);
      },
      (error: Error) => {
        if (!cancelled) setLoadError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const dark = info?.theme === 'dark' || (info?.theme !== 'light' && prefersDark);

  useEffect(() => {
    document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  }, [dark]);

  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} style={{ minHeight: '100vh' }}>
      <Shell info={info} onboarding={onboarding} loadError={loadError} onRetry={retry} onChange={setOnboarding} />
      <NotificationToasts />
    </FluentProvider>
  );
}

function Shell(props: {
  info: AppInfo | undefined;
  onboarding: OnboardingState | undefined;
  loadError: Error | undefined;
  onRetry: () => void;
  onChange: (state: OnboardingState) => void;
}) {
  const styles = useAppStyles();
  if (props.loadError) {
    return (
      <main className={styles.main}>
        <ErrorPanel title="The app could not start" error={props.loadError} onRetry={props.onRetry} />
      </main>
    );
  }
  if (!props.info || !props.onboarding) {
    return (
      <main className={styles.main}>
        <Spinner label="Loading…" />
      </main>
    );
  }
  const screen = screenFor(props.onboarding);
  const chooseAgain = async () => props.onChange(await call('onboarding:reset', undefined));
  let content;
  switch (screen.kind) {
    case 'chooser':
      content = <ModelChooser initialAnswers={props.onboarding.answers} onChosen={props.onChange} />;
      break;
    case 'setup':
      content = <SetupStart onChooseAgain={chooseAgain} />;
      break;
    case 'outcome':
      content = <ModelOutcome model={screen.model} onChooseAgain={chooseAgain} />;
      break;
    default:
      assertNever(screen);
  }
  return (
    <main className={styles.main}>
      {props.info.settingsNotice && <SettingsNoticeBar notice={props.info.settingsNotice} />}
      {content}
    </main>
  );
}

function SettingsNoticeBar({ notice }: { notice: NonNullable<AppInfo['settingsNotice']> }) {
  return (
    <ErrorPanel
      title="Your settings could not be read as they were"
      intent="warning"
      error={{ message: `${notice.message}${notice.backupPath ? ` Backup: ${notice.backupPath}` : ''}` }}
    />
  );
}
