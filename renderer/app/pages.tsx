import type { FluentIcon } from '@fluentui/react-icons';
import { Home24Regular } from '@fluentui/react-icons';
import type { ComponentType } from 'react';
import { DashboardPage } from '../dashboard/dashboard-page';

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
] as const satisfies readonly PageEntry[];

export type PageId = (typeof pages)[number]['id'];
