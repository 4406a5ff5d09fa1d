import {
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Add20Regular, Beaker20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { call, type ApiError } from '../api/client';
import { JiraTargetForm } from '../settings/targets/jira-target-form';
import { TargetError } from '../settings/targets/target-checks';
import { useTargets } from '../settings/targets/use-targets';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0 },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

/**
 * After the wizard's first sync: "Where should users go?" The embedded directory holds them now; Jira Data Center can
 * be added here as a target (the same form and test as Settings → Targets), or the demo Jira beside the demo tenant.
 */
export function WhereUsersGo(props: { demo: boolean }) {
  const styles = useStyles();
  const { list } = useTargets();
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const added = list?.targets.filter((t) => !t.builtIn) ?? [];

  const addDemo = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('targets:startDemoJira', undefined);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.card} data-testid="where-users-go" aria-labelledby="where-users-go-heading">
      <Subtitle2 as="h3" id="where-users-go-heading" className={styles.title}>
        Where should users go?
      </Subtitle2>
      <Body1>
        The first sync filled the embedded directory on this computer. To create the users and groups in Jira Software or Jira
        Service Management Data Center, add it as a target: it is tested before it is saved, and gets its own plan, safety brake
        and history. You can also do this later in Settings → Targets.
      </Body1>
      {added.length > 0 && (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>{added.map((t) => t.name).join(', ')} added</MessageBarTitle>
            Dry-run and sync into it from Plan preview (Sync into).
          </MessageBarBody>
        </MessageBar>
      )}
      {error && <TargetError title="The demo Jira did not start" error={error} />}
      {adding ? (
        <JiraTargetForm onDone={() => setAdding(false)} />
      ) : (
        <div className={styles.row}>
          <Button icon={<Add20Regular />} onClick={() => setAdding(true)}>
            Add Jira Data Center
          </Button>
          {props.demo && list?.demoJiraOffered && !added.some((t) => t.demo) && (
            <Button icon={busy ? <Spinner size="tiny" /> : <Beaker20Regular />} disabled={busy} onClick={() => void addDemo()}>
              {busy ? 'Starting the demo Jira…' : 'Add the demo Jira'}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
