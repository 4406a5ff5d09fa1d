/**
 * A SCIM connection test as people read it (Settings → Targets): each check with a title, its verdict in words,
 * the fix and a link to the page about it (RFC 7644, or Atlassian's for the preset).
 */
import type { TargetCheck, TargetTestReport } from '../../../../shared/contract/targets';
import type { ScimCheck, ScimCheckId, ScimConnectionReport } from './scim-connection-test';

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

function present(check: ScimCheck, atlassian: boolean): TargetCheck {
  const link = check.id === 'token' ? (atlassian ? cloudKey : rfc) : atlassian ? cloud : rfc;
  const m = /\((\d{3})\)/.exec(check.message);
  return {
    id: check.id,
    title: titles[check.id],
    status: check.status,
    code: check.code,
    message: m ? check.message.replace(/\s*\(\d{3}\)/, '') : check.message,
    fix: check.fix,
    link: check.status === 'fail' || check.status === 'warning' ? link : null,
    ms: 0,
    details: m ? [`The service answered with HTTP status ${m[1]}.`] : [],
  };
}

/** The report the contract carries, stamped with when it was made. */
export function presentScimReport(report: ScimConnectionReport, at: string, atlassian: boolean): TargetTestReport {
  return {
    ok: report.ok,
    at,
    product: report.product,
    version: report.version,
    checks: report.checks.map((c) => present(c, atlassian)),
  };
}
