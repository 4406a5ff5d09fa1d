/**
 * The live test of a new secret or application, repeated with backoff while Entra replicates it (a new app or
 * secret can be refused for seconds to minutes after its creation, graph-facts §6). Waits run on the injected
 * clock and are announced, so the UI can count down.
 */
import { requiredChecksPassed } from '../../../../shared/contract/connection';
import type { ValidationReport } from '../../../../shared/validation';
import type { Clock } from '../../ports';
import type { ValidationInput } from '../validator';
import { backoffMs, sleep } from './admin-graph';

/** How to repeat the test. */
export interface LiveValidationOptions {
  readonly clock: Clock;
  readonly budgetMs: number;
  readonly onWait?: (seconds: number) => void;
  /** Ends a wait at once (the admin cancelled). */
  readonly signal?: AbortSignal;
}

/** Tests `input` until the required checks pass or the budget is spent; the last report either way. */
export async function validateWithBackoff(
  validate: (input: ValidationInput) => Promise<ValidationReport>,
  input: ValidationInput,
  options: LiveValidationOptions,
): Promise<{ readonly passed: boolean; readonly report: ValidationReport }> {
  const started = options.clock.now().getTime();
  for (let attempt = 0; ; attempt++) {
    const report = await validate(input);
    if (requiredChecksPassed(report)) return { passed: true, report };
    const wait = Math.max(2000, backoffMs(attempt + 1));
    if (options.clock.now().getTime() - started + wait > options.budgetMs) return { passed: false, report };
    options.onWait?.(Math.round(wait / 1000));
    await sleep(options.clock, wait, options.signal);
  }
}

/** The first failed check of a report, for the failure message. */
export function firstFailure(report: ValidationReport): { message: string; fix: string; code: string } | undefined {
  const failed = report.checks.find((c) => c.status === 'fail');
  return failed ? { message: failed.message, fix: failed.fix, code: failed.code } : undefined;
}
