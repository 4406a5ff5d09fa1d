import { FluentProvider, Spinner, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ConnectionSummary, SetupProgress } from '../../shared/contract/connection';
import { assertNever } from '../../shared/assert-never';
import type { AppInfo } from '../../shared/ipc';
import type { ChooserAnswers, OnboardingState } from '../../shared/provisioning';
import { call, on } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { NotificationToasts } from '../components/notification-toasts';
import { ShellContext, type ShellActions } from '../settings/shell-context';
import { ModelChooser } from '../welcome/model-chooser';
import { ModelOutcome } from '../welcome/model-outcome';
import { Wizard } from '../wizard/wizard';
import { MainShell } from './main-shell';
import { StorageNotices } from './storage-notices';
import { useSystemPrefersDark } from './use-color-scheme';
import { useAppStyles } from './styles';

type Screen = { kind: 'chooser' } | { kind: 'wizard' } | { kind: 'main' } | { kind: 'outcome'; model: 'jit' | 'manual' };

/** Where the app opens: chooser → (User Sync) wizard → main window once the setup is finished. */
function screenFor(onboarding: OnboardingState, setup: SetupProgress): Screen {
  switch (onboarding.model) {
    case undefined:
      return { kind: 'chooser' };
    case 'user-sync':
      return setup.finishedAt ? { kind: 'main' } : { kind: 'wizard' };
    case 'jit':
    case 'manual':
      return { kind: 'outcome', model: onboarding.model };
  }
}

/** Everything the shell needs before it can show a screen. */
interface Loaded {
  readonly info: AppInfo;
  readonly onboarding: OnboardingState;
  readonly setup: SetupProgress;
  readonly connection: ConnectionSummary;
  /** Run the connection test as soon as the wizard shows (after "Try with a demo tenant"). */
  readonly autoTest?: boolean;
}

async function load(): Promise<Loaded> {
  const [info, onboarding, setup, connection] = await Promise.all([
    call('app:getInfo', undefined),
    call('onboarding:get', undefined),
    call('connection:getSetup', undefined),
    call('connection:get', undefined),
  ]);
  return { info, onboarding, setup, connection };
}

/** The app shell: theme, the loaded state, and which screen shows. */
export function App() {
  const prefersDark = useSystemPrefersDark();
  const [loaded, setLoaded] = useState<Loaded>();
  const [loadError, setLoadError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (state) => {
        if (cancelled) return;
        setLoadError(undefined);
        setLoaded(state);
      },
      (error: Error) => {
        if (!cancelled) setLoadError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // The connection changes under the shell (demo tenant started or left in Settings): the DEMO label follows.
  useEffect(() => on('connection:changed', (connection) => setLoaded((l) => l && { ...l, connection })), []);

  // Settings change the theme live, and send the window back to the wizard or the chooser.
  const info = loaded?.info;
  const shell = useMemo<ShellActions | undefined>(
    () =>
      info && {
        info,
        infoChanged: (next) => setLoaded((l) => l && { ...l, info: next }),
        reload,
      },
    [info, reload],
  );

  const theme = loaded?.info.theme;
  const dark = theme === 'dark' || (theme !== 'light' && prefersDark);

  useEffect(() => {
    document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  }, [dark]);

  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} style={{ minHeight: '100vh' }}>
      <ShellContext.Provider value={shell}>
        <Shell loaded={loaded} loadError={loadError} onRetry={reload} onChange={setLoaded} onReload={reload} />
      </ShellContext.Provider>
      <NotificationToasts />
    </FluentProvider>
  );
}

function Shell(props: {
  loaded: Loaded | undefined;
  loadError: Error | undefined;
  onRetry: () => void;
  onChange: (state: Loaded) => void;
  onReload: () => void;
}) {
  const styles = useAppStyles();
  const [actionError, setActionError] = useState<Error>();
  if (props.loadError) {
    return (
      <main className={styles.main}>
        <ErrorPanel title="The app could not start" error={props.loadError} onRetry={props.onRetry} />
      </main>
    );
  }
  if (!props.loaded) {
    return (
      <main className={styles.main}>
        <Spinner label="Loading…" />
      </main>
    );
  }
  const loaded = props.loaded;
  const screen = screenFor(loaded.onboarding, loaded.setup);
  const chooseAgain = async () => props.onChange({ ...loaded, onboarding: await call('onboarding:reset', undefined) });
  const chosen = (onboarding: OnboardingState) => props.onChange({ ...loaded, onboarding });

  /** "Try with a demo tenant" from the welcome screen: User Sync, demo values filled in, straight to the test. */
  const tryDemo = async (answers: ChooserAnswers) => {
    try {
      const onboarding = await call('onboarding:chooseModel', { model: 'user-sync', answers });
      await call('connection:startDemo', {});
      const saved = await call('connection:saveDraft', {
        setup: { step: 'test', completed: ['register', 'permission', 'secret', 'values'] },
      });
      props.onChange({ ...loaded, onboarding, setup: saved.setup, connection: saved.connection, autoTest: true });
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const notice = <StorageNotices info={loaded.info} />;
  let content;
  switch (screen.kind) {
    case 'chooser':
      content = <ModelChooser initialAnswers={loaded.onboarding.answers} onChosen={chosen} onTryDemo={tryDemo} />;
      break;
    case 'wizard':
      content = (
        <Wizard
          initialSetup={loaded.setup}
          initialConnection={loaded.connection}
          autoTest={loaded.autoTest === true}
          onChooseAgain={() => void chooseAgain()}
          onFinished={props.onReload}
        />
      );
      break;
    case 'main':
      return <MainShell banner={notice} demo={loaded.connection.demo} />;
    case 'outcome':
      content = <ModelOutcome model={screen.model} onChooseAgain={() => void chooseAgain()} />;
      break;
    default:
      assertNever(screen);
  }
  return (
    <main className={styles.main}>
      {notice}
      {actionError && (
        <ErrorPanel title="The demo tenant could not be started" error={actionError} onRetry={() => setActionError(undefined)} />
      )}
      {content}
    </main>
  );
}
