/**
 * A SCIM connection test as people read it (Settings → Targets): each check with a title, its verdict in words,
 * the fix and a link to the page about it (RFC 7644, or Atlassian's for the preset).
 */
import type { TargetTestReport } from '../../../../shared/contract/targets';
import { presentReport, type CheckPresentation } from '../remote/check-runner';
import type { ScimCheckId, ScimConnectionReport } from './scim-connection-test';

const titles: Record<ScimCheckId, string> = {
  reachable: 'SCIM service at this address',
  tls: 'Encryption and certificate',
  token: 'Bearer token',
  config: 'What the service supports',
  discovery: 'Resource types and schemas',
  users: 'Reading users',
  groups: 'Reading groups',
};

const rfc = { label: 'SCIM 2.0 protocol (RFC 7644)', url: 'https://datatracker.ietf.org/doc/html/rfc7644' };
const cloud = {
  label: 'Atlassian Cloud user provisioning API',
  url: 'https://developer.atlassian.com/cloud/admin/user-provisioning/rest/intro/',
};
const cloudKey = {
  label: 'Configure user provisioning with an identity provider',
  url: 'https://support.atlassian.com/provisioning-users/docs/understand-user-provisioning/',
};

const how = (atlassian: boolean): CheckPresentation<ScimCheckId> => ({
  titles,
  link: (check) => (check.id === 'token' ? (atlassian ? cloudKey : rfc) : atlassian ? cloud : rfc),
  answeredBy: 'The service',
});

/** The report the contract carries, stamped with when it was made. */
export function presentScimReport(report: ScimConnectionReport, at: string, atlassian: boolean): TargetTestReport {
  return { ...presentReport(report, how(atlassian)), at };
}
