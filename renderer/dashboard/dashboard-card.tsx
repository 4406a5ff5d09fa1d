import { Card, Subtitle2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export const useCardStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  big: { fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
});

/** A dashboard card: a heading (with optional actions on the right) and its content. */
export function DashboardCard(props: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
  className?: string;
}) {
  const styles = useCardStyles();
  const id = `card-${props.title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card
      className={mergeClasses(styles.card, props.className)}
      aria-labelledby={id}
      data-testid={props.testId}
      style={props.wide ? { gridColumn: '1 / -1' } : undefined}
    >
      <div className={styles.head}>
        <Subtitle2 as="h2" id={id}>
          {props.title}
        </Subtitle2>
        <span className={styles.grow} />
        {props.actions}
      </div>
      {props.children}
    </Card>
  );
}
