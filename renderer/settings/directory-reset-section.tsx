import { Badge, Body1, Button, Card, MessageBar, MessageBarBody, Subtitle2 } from '@fluentui/react-components';
import { ArrowReset20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { call, type ApiError } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { useSyncStatus } from '../sync/use-sync-status';
import { ConfirmDialog } from './confirm-dialog';
import { useSettingsStyles } from './settings-styles';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Settings → Embedded directory: empties the directory on this computer and the sync history of the connection in use
 * (the demo tenant's own while it is in use), after a confirmation that says what goes. Refused while a sync runs.
 */
export function DirectoryResetSection(props: { demo: boolean }) {
  const styles = useSettingsStyles();
  const sync = useSyncStatus();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const running = sync.active !== null;
  const whose = props.demo ? 'the demo tenant’s' : 'your';

  const reset = async () => {
    setDone(undefined);
    setError(undefined);
    try {
      const removed = await call('directory:reset', undefined);
      setDone(
        `Removed ${plural(removed.users, 'user', 'users')}, ${plural(removed.groups, 'group', 'groups')} and ${plural(removed.runs, 'run', 'runs')} of history. The next sync reads everything from Entra ID again.`,
      );
    } catch (e) {
      setError((e as ApiError).message);
    }
    void sync.refresh();
  };

  return (
    <Card className={styles.card} aria-labelledby="settings-directory-heading" data-testid="settings-directory-reset">
      <div className={styles.head}>
        <Subtitle2 as="h2" id="settings-directory-heading" className={styles.title}>
          Embedded directory and history
        </Subtitle2>
        {props.demo && (
          <Badge appearance="filled" color="warning">
            DEMO
          </Badge>
        )}
      </div>
      <Body1>
        Start again from an empty directory: removes {whose} synced users, groups and memberships on this computer and the sync
        history. Entra ID and other targets are not changed.
      </Body1>
      <div className={styles.actions}>
        <Button icon={<ArrowReset20Regular />} disabled={running} onClick={() => setConfirming(true)}>
          Reset the directory and history…
        </Button>
        {running && <Body1 className={styles.muted}>A sync is running: wait for it to finish or cancel it first.</Body1>}
      </div>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      {error && <ErrorPanel title="The directory was not reset" error={{ message: error }} onRetry={() => setError(undefined)} />}
      {confirming && (
        <ConfirmDialog
          title="Reset the directory and history?"
          confirmLabel="Reset the directory and history"
          onConfirm={reset}
          onClose={() => setConfirming(false)}
        >
          This removes {whose} embedded directory on this computer — every synced user, group and membership — and every run in
          the sync history, dry runs included. Entra ID, the sync settings and other targets are not changed. The next sync reads
          everything from Entra ID and creates the directory again.
        </ConfirmDialog>
      )}
    </Card>
  );
}
