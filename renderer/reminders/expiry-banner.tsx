import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { reminderThresholds, type ReminderStatus } from '../../shared/contract/schedule';
import { call } from '../api/client';
import { requestPage } from './page-requests';
import { useReminders } from './use-reminders';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** "until 3 days are left": when a snoozed banner comes back. */
export function snoozeUntil(r: ReminderStatus): string {
  if (r.threshold === null) return 'until the expiry date is known';
  const next = reminderThresholds.find((t) => t < (r.threshold ?? 0));
  if (next === undefined) return 'until it expires';
  if (next === 0) return 'until the day it expires';
  return `until ${next} day${next === 1 ? ' is' : 's are'} left`;
}

/**
 * The secret-expiry banner: shown from 30 days before expiry (and whenever the date is unknown or the secret has
 * expired), with the way to replace the secret and a snooze until the next reminder. After a rotation it also
 * reminds to delete the old secret in the portal. Loads and follows the reminder status itself.
 */
export function ExpiryBanner(props: { onRotate?: () => void }) {
  const styles = useStyles();
  const { reminders: r, snooze, setReminders } = useReminders();
  const [busy, setBusy] = useState(false);
  const rotate = props.onRotate ?? (() => requestPage('rotation'));
  if (!r || !r.configured) return null;
  const old = r.oldSecret;
  if (!r.showBanner && !old) return null;

  const confirmDeleted = async () => {
    setBusy(true);
    try {
      setReminders(await call('rotation:confirmOldDeleted', undefined));
    } finally {
      setBusy(false);
    }
  };
  const intent = r.level === 'expired' ? 'error' : r.level === 'unknown' ? 'info' : 'warning';
  const snoozeHint = snoozeUntil(r);

  return (
    <div className={styles.stack}>
      {r.showBanner && (
        <MessageBar intent={intent} layout="multiline" data-testid="expiry-banner" data-level={r.level}>
          <MessageBarBody>
            <MessageBarTitle>{r.title}</MessageBarTitle>
            {r.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={rotate}>
              {r.level === 'unknown' ? 'Enter the date' : 'Replace the secret'}
            </Button>
            {r.level !== 'expired' && (
              <Button
                onClick={() => void snooze()}
                title={`Hide this reminder ${snoozeHint}`}
                aria-label={`Remind me later: hide this ${snoozeHint}`}
              >
                Remind me later
              </Button>
            )}
          </MessageBarActions>
        </MessageBar>
      )}
      {old && (
        <MessageBar intent="info" layout="multiline" data-testid="old-secret-banner">
          <MessageBarBody>
            <MessageBarTitle>Delete the old client secret</MessageBarTitle>
            The app now uses the new secret. Delete the old one ({old.hint}
            {old.keyId ? `, Secret ID ${old.keyId}` : ''}) in Certificates &amp; secrets, so it cannot be used by anyone else.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={rotate}>Show me where</Button>
            <Button onClick={() => void confirmDeleted()} disabled={busy}>
              I deleted it
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </div>
  );
}
