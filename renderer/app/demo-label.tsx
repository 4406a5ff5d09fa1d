import { Badge, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { call, on } from '../api/client';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Whether the demo tenant is the connection in use (false until known, and when it cannot be read). */
export function useDemoInUse(): boolean {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    let live = true;
    call('connection:get', undefined).then(
      (c) => live && setDemo(c.demo),
      () => undefined,
    );
    const off = on('connection:changed', (c) => setDemo(c.demo));
    return () => {
      live = false;
      off();
    };
  }, []);
  return demo;
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
