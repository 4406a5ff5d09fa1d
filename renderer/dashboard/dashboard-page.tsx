import { Title1 } from '@fluentui/react-components';
import type { PageProps } from '../app/pages';

/** Home, once set up: connection, secret expiry, last and next sync, Sync now. */
export function DashboardPage(_props: PageProps) {
  return <Title1 as="h1">Dashboard</Title1>;
}
