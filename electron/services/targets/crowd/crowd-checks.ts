/**
 * A Crowd connection test as people read it (Settings → Targets): each check with a title, its verdict in words,
 * the fix and a link to Atlassian's page about it. Crowd's status codes move from the sentence into the details.
 */
import type { TargetCheck, TargetTestReport } from '../../../../shared/contract/targets';
import type { CrowdCheck, CrowdCheckId, CrowdConnectionReport } from './crowd-connection-test';

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

/** `(401)` or `(403)` inside a sentence: Crowd's raw answer, out of the verdict into the details. */
const statusInParens = /\s*\((\d{3})\)/;

function present(check: CrowdCheck): TargetCheck {
  let message = check.message;
  const details: string[] = [];
  const m = statusInParens.exec(message);
  if (m) {
    message = message.replace(statusInParens, '');
    details.push(`Crowd answered with HTTP status ${m[1]}.`);
  }
  if (check.code === 'write-unconfirmed') details.push('This test sent Crowd only reads (GET requests): nothing was created.');
  return {
    id: check.id,
    title: titles[check.id],
    status: check.status,
    code: check.code,
    message,
    fix: check.fix,
    link: check.status === 'fail' || check.status === 'warning' ? (links[check.id] ?? null) : null,
    ms: 0,
    details,
  };
}

/** The report the contract carries, stamped with when it was made. */
export function presentCrowdReport(report: CrowdConnectionReport, at: string): TargetTestReport {
  return { ok: report.ok, at, product: report.product, version: report.version, checks: report.checks.map(present) };
}
