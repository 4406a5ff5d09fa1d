/**
 * A Bitbucket connection test as people read it (Settings → Targets): each check with a title, its verdict in
 * words, the fix and a link to Atlassian's page about it; Bitbucket's raw answer in the details.
 */
import type { TargetTestReport } from '../../../../shared/contract/targets';
import { presentReport, type CheckPresentation } from '../remote/check-runner';
import type { BitbucketCheckId, BitbucketConnectionReport } from './bitbucket-connection-test';

const titles: Record<BitbucketCheckId, string> = {
  reachable: 'Bitbucket at this address',
  tls: 'Encryption and certificate',
  credential: 'Administrator username and password',
  admin: 'Administrator rights',
  apis: 'The APIs the sync needs',
  directory: 'Where new users go',
  'rate-limit': 'Rate limiting',
};

const links: Partial<Record<BitbucketCheckId, { label: string; url: string }>> = {
  reachable: {
    label: 'Bitbucket base URL',
    url: 'https://confluence.atlassian.com/bitbucketserver/specify-the-bitbucket-base-url-776640392.html',
  },
  credential: {
    label: 'Disabling basic authentication',
    url: 'https://confluence.atlassian.com/enterprise/disabling-basic-authentication-1044776464.html',
  },
  admin: {
    label: 'Bitbucket HTTP access tokens',
    url: 'https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html',
  },
  apis: {
    label: 'Bitbucket global permissions',
    url: 'https://confluence.atlassian.com/bitbucketserver/global-permissions-776640369.html',
  },
  directory: {
    label: 'Bitbucket user directories',
    url: 'https://confluence.atlassian.com/bitbucketserver/external-user-directories-776640394.html',
  },
};

const how: CheckPresentation<BitbucketCheckId> = { titles, link: (check) => links[check.id] };

/** The report the contract carries, without `at` (the target admin stamps it). */
export function presentBitbucketReport(report: BitbucketConnectionReport): Omit<TargetTestReport, 'at'> {
  return presentReport(report, how);
}
