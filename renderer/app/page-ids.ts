/**
 * The main window's page ids and what every page receives. Kept apart from the page list (pages.tsx), which imports
 * every page: a page that links to another (the dashboard's "See history") names it from here, without a cycle.
 */

/** The pages in navigation order; pages.tsx gives each its label, icon and component. */
export const pageIds = [
  'dashboard',
  // the sync (renderer/sync, renderer/history, renderer/directory)
  'sync-plan',
  'history',
  'directory',
  'sync-settings',
  // scheduled syncs and the guided secret rotation (renderer/schedule, renderer/rotation)
  'schedule',
  'rotation',
  // connection, demo tenant, model, theme, about & storage (renderer/settings)
  'settings',
] as const;

export type PageId = (typeof pageIds)[number];

/** True for the id of a page of this build (a request from a notification or the tray is only a string). */
export function isPageId(id: string): id is PageId {
  return (pageIds as readonly string[]).includes(id);
}

/** What every page receives: a way to move to another page (e.g. the dashboard's "See history"). */
export interface PageProps {
  readonly navigate: (page: PageId, params?: Readonly<Record<string, string>>) => void;
  readonly params: Readonly<Record<string, string>>;
}
