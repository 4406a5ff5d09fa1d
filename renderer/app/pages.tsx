import type { FluentIcon } from '@fluentui/react-icons';
import {
  ArrowSync24Regular,
  History24Regular,
  Home24Regular,
  CalendarClock24Regular,
  Key24Regular,
  People24Regular,
  Settings24Regular,
  WrenchSettings24Regular,
} from '@fluentui/react-icons';
import type { ComponentType } from 'react';
import { DashboardPage } from '../dashboard/dashboard-page';
import { DirectoryPage } from '../directory/directory-page';
import { HistoryPage } from '../history/history-page';
import { RotationPage } from '../rotation/rotation-page';
import { SchedulePage } from '../schedule/schedule-page';
import { SettingsPage } from '../settings/settings-page';
import { PlanPreviewPage } from '../sync/plan-preview-page';
import { SyncSettingsPage } from '../sync/sync-settings-page';
import { pageIds, type PageId, type PageProps } from './page-ids';

export interface PageEntry {
  readonly id: PageId;
  readonly label: string;
  readonly icon: FluentIcon;
  readonly component: ComponentType<PageProps>;
}

/** Each page's label, icon and component; a page id (page-ids.ts) without its entry here fails to compile. */
const entries: Readonly<Record<PageId, Omit<PageEntry, 'id'>>> = {
  dashboard: { label: 'Dashboard', icon: Home24Regular, component: DashboardPage },
  'sync-plan': { label: 'Plan preview', icon: ArrowSync24Regular, component: PlanPreviewPage },
  history: { label: 'History', icon: History24Regular, component: HistoryPage },
  directory: { label: 'Directory', icon: People24Regular, component: DirectoryPage },
  'sync-settings': { label: 'Sync settings', icon: Settings24Regular, component: SyncSettingsPage },
  schedule: { label: 'Schedule', icon: CalendarClock24Regular, component: SchedulePage },
  rotation: { label: 'Client secret', icon: Key24Regular, component: RotationPage },
  settings: { label: 'Settings', icon: WrenchSettings24Regular, component: SettingsPage },
};

/** One page of the main window. */
export function pageEntry(id: PageId): PageEntry {
  return { id, ...entries[id] };
}

/**
 * The pages of the main window, in navigation order. A feature adds its id to page-ids.ts and its entry here; the
 * shell, the navigation and keyboard access follow from this list.
 */
export const pages: readonly PageEntry[] = pageIds.map(pageEntry);
