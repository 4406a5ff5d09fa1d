/** What is stored of a connection test: counts and problems beside the report itself. */
import { requiredChecksPassed, type ValidationSummary } from '../../../shared/contract/connection';
import type { ValidationReport } from '../../../shared/validation';

/** The stored summary of a report (with the report itself, which carries no secret). */
export function summariseReport(report: ValidationReport, now: Date): ValidationSummary {
  const counts = { pass: 0, warning: 0, fail: 0, skipped: 0 };
  for (const check of report.checks) {
    if (check.status === 'pass' || check.status === 'warning' || check.status === 'fail' || check.status === 'skipped') {
      counts[check.status] += 1;
    }
  }
  return {
    at: now.toISOString(),
    ok: report.ok,
    requiredPassed: requiredChecksPassed(report),
    counts,
    problems: report.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => `${c.id}:${c.code}`),
    report,
  };
}
