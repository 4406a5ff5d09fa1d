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

/** What every page receives: a way to move to another page (e.g. the dashboard's "See history"). */
export interface PageProps {
  readonly navigate: (page: PageId, params?: Readonly<Record<string, string>>) => void;
  readonly params: Readonly<Record<string, string>>;
}

export interface PageEntry {
  readonly id: string;
  readonly label: string;
  readonly icon: FluentIcon;
  readonly component: ComponentType<PageProps>;
}

/**
 * The pages of the main window, in navigation order. A feature adds its page here; the shell, the
 * navigation and keyboard access follow from this list.
 */
export const pages = [
  { id: 'dashboard', label: 'Dashboard', icon: Home24Regular, component: DashboardPage },
  // the sync (renderer/sync, renderer/history, renderer/directory)
  { id: 'sync-plan', label: 'Plan preview', icon: ArrowSync24Regular, component: PlanPreviewPage },
  { id: 'history', label: 'History', icon: History24Regular, component: HistoryPage },
  { id: 'directory', label: 'Directory', icon: People24Regular, component: DirectoryPage },
  { id: 'sync-settings', label: 'Sync settings', icon: Settings24Regular, component: SyncSettingsPage },
  // secret expiry: the guided rotation (renderer/rotation)
  { id: 'schedule', label: 'Schedule', icon: CalendarClock24Regular, component: SchedulePage },
  { id: 'rotation', label: 'Client secret', icon: Key24Regular, component: RotationPage },
  // connection, demo tenant, model, theme, about & storage (renderer/settings)
  { id: 'settings', label: 'Settings', icon: WrenchSettings24Regular, component: SettingsPage },
] as const satisfies readonly PageEntry[];

export type PageId = (typeof pages)[number]['id'];
