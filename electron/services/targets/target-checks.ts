/**
 * A Jira connection test as people read it (Settings → Targets): each check with a title, its verdict in words, the
 * fix and a link to Atlassian's page about it. Jira's own status and login reason move from the sentence into the
 * check's details, so the screen says what happened in words.
 */
import type { TargetTestReport } from '../../../shared/contract/targets';
import { presentReport, type CheckPresentation } from './remote/check-runner';
import type { JiraCheckId, JiraConnectionReport } from './jira/jira-connection-test';

/** What each check looks at (not a verdict, which a Failed status would contradict). */
const titles: Record<JiraCheckId, string> = {
  reachable: 'Jira at this address',
  tls: 'Encryption and certificate',
  token: 'Personal access token',
  admin: 'Administrator rights',
  apis: 'The APIs the sync needs',
  'rate-limit': 'Rate limiting',
};

const links: Partial<Record<JiraCheckId, { label: string; url: string }>> = {
  reachable: {
    label: 'Jira base URL',
    url: 'https://confluence.atlassian.com/adminjiraserver/configuring-the-base-url-938847830.html',
  },
  token: {
    label: 'Personal access tokens',
    url: 'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html',
  },
  admin: {
    label: 'Jira global permissions',
    url: 'https://confluence.atlassian.com/adminjiraserver/managing-global-permissions-938847142.html',
  },
  'rate-limit': {
    label: 'Jira rate limiting',
    url: 'https://confluence.atlassian.com/adminjiraserver/adjusting-your-code-for-rate-limiting-987143384.html',
  },
};

const how: CheckPresentation<JiraCheckId> = { titles, link: (check) => links[check.id], answeredBy: 'Jira' };

/** The report the contract carries, stamped with when it was made. */
export function presentJiraReport(report: JiraConnectionReport, at: string): TargetTestReport {
  return { ...presentReport(report, how), at };
}
