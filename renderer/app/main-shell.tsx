import { Badge, Caption1, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { onPageRequest } from '../reminders/page-requests';
import { ExpiryBanner } from '../reminders/expiry-banner';
import { LeaveDialog, LeaveGuardContext, type LeaveGuard } from './leave-guard';
import { isPageId, type PageId } from './page-ids';
import { pageEntry, pages } from './pages';

const useStyles = makeStyles({
  shell: { display: 'grid', gridTemplateColumns: '220px minmax(0, 1fr)', minHeight: '100vh' },
  nav: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalM}`,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  brand: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalS },
  content: {
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    minWidth: 0,
    '@media (max-width: 1000px)': { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}` },
  },
});

/**
 * Focuses the page's `h1` inside `main` as soon as it is there (a page may show a spinner first); returns a cleanup
 * that stops waiting.
 */
function focusHeadingWhenShown(main: HTMLElement): () => void {
  const focus = (): boolean => {
    const heading = main.querySelector<HTMLElement>('h1');
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
    return true;
  };
  if (focus()) return () => undefined;
  const observer = new MutationObserver(() => {
    if (focus()) observer.disconnect();
  });
  observer.observe(main, { childList: true, subtree: true });
  return () => observer.disconnect();
}

/** The main window once set up: navigation on the side, one page at a time. */
export function MainShell(props: { banner?: ReactNode; demo?: boolean }) {
  const styles = useStyles();
  const [current, setCurrent] = useState<{ page: PageId; params: Readonly<Record<string, string>> }>({
    page: 'dashboard',
    params: {},
  });
  // A page opened by a link or a request (not by its tab, which keeps the focus) gets the focus on its heading, so
  // keyboard and screen-reader users start there instead of on <body>.
  const [focusRequest, setFocusRequest] = useState(0);
  const main = useRef<HTMLElement>(null);
  // A page with unsaved changes (Sync settings) holds navigation until the admin saves, discards or stays.
  const guard = useRef<LeaveGuard | undefined>(undefined);
  const registerGuard = useCallback((g: LeaveGuard | undefined) => {
    guard.current = g;
  }, []);
  type Target = { page: PageId; params: Readonly<Record<string, string>>; focus: boolean };
  const [pending, setPending] = useState<Target>();
  const go = (target: Target) => {
    guard.current = undefined;
    setPending(undefined);
    setCurrent({ page: target.page, params: target.params });
    if (target.focus) setFocusRequest((n) => n + 1);
  };
  const request = (target: Target) => {
    if (guard.current && target.page !== current.page) setPending(target);
    else go(target);
  };
  const open = (page: PageId, params: Readonly<Record<string, string>> = {}) => request({ page, params, focus: true });
  const requestRef = useRef(request);
  useEffect(() => {
    requestRef.current = request;
  });
  useEffect(() => {
    if (focusRequest === 0 || !main.current) return;
    return focusHeadingWhenShown(main.current);
  }, [focusRequest]);
  // Notifications and the tray ask for pages from outside the page tree (e.g. the rotation steps).
  useEffect(
    () =>
      onPageRequest((page) => {
        if (isPageId(page)) requestRef.current({ page, params: {}, focus: true });
      }),
    [],
  );
  const entry = pageEntry(current.page);
  const Page = entry.component;
  return (
    <div className={styles.shell}>
      <nav className={styles.nav} aria-label="Main">
        <div className={styles.brand}>
          <Text weight="semibold">Entra Sync Assistant</Text>
          {props.demo ? (
            <Badge appearance="filled" color="warning">
              DEMO tenant
            </Badge>
          ) : (
            <Caption1>User Sync</Caption1>
          )}
        </div>
        <TabList
          vertical
          selectedValue={current.page}
          onTabSelect={(_, d) => request({ page: d.value as PageId, params: {}, focus: false })}
        >
          {pages.map((p) => (
            <Tab key={p.id} value={p.id} icon={<p.icon />}>
              {p.label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={styles.content} ref={main}>
        {props.banner}
        {/* The secret-expiry reminder shows above every page; the rotation page says it in its own words. */}
        {current.page !== 'rotation' && <ExpiryBanner onRotate={() => open('rotation')} />}
        <LeaveGuardContext.Provider value={registerGuard}>
          <Page navigate={open} params={current.params} />
        </LeaveGuardContext.Provider>
      </main>
      <LeaveDialog
        open={pending !== undefined}
        onSave={async () => {
          const target = pending;
          if (target && (await guard.current?.save()) !== false) go(target);
          else setPending(undefined);
        }}
        onDiscard={() => pending && go(pending)}
        onStay={() => setPending(undefined)}
      />
    </div>
  );
}
