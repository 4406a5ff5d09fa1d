import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualColumn<T> {
  readonly key: string;
  readonly header: string;
  /** A CSS grid track, e.g. `2fr` or `90px`. */
  readonly width: string;
  readonly render: (row: T) => ReactNode;
  readonly align?: 'start' | 'end';
}

const rowHeight = 36;
const overscan = 12;

const useStyles = makeStyles({
  scroller: {
    position: 'relative',
    overflowY: 'auto',
    overflowX: 'hidden',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  header: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    display: 'grid',
    alignItems: 'center',
    height: `${rowHeight}px`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    fontWeight: tokens.fontWeightSemibold,
  },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    display: 'grid',
    alignItems: 'center',
    height: `${rowHeight}px`,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Selected },
  },
  active: { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  cell: {
    paddingLeft: tokens.spacingHorizontalS,
    paddingRight: tokens.spacingHorizontalS,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
  end: { textAlign: 'end' },
  placeholder: { color: tokens.colorNeutralForeground4 },
});

/**
 * A table that renders only the rows in view (fixed row height), so 100,000 rows scroll as smoothly as 100.
 * Keyboard: the table is one tab stop; arrows, Page Up/Down, Home/End move the active row, Enter opens it.
 * Give it a `key` per query so a new query starts at the top.
 */
export function VirtualTable<T>(props: {
  label: string;
  total: number;
  columns: readonly VirtualColumn<T>[];
  rowAt: (index: number) => T | undefined;
  ensureRange: (first: number, last: number) => void;
  rowKey: (row: T) => string;
  selectedKey?: string;
  onOpen?: (row: T) => void;
  height: string;
}) {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [activeIndex, setActiveIndex] = useState(0);
  // The active row is marked only while the table has the keyboard focus.
  const [focused, setFocused] = useState(false);
  const idPrefix = useId();
  const { total, ensureRange } = props;
  const template = props.columns.map((c) => c.width).join(' ');

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  useEffect(() => {
    if (last >= first) ensureRange(first, last);
  }, [first, last, ensureRange]);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    setActiveIndex(next);
    const el = scroller.current;
    if (!el) return;
    const top = next * rowHeight;
    // The sticky header covers the first row height of the viewport.
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + 2 * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * rowHeight - el.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const pageRows = Math.max(1, Math.floor(viewport / rowHeight) - 2);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex + 1),
      ArrowUp: () => moveTo(activeIndex - 1),
      PageDown: () => moveTo(activeIndex + pageRows),
      PageUp: () => moveTo(activeIndex - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(total - 1),
      Enter: () => {
        const row = props.rowAt(activeIndex);
        if (row) props.onOpen?.(row);
      },
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const row = props.rowAt(i);
    const key = row ? props.rowKey(row) : undefined;
    rows.push(
      <div
        key={i}
        id={`${idPrefix}-row-${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={key !== undefined && key === props.selectedKey}
        className={mergeClasses(
          styles.row,
          key !== undefined && key === props.selectedKey && styles.selected,
          focused && i === activeIndex && styles.active,
        )}
        style={{ top: `${(i + 1) * rowHeight}px`, gridTemplateColumns: template }}
        onClick={() => {
          setActiveIndex(i);
          if (row) props.onOpen?.(row);
        }}
        data-testid={row ? 'directory-row' : 'directory-row-loading'}
      >
        {props.columns.map((c) => (
          <div key={c.key} role="gridcell" className={mergeClasses(styles.cell, c.align === 'end' && styles.end)}>
            {row ? c.render(row) : c === props.columns[0] ? <span className={styles.placeholder}>Loading…</span> : null}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className={styles.scroller}
      style={{ height: props.height }}
      role="grid"
      aria-label={props.label}
      aria-readonly
      aria-activedescendant={focused && total > 0 ? `${idPrefix}-row-${activeIndex}` : undefined}
      aria-rowcount={total + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="virtual-table"
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={styles.header} style={{ gridTemplateColumns: template }}>
          {props.columns.map((c) => (
            <div key={c.key} role="columnheader" className={mergeClasses(styles.cell, c.align === 'end' && styles.end)}>
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${(total + 1) * rowHeight}px` }}>
        {rows}
      </div>
      {total === 0 && (
        <div style={{ padding: '12px' }}>
          <Caption1>Nothing matches.</Caption1>
        </div>
      )}
    </div>
  );
}
