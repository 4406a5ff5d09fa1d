import { Badge, Body1, Button, Card, Field, MessageBar, MessageBarBody, SpinButton, Subtitle2 } from '@fluentui/react-components';
import { Beaker20Regular, DoorArrowLeft20Regular } from '@fluentui/react-icons';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { ErrorPanel } from '../components/error-panel';
import { ValidationPanel } from '../validation/validation-panel';
import { ConfirmDialog } from './confirm-dialog';
import { demoTargetsLeaveText } from './demo-leave-targets';
import { useSettingsStyles } from './settings-styles';
import { useTargets } from './targets/use-targets';
import type { DemoSwitch } from './use-demo-switch';

/** Names the admin's kept (or current) connection in one phrase: "tenant contoso…, app 1234…". */
function ownName(c: { tenantId: string; clientId: string }): string {
  return [c.tenantId && `tenant ${c.tenantId}`, c.clientId && `app ${c.clientId}`].filter(Boolean).join(', ');
}

/** What leaving the demo tenant does, said before and on the page. */
function leaveText(connection: ConnectionSummary): string {
  const kept = connection.kept;
  if (!kept) {
    return 'You have no connection of your own saved: leaving the demo tenant reopens setup at step 4, “Enter the values”, to connect your tenant.';
  }
  const secret = kept.secretKept
    ? `its secret ${kept.secretHint} comes back too and the connection is tested again`
    : kept.secretHint
      ? 'its secret was kept only in memory and the app has restarted since, so you will enter it again with Edit connection'
      : 'it has no saved secret, so you will enter one with Edit connection';
  return `Your own connection (${ownName(kept)}) is kept aside and comes back when you leave the demo tenant; ${secret}.`;
}

/** What happens to the demo's data on leaving: said on the page and in the dialog. */
export const demoDataLeaveText =
  'The demo’s directory, sync history and plans are removed from this computer; your own directory and history show again exactly as they were before the demo.';

/** "Try with a demo tenant" and "Leave the demo tenant", with what each does said before it is done. */
export function DemoSection(props: { connection: ConnectionSummary; demo: DemoSwitch; editorOpen: boolean }) {
  const styles = useSettingsStyles();
  const { connection, demo } = props;
  // The demo's targets (the demo Jira) go with it: said only when there are some.
  const targets = useTargets().list?.targets;
  const targetsText = connection.demo && targets ? demoTargetsLeaveText(targets) : '';
  // One test panel at a time: an open editor shows its own.
  const showTest = !props.editorOpen && (demo.test.running || demo.test.report !== undefined || demo.test.error !== undefined);
  return (
    <Card className={styles.card} aria-labelledby="settings-demo-heading" data-testid="settings-demo">
      <div className={styles.head}>
        <Subtitle2 as="h2" id="settings-demo-heading" className={styles.title}>
          Demo tenant
        </Subtitle2>
        {connection.demo && (
          <Badge appearance="filled" color="warning">
            DEMO
          </Badge>
        )}
      </div>
      {connection.demo ? (
        <>
          <Body1>
            The demo tenant is in use: an emulated Entra tenant on this computer with generated users and groups. Everything the
            app shows comes from it and is labelled DEMO. Nothing touches a real tenant.
          </Body1>
          <Body1 data-testid="demo-leave-text">
            {leaveText(connection)} {demoDataLeaveText}
            {targetsText && ` ${targetsText}`}
          </Body1>
          <div className={styles.actions}>
            <Button icon={<DoorArrowLeft20Regular />} onClick={demo.askLeave} disabled={demo.busy}>
              {demo.busy ? 'Leaving the demo tenant…' : 'Leave the demo tenant'}
            </Button>
          </div>
        </>
      ) : (
        <>
          <Body1>
            Try the app on an emulated Entra tenant with 200 generated users and 40 groups, without touching yours. Its values are
            filled in and tested for you.
            {connection.tenantId || connection.clientId
              ? ' Your own connection is kept aside meanwhile and comes back when you leave the demo tenant.'
              : ''}
          </Body1>
          <Field
            label="Demo option: the demo’s client secret expires in (days)"
            hint="Choose 20 or 5 to see the expiry warnings (amber within 30 days, red within 7), or -1 for a secret that has already expired."
          >
            <SpinButton
              style={{ maxWidth: '10rem' }}
              value={demo.secretDays}
              min={-30}
              max={730}
              disabled={demo.busy}
              data-testid="demo-secret-days"
              onChange={(_, d) => {
                const next = d.value ?? (d.displayValue === undefined ? undefined : Number.parseInt(d.displayValue, 10));
                if (next !== undefined && Number.isInteger(next)) demo.setSecretDays(Math.min(730, Math.max(-30, next)));
              }}
            />
          </Field>
          <div className={styles.actions}>
            <Button icon={<Beaker20Regular />} onClick={demo.askTry} disabled={demo.busy}>
              {demo.busy ? 'Starting the demo tenant…' : 'Try with a demo tenant'}
            </Button>
          </div>
        </>
      )}
      {!connection.demo && connection.tenantId !== '' && !connection.complete && (
        <MessageBar intent="warning">
          <MessageBarBody>The client secret of this connection must be entered again: use Edit connection above.</MessageBarBody>
        </MessageBar>
      )}
      {/* The message says what happened and what to do; the code stays off the screen. */}
      {demo.error && <ErrorPanel title="That did not work" error={{ message: demo.error.message }} onRetry={demo.clearError} />}
      {showTest && (
        <ValidationPanel
          report={demo.test.report}
          running={demo.test.running}
          error={demo.test.error}
          heading={connection.demo ? 'Demo tenant test' : 'Connection test'}
        />
      )}
      {demo.confirming === 'try' && (
        <ConfirmDialog
          title="Switch to the demo tenant?"
          confirmLabel="Switch to the demo tenant"
          onConfirm={demo.tryDemo}
          onClose={demo.closeConfirm}
        >
          Your connection ({ownName(connection)}) is kept aside with its secret and comes back when you leave the demo tenant.
          While the demo tenant is in use, every sync, scheduled ones too, reads the demo tenant into a directory and history of
          its own, labelled DEMO; yours are kept apart, untouched, and show again when you leave the demo tenant.
        </ConfirmDialog>
      )}
      {demo.confirming === 'leave' && (
        <ConfirmDialog
          title="Leave the demo tenant?"
          confirmLabel="Leave the demo tenant"
          onConfirm={demo.leaveDemo}
          onClose={demo.closeConfirm}
        >
          The demo tenant stops and its values and secret are removed. {demoDataLeaveText}
          {targetsText && ` ${targetsText}`} {leaveText(connection)}
        </ConfirmDialog>
      )}
    </Card>
  );
}
