/**
 * The live state of one validation run: every check's status and timing, snapshots for progress events,
 * and a last scrub of every text against the secret in use before it leaves the service.
 */
import {
  checkIds,
  checkTitles,
  maskSecret,
  reportPassed,
  scrubSecrets,
  type CheckId,
  type CheckResult,
  type SecretExpiry,
  type ValidationCode,
  type ValidationProgress,
  type ValidationReport,
} from '../../../shared/validation';
import type { PortalLink } from '../../../shared/clouds';

/** The outcome of a finished check. */
export interface CheckOutcome {
  readonly status: 'pass' | 'warning' | 'fail';
  readonly code: ValidationCode;
  readonly message: string;
  readonly fix?: string;
  readonly link?: PortalLink | null;
  readonly details?: readonly string[];
}

/** Who the run is about; copied into every snapshot. */
export interface BoardMeta {
  readonly cloud: ValidationReport['cloud'];
  readonly tenant: string;
  readonly clientId: string;
  readonly retest: boolean;
  readonly startedAt: Date;
}

/** Mutable board of checks; {@link CheckBoard.report} gives an immutable snapshot. */
export class CheckBoard {
  private readonly checks = new Map<CheckId, CheckResult>();
  private readonly started = new Map<CheckId, number>();
  private readonly t0 = performance.now();
  private secret: SecretExpiry = { expiresAt: null, daysLeft: null, source: 'unknown', candidates: [] };
  private done = false;

  constructor(
    private readonly meta: BoardMeta,
    private readonly secrets: readonly string[],
    private readonly requests: () => number,
    private readonly onProgress?: (progress: ValidationProgress) => void,
  ) {
    for (const id of checkIds) {
      this.checks.set(id, {
        id,
        title: checkTitles[id],
        status: 'pending',
        code: 'pending',
        message: '',
        fix: '',
        link: null,
        ms: 0,
        details: [],
      });
    }
  }

  /** Marks checks as running (several at once when one request answers them all). */
  start(...ids: CheckId[]): void {
    const now = performance.now();
    for (const id of ids) {
      this.started.set(id, now);
      this.update(id, { status: 'running', code: 'running', message: 'Checking…' });
    }
  }

  /** Records a check's outcome; `ms` runs from its start. */
  finish(id: CheckId, outcome: CheckOutcome): void {
    const began = this.started.get(id) ?? performance.now();
    this.update(id, {
      status: outcome.status,
      code: outcome.code,
      message: outcome.message,
      fix: outcome.fix ?? '',
      link: outcome.link ?? null,
      details: [...(outcome.details ?? [])],
      ms: Math.round(performance.now() - began),
    });
  }

  /** Marks checks that cannot run, saying why. */
  skip(ids: readonly CheckId[], reason: string): void {
    for (const id of ids) {
      if (this.get(id).status !== 'pending' && this.get(id).status !== 'running') continue;
      this.update(id, {
        status: 'skipped',
        code: 'skipped-after-failure',
        message: `Skipped: ${reason}`,
        fix: '',
        link: null,
        details: [],
        ms: 0,
      });
    }
  }

  /** Skips every check not finished yet (pending, or running on a request that already failed another check). */
  skipRemaining(reason: string): void {
    this.skip(checkIds, reason); // skip() leaves finished checks as they are
  }

  get(id: CheckId): CheckResult {
    const check = this.checks.get(id);
    if (!check) throw new Error(`Unknown check ${id}`);
    return check;
  }

  setSecretExpiry(expiry: SecretExpiry): void {
    this.secret = expiry;
  }

  /** Ends the run; the last snapshot has `done: true`. */
  close(): ValidationReport {
    this.done = true;
    return this.report();
  }

  /** A snapshot of the whole report. */
  report(): ValidationReport {
    const checks = checkIds.map((id) => ({ ...this.get(id), details: [...this.get(id).details] }));
    return {
      ok: this.done ? reportPassed(checks) : false,
      done: this.done,
      cloud: this.meta.cloud,
      tenant: this.meta.tenant,
      clientId: this.meta.clientId,
      secretHint: maskSecret(this.secrets[0] ?? ''),
      retest: this.meta.retest,
      startedAt: this.meta.startedAt.toISOString(),
      ms: Math.round(performance.now() - this.t0),
      checks,
      secret: { ...this.secret, candidates: [...this.secret.candidates] },
      requests: this.requests(),
    };
  }

  private update(id: CheckId, patch: Partial<CheckResult>): void {
    const scrub = (text: string) => scrubSecrets(text, this.secrets);
    const next: CheckResult = { ...this.get(id), ...patch };
    const clean: CheckResult = {
      ...next,
      message: scrub(next.message),
      fix: scrub(next.fix),
      details: next.details.map(scrub),
    };
    this.checks.set(id, clean);
    this.onProgress?.({ check: clean, report: this.report() });
  }
}
