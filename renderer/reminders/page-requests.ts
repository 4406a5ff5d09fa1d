import { on } from '../api/client';

/**
 * Requests to show a page that come from outside the page tree: a notification toast's action, the tray, a
 * desktop notification's click (the main side sends `shell:navigate`). The main shell listens and switches page.
 */
type Listener = (page: string) => void;
const listeners = new Set<Listener>();

/** Asks the main shell to show `page` (a page id such as `rotation`). */
export function requestPage(page: string): void {
  for (const listener of [...listeners]) listener(page);
}

/** Listens to page requests from inside the window and from the main side; returns the unsubscribe function. */
export function onPageRequest(listener: Listener): () => void {
  listeners.add(listener);
  const off = on('shell:navigate', ({ page }) => listener(page));
  return () => {
    listeners.delete(listener);
    off();
  };
}

/** The button text for a notification's action, by the page it opens. */
export function actionLabel(page: string): string {
  switch (page) {
    case 'rotation':
      return 'Show the steps to replace the secret';
    case 'history':
      return 'Open the history';
    default:
      return 'Open';
  }
}
