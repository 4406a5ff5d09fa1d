import {
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircle20Filled, Copy20Regular, Open16Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { DemoNewSecret, OldSecretReminder, RotationInfo } from '../../shared/contract/schedule';
import { call } from '../api/client';
import { formatDateTime } from '../sync/format';
import { writeClipboardText } from '../validation/clipboard';

export const useStepStyles = makeStyles({
  step: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  number: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '28px',
    height: '28px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontWeight: tokens.fontWeightSemibold,
    flexShrink: 0,
  },
  done: { color: tokens.colorPaletteGreenForeground1 },
  row: { display: 'flex', alignItems: 'end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '240px' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** One numbered step; a done step shows a check mark instead of its number. */
export function Step(props: { n: number; title: string; done?: boolean; children: ReactNode; testId: string }) {
  const styles = useStepStyles();
  const id = `rotation-step-${props.n}`;
  return (
    <Card className={styles.step} aria-labelledby={id} data-testid={props.testId} data-done={props.done === true}>
      <div className={styles.head}>
        {props.done ? (
          <CheckmarkCircle20Filled className={styles.done} aria-label="Done" />
        ) : (
          <span className={styles.number} aria-hidden>
            {props.n}
          </span>
        )}
        <Subtitle2 as="h2" id={id}>
          {props.title}
        </Subtitle2>
      </div>
      {props.children}
    </Card>
  );
}

/** Step 1: where to create the new secret (the portal), or — in the demo tenant — a button that creates one. */
export function CreateSecretStep(props: { info: RotationInfo; done: boolean }) {
  const styles = useStepStyles();
  const [created, setCreated] = useState<DemoNewSecret>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const create = async () => {
    setError(undefined);
    try {
      setCreated(await call('rotation:demoNewSecret', { days: 365 }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Step n={1} title="Create a new client secret" done={props.done} testId="rotation-step-create">
      {props.done ? (
        <Body1>Done: the new secret exists{props.info.demo ? ' in the demo tenant' : ' in the portal'}.</Body1>
      ) : props.info.demo ? (
        <>
          <Body1>
            The demo tenant has no portal. Create the new secret here, as the portal’s “New client secret” button would, and copy
            its Value.
          </Body1>
          <div>
            <Button onClick={() => void create()}>Create a new secret in the demo tenant</Button>
          </div>
          {created && (
            <div className={styles.row}>
              <Field
                className={styles.grow}
                label="Value of the new secret (shown once, like in the portal)"
                hint={`Expires ${formatDateTime(created.expiresAt)} · Secret ID ${created.keyId}`}
              >
                <Input
                  readOnly
                  value={created.value}
                  data-testid="demo-new-secret"
                  spellCheck={false}
                  contentAfter={
                    <Button
                      appearance="transparent"
                      size="small"
                      icon={<Copy20Regular />}
                      onClick={() => void writeClipboardText(created.value).then(setCopied)}
                      aria-label="Copy the new secret’s Value"
                    >
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  }
                />
              </Field>
            </div>
          )}
          {error && (
            <MessageBar intent="error">
              <MessageBarBody>{error}</MessageBarBody>
            </MessageBar>
          )}
        </>
      ) : (
        <>
          <ol className={styles.list}>
            <li>Open Certificates &amp; secrets of your app registration.</li>
            <li>
              Choose <strong>New client secret</strong>, describe it (for example “Entra Sync Assistant {new Date().getFullYear()}
              ”) and pick when it expires: Microsoft recommends less than 12 months.
            </li>
            <li>
              Choose <strong>Add</strong> and copy the <strong>Value</strong> at once: the portal shows it only this one time. Not
              the Secret ID.
            </li>
          </ol>
          {props.info.credentialsLink && (
            <div>
              <Link href={props.info.credentialsLink.url} target="_blank" rel="noreferrer">
                Open Certificates &amp; secrets <Open16Regular aria-hidden />
              </Link>
            </div>
          )}
        </>
      )}
    </Step>
  );
}

/** Step 4: delete the replaced secret in the portal, then say so. */
export function DeleteOldStep(props: {
  info: RotationInfo;
  old: OldSecretReminder | null;
  replacedNow: boolean;
  onConfirmed: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const { old } = props;
  const confirm = async () => {
    setBusy(true);
    try {
      await call('rotation:confirmOldDeleted', undefined);
      setConfirmed(true);
      props.onConfirmed();
    } finally {
      setBusy(false);
    }
  };
  const finished = !old && (props.replacedNow || confirmed);
  return (
    <Step n={4} title="Delete the old secret" done={finished} testId="rotation-step-delete">
      {old ? (
        <>
          <Body1>
            The app now uses the new secret. In Certificates &amp; secrets, delete the old one, whose Value starts with{' '}
            <strong>{old.hint.slice(0, 3)}</strong>
            {old.keyId && (
              <>
                {' '}
                (Secret ID <code>{old.keyId}</code>
                {old.displayName ? `, “${old.displayName}”` : ''})
              </>
            )}
            . Until then anyone who has it can still read your directory.
          </Body1>
          {old.expiresAt && <Caption1>It would expire on its own {formatDateTime(old.expiresAt)}.</Caption1>}
          <div>
            {props.info.credentialsLink && (
              <Link href={props.info.credentialsLink.url} target="_blank" rel="noreferrer">
                Open Certificates &amp; secrets <Open16Regular aria-hidden />
              </Link>
            )}
          </div>
          <div>
            <Button onClick={() => void confirm()} disabled={busy}>
              I deleted the old secret
            </Button>
          </div>
        </>
      ) : finished ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Rotation complete</MessageBarTitle>
            The new secret is in use and the old one is gone. The reminders now follow the new expiry date.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Body1>Once the new secret is in use, delete the old one in the portal so it cannot be misused.</Body1>
      )}
    </Step>
  );
}
