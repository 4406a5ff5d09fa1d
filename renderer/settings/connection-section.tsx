import { Badge, Button, Card, Divider, Subtitle2, Text } from '@fluentui/react-components';
import { Edit20Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { formatDateTime, formatRelative } from '../sync/format';
import { problemsText } from '../validation/problem-words';
import { ConnectionEditorView } from './connection-editor';
import { checkCounts, cloudLabel, connectionHealth, healthBadges, secretText } from './connection-facts';
import { useSettingsStyles } from './settings-styles';
import type { ConnectionEditor } from './use-connection-editor';
import type { DemoSwitch } from './use-demo-switch';

function Fact(props: { term: string; children: ReactNode; testId?: string }) {
  const styles = useSettingsStyles();
  return (
    <>
      <dt className={styles.term}>{props.term}</dt>
      <dd className={styles.value} data-testid={props.testId}>
        {props.children}
      </dd>
    </>
  );
}

/** Settings → Connection: the connection in use, and "Edit connection" through the wizard's steps 4 and 5. */
export function ConnectionSection(props: { connection: ConnectionSummary; editor: ConnectionEditor; demo: DemoSwitch }) {
  const styles = useSettingsStyles();
  const { connection: c, editor, demo } = props;
  // Focus moves into the editor when the admin opens it, not when it reopens with the page.
  const [openedHere, setOpenedHere] = useState(false);
  const last = c.lastValidation;
  const health = healthBadges[connectionHealth(last)];
  return (
    <Card className={styles.card} aria-labelledby="settings-connection-heading" data-testid="settings-connection">
      <div className={styles.head}>
        <Subtitle2 as="h2" id="settings-connection-heading" className={styles.title}>
          Connection
        </Subtitle2>
        <Badge appearance="filled" color={health.color} data-testid="settings-connection-health">
          {health.text}
        </Badge>
        {c.demo && (
          <Badge appearance="outline" color="warning">
            DEMO tenant
          </Badge>
        )}
        <span className={styles.grow} />
        {!editor.open && (
          <Button
            appearance="primary"
            icon={<Edit20Regular />}
            disabled={demo.busy}
            onClick={() => {
              setOpenedHere(true);
              editor.start();
            }}
          >
            Edit connection
          </Button>
        )}
      </div>
      <dl className={styles.facts} aria-label="Connection in use">
        <Fact term="Cloud">{cloudLabel(c.cloud, c.demo)}</Fact>
        <Fact term="Directory (tenant) ID">
          <Text className={styles.code}>{c.tenantId || '—'}</Text>
        </Fact>
        <Fact term="Application (client) ID">
          <Text className={styles.code}>{c.clientId || '—'}</Text>
        </Fact>
        <Fact term="Client secret" testId="settings-secret">
          {secretText(c)}
        </Fact>
        <Fact term="Demo tenant">{c.demo ? 'Yes: the data shown is generated (DEMO)' : 'No: your own tenant'}</Fact>
        <Fact term="Last validation" testId="settings-last-validation">
          {last
            ? `${health.text} — tested ${formatRelative(last.at)} (${formatDateTime(last.at)}): ${checkCounts(last)}.`
            : 'Not tested yet.'}
          {last && last.problems.length > 0 && (
            <>
              <br />
              <Text className={styles.muted}>Problems: {problemsText(last.problems)}.</Text>
            </>
          )}
        </Fact>
      </dl>
      {editor.open && (
        <>
          <Divider />
          <ConnectionEditorView
            editor={editor}
            connection={c}
            busy={demo.busy}
            focusOnOpen={openedHere}
            onTryDemo={demo.askTry}
            onLeaveDemo={demo.askLeave}
          />
        </>
      )}
    </Card>
  );
}
