import { Badge, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { call } from '../api/client';
import { useLive } from '../api/use-live';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Whether the demo tenant is the connection in use (false until known, and when it cannot be read). */
export function useDemoInUse(): boolean {
  // Kept current by connection:changed; an answer older than the latest change is dropped (see useLive).
  return useLive('connection:changed', () => call('connection:get', undefined)).value?.demo ?? false;
}

/**
 * The DEMO label of a page that shows the demo tenant's data (directory, history, plans), with what it means: the
 * demo has a store of its own, and the admin's is kept apart. Nothing while the admin's own connection is in use.
 */
export function DemoDataLabel(props: { children: string }) {
  const styles = useStyles();
  const demo = useDemoInUse();
  if (!demo) return null;
  return (
    <div className={styles.row} data-testid="page-demo-label">
      <Badge appearance="filled" color="warning">
        DEMO
      </Badge>
      <Caption1>{props.children}</Caption1>
    </div>
  );
}
