/**
 * A Confluence connection test as people read it (Settings → Targets): each check with a title, its verdict in
 * words, the fix and a link to Atlassian's page about it; Confluence's raw answer in the details.
 */
import type { TargetTestReport } from '../../../../shared/contract/targets';
import { presentReport, type CheckPresentation } from '../remote/check-runner';
import type { ConfluenceCheckId, ConfluenceConnectionReport } from './confluence-connection-test';

const titles: Record<ConfluenceCheckId, string> = {
  reachable: 'Confluence at this address',
  tls: 'Encryption and certificate',
  token: 'Personal access token',
  admin: 'Administrator rights',
  apis: 'The APIs the sync needs',
  directory: 'Where new users go',
  'rate-limit': 'Rate limiting',
};

const links: Partial<Record<ConfluenceCheckId, { label: string; url: string }>> = {
  reachable: {
    label: 'Confluence server base URL',
    url: 'https://confluence.atlassian.com/doc/configuring-the-server-base-url-148592.html',
  },
  token: {
    label: 'Personal access tokens',
    url: 'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html',
  },
  admin: {
    label: 'Confluence global permissions',
    url: 'https://confluence.atlassian.com/doc/global-permissions-overview-138709.html',
  },
  apis: {
    label: 'Confluence REST API',
    url: 'https://developer.atlassian.com/server/confluence/rest/v10214/',
  },
  'rate-limit': {
    label: 'Confluence rate limiting',
    url: 'https://confluence.atlassian.com/doc/improving-instance-stability-with-rate-limiting-992679004.html',
  },
};

const how: CheckPresentation<ConfluenceCheckId> = { titles, link: (check) => links[check.id] };

/** The report the contract carries, without `at` (the target admin stamps it). */
export function presentConfluenceReport(report: ConfluenceConnectionReport): Omit<TargetTestReport, 'at'> {
  return presentReport(report, how);
}
