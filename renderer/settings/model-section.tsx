import { Body1, Button, Card, Subtitle2 } from '@fluentui/react-components';
import { ArrowSwap20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { modelDescriptions } from '../../shared/provisioning';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { ConfirmDialog } from './confirm-dialog';
import { useSettingsStyles } from './settings-styles';
import { useShell } from './shell-context';

/** Settings → Provisioning model: back to the chooser (`onboarding:reset`), after saying what stays as it is. */
export function ModelSection() {
  const styles = useSettingsStyles();
  const shell = useShell();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Error>();

  const reset = async () => {
    try {
      await call('onboarding:reset', undefined);
      shell.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <Card className={styles.card} aria-labelledby="settings-model-heading" data-testid="settings-model">
      <Subtitle2 as="h2" id="settings-model-heading" className={styles.title}>
        Provisioning model
      </Subtitle2>
      <Body1>
        You chose <strong>{modelDescriptions['user-sync'].title}</strong>. {modelDescriptions['user-sync'].tagline}
      </Body1>
      <div className={styles.actions}>
        <Button icon={<ArrowSwap20Regular />} onClick={() => setConfirming(true)}>
          Choose another provisioning model
        </Button>
      </div>
      {error && <ErrorPanel title="That did not work" error={error} onRetry={() => setError(undefined)} />}
      {confirming && (
        <ConfirmDialog
          title="Choose another provisioning model?"
          confirmLabel="Open the chooser"
          onConfirm={reset}
          onClose={() => setConfirming(false)}
        >
          The window goes back to the model chooser. Your connection, schedule and synced data stay as they are, and scheduled
          syncs keep running until you pause them on the Schedule page. Choosing User Sync again brings this window back as it is
          now.
        </ConfirmDialog>
      )}
    </Card>
  );
}
