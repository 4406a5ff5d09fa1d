/**
 * A Crowd connection test as people read it (Settings → Targets): each check with a title, its verdict in words,
 * the fix and a link to Atlassian's page about it. Crowd's status codes move from the sentence into the details.
 */
import type { TargetTestReport } from '../../../../shared/contract/targets';
import { presentReport, type CheckPresentation } from '../remote/check-runner';
import type { CrowdCheckId, CrowdConnectionReport } from './crowd-connection-test';

const titles: Record<CrowdCheckId, string> = {
  reachable: 'Crowd at this address',
  tls: 'Encryption and certificate',
  credential: 'Application name and password',
  address: "This machine's address",
  admin: 'Permission to change users and groups',
  apis: 'The APIs the sync needs',
  directory: 'Where new users go',
  'rate-limit': 'Rate limiting',
};

const links: Partial<Record<CrowdCheckId, { label: string; url: string }>> = {
  credential: {
    label: 'Adding an application to Crowd',
    url: 'https://confluence.atlassian.com/crowd/adding-an-application-18579591.html',
  },
  address: {
    label: "Specifying an application's address or hostname",
    url: 'https://confluence.atlassian.com/crowd/specifying-an-application-s-address-or-hostname-25788430.html',
  },
  admin: {
    label: 'Specifying directory permissions for an application',
    url: 'https://confluence.atlassian.com/crowd/specifying-directory-permissions-for-an-application-25788428.html',
  },
  directory: {
    label: 'Mapping a directory to an application',
    url: 'https://confluence.atlassian.com/crowd/mapping-a-directory-to-an-application-25788427.html',
  },
};

const how: CheckPresentation<CrowdCheckId> = { titles, link: (check) => links[check.id], answeredBy: 'Crowd' };

/** The report the contract carries, stamped with when it was made. */
export function presentCrowdReport(report: CrowdConnectionReport, at: string): TargetTestReport {
  return { ...presentReport(report, how), at };
}
