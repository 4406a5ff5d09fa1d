import { Badge, Body1, Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { ReminderStatus } from '../../shared/contract/schedule';
import { formatDateTime } from '../sync/format';
import { DashboardCard, useCardStyles } from './dashboard-card';
import { countdownText, expiryTone, toneColorToken, toneLabel } from './expiry';

/** Microsoft's steps for adding a client secret: where rotation starts when the app has no rotation page. */
export const rotationDocsUrl = 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials?tabs=client-secret';

const useStyles = makeStyles({
  ok: { color: tokens[toneColorToken.ok] },
  amber: { color: tokens[toneColorToken.amber] },
  red: { color: tokens[toneColorToken.red] },
  unknown: { color: tokens[toneColorToken.unknown] },
  countdown: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
});

/**
 * The client secret's expiry as a countdown (green, amber at 30 days, red at 7 or expired) with the way to rotate
 * it. `onRotate` opens the app's rotation steps when there is such a page; otherwise Microsoft's own steps are linked.
 * Level and days come from the reminder status, which the services recompute at the admin's midnight and emit.
 */
export function ExpiryCard(props: { reminders: ReminderStatus | undefined; onRotate?: () => void }) {
  const card = useCardStyles();
  const styles = useStyles();
  const r = props.reminders;
  const tone = r?.configured ? expiryTone(r.level) : 'unknown';
  const badge = { ok: 'success', amber: 'warning', red: 'danger', unknown: 'informative' } as const;
  const label = r?.configured ? toneLabel(r) : 'Unknown';
  const countdown = r?.configured ? countdownText(r) : null;

  return (
    <DashboardCard title="Client secret" testId="expiry-card">
      <div className={card.row}>
        <Badge appearance="filled" color={badge[tone]} data-testid="expiry-tone" data-tone={tone}>
          {label}
        </Badge>
      </div>
      {countdown !== null ? (
        <span className={`${styles.countdown} ${styles[tone]}`} data-testid="expiry-countdown">
          {countdown}
        </span>
      ) : (
        <Body1>{!r ? 'Loading…' : r.configured ? 'The expiry date is not known.' : r.message}</Body1>
      )}
      {r?.expiresAt && <Caption1>Expires {formatDateTime(r.expiresAt)}</Caption1>}
      {r?.configured && r.message && tone !== 'ok' && <Body1>{r.message}</Body1>}
      {r?.configured !== false && (
        <Body1>
          {props.onRotate ? (
            <>
              <Link onClick={props.onRotate}>Rotate the secret for me</Link> ·{' '}
              <Link onClick={props.onRotate}>Rotate the secret: step by step</Link>
            </>
          ) : (
            <Link href={rotationDocsUrl} target="_blank" rel="noreferrer">
              How to create a new client secret (Microsoft Learn)
            </Link>
          )}
        </Body1>
      )}
    </DashboardCard>
  );
}
