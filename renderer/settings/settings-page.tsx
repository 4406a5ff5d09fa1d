import { Badge, Spinner, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { call } from '../api/client';
import { useLive } from '../api/use-live';
import type { PageProps } from '../app/page-ids';
import { ErrorPanel } from '../components/error-panel';
import { AboutSection } from './about-section';
import { AppearanceSection } from './appearance-section';
import { ConnectionSection } from './connection-section';
import { DemoSection } from './demo-section';
import { DirectoryResetSection } from './directory-reset-section';
import { ModelSection } from './model-section';
import { NetworkSection } from './network-section';
import { useSettingsStyles } from './settings-styles';
import { useShell } from './shell-context';
import { TargetsSection } from './targets/targets-section';
import { useConnectionEditor } from './use-connection-editor';
import { useDemoSwitch } from './use-demo-switch';

const useStyles = makeStyles({
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

/** Settings: the connection (edited through the wizard's steps), the demo tenant, the model, theme, about & storage. */
export function SettingsPage(props: PageProps) {
  const styles = useSettingsStyles();
  // Kept current by connection:changed; an answer older than the latest change is dropped (see useLive).
  const live = useLive('connection:changed', () => call('connection:get', undefined));
  const connection = live.value;
  const loadError = connection ? undefined : live.error;

  if (loadError) {
    return <ErrorPanel title="The settings could not be read" error={loadError} onRetry={live.reload} />;
  }
  if (!connection) return <Spinner label="Loading the settings…" />;
  return (
    <div className={styles.page}>
      <SettingsContent connection={connection} editConnection={props.params.edit === 'connection'} />
    </div>
  );
}

/** `editConnection`: opened by "Finish the connection setup" on the dashboard, with the connection editor open. */
function SettingsContent(props: { connection: ConnectionSummary; editConnection: boolean }) {
  const styles = useStyles();
  const shell = useShell();
  const { connection, editConnection } = props;
  const editor = useConnectionEditor(connection);
  // Once per visit: closing the editor afterwards must not reopen it.
  const editorAsked = useRef(false);
  useEffect(() => {
    if (!editConnection || editorAsked.current) return;
    editorAsked.current = true;
    if (!editor.open) editor.start();
  }, [editConnection, editor]);
  const demo = useDemoSwitch(connection, { onSwitched: editor.cancel, onSetupAgain: shell.reload });
  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">Settings</Title1>
        {connection.demo && (
          <Badge size="large" appearance="filled" color="warning" data-testid="settings-demo-label">
            DEMO
          </Badge>
        )}
      </header>
      <ConnectionSection connection={connection} editor={editor} demo={demo} />
      <DemoSection connection={connection} demo={demo} editorOpen={editor.open} />
      <DirectoryResetSection demo={connection.demo} />
      <TargetsSection />
      <NetworkSection />
      <AppearanceSection />
      <AboutSection connection={connection} />
      <ModelSection />
    </>
  );
}
