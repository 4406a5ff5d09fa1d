/**
 * Riding out transient faults during a connection test: one bounded time budget per run, on the Clock port.
 *
 * A 429 (Retry-After honoured, else backoff), a 502/503/504 and a connection reset are tried again while the
 * run's budget lasts; anything else, or a wait that would end past the budget, is reported at once. Each check
 * keeps a {@link RetryTally} so its result can say how many tries it took.
 */
import type { NetworkResponse } from '@azure/msal-node';
import { describeFailure, type ConnectionFailure, type TokenSender } from '../graph/graph-client';
import type { Clock } from '../ports';

/** How long a run may spend waiting between tries, and the first backoff when the server names no wait. */
export interface RetryPolicy {
  readonly budgetMs: number;
  readonly firstDelayMs: number;
}

/** Graph's own guidance for 429 without Retry-After is exponential backoff: 0.5, 1, 2, 4 s fit in 8 s. */
export const defaultValidationRetry: RetryPolicy = { budgetMs: 8_000, firstDelayMs: 500 };

/** What happened to one check's requests. */
export interface RetryTally {
  tries: number;
  waitedMs: number;
  /** The transient answers seen, e.g. `429`, `503`, `reset`, in order. */
  readonly transient: string[];
  /** Set when the budget ran out before a wait the server asked for (or the backoff) could be made. */
  outOfBudget: boolean;
}

export function newTally(): RetryTally {
  return { tries: 0, waitedMs: 0, transient: [], outOfBudget: false };
}

const retriedStatuses = new Set([429, 502, 503, 504]);

/** The wait before try `attempt + 1` after `failure`, or undefined when trying again cannot help. */
export function transientWait(failure: ConnectionFailure, attempt: number, firstDelayMs: number): number | undefined {
  const backoff = firstDelayMs * 2 ** (attempt - 1);
  if (failure.kind === 'network') return failure.failure.code === 'reset' ? backoff : undefined;
  if (failure.kind !== 'graph' || !retriedStatuses.has(failure.status)) return undefined;
  return failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : backoff;
}

function label(failure: ConnectionFailure): string {
  if (failure.kind === 'network') return failure.failure.code;
  return failure.kind === 'graph' ? String(failure.status) : failure.kind;
}

/** One run's budget, shared by its checks (they run in parallel, so their waits overlap). */
export class RetryBudget {
  private readonly deadline: number;

  constructor(
    private readonly clock: Clock,
    private readonly policy: RetryPolicy,
  ) {
    this.deadline = clock.now().getTime() + policy.budgetMs;
  }

  /** Runs `request` until it succeeds, fails for good, or the budget is spent; the last error is rethrown. */
  async run<T>(
    request: () => Promise<T>,
    tally: RetryTally,
    describe: (error: unknown) => ConnectionFailure = describeFailure,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      tally.tries++;
      try {
        return await request();
      } catch (error) {
        const failure = describe(error);
        const wait = transientWait(failure, attempt, this.policy.firstDelayMs);
        if (wait === undefined) throw error;
        tally.transient.push(label(failure));
        if (this.clock.now().getTime() + wait > this.deadline) {
          tally.outOfBudget = true;
          throw error;
        }
        tally.waitedMs += wait;
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
      }
    }
  }

  /**
   * A {@link TokenSender} on this budget: a transient answer of the token endpoint is sent again; when it persists,
   * the last answer is handed to msal, which turns it into its usual error.
   */
  tokenSender(tally: RetryTally): TokenSender {
    return async <T>(send: () => Promise<NetworkResponse<T>>) => {
      try {
        return await this.run(
          async () => {
            const answer = await send();
            if (retriedStatuses.has(answer.status)) throw new TransientAnswer(answer);
            return answer;
          },
          tally,
          (error) => (error instanceof TransientAnswer ? error.failure : describeFailure(error)),
        );
      } catch (error) {
        if (error instanceof TransientAnswer) return error.answer as NetworkResponse<T>;
        throw error;
      }
    };
  }

  /** The detail line for a check whose requests were tried more than once; undefined otherwise. */
  describe(tally: RetryTally): string | undefined {
    if (tally.tries <= 1) return undefined;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
    const seen = tally.transient.length > 0 ? ` after ${tally.transient.join(', ')}` : '';
    return (
      `Tried ${tally.tries} times${seen}, waiting ${seconds(tally.waitedMs)} in all ` +
      `(transient faults are retried for up to ${seconds(this.policy.budgetMs)}).`
    );
  }
}

/** A token endpoint answer worth another try, thrown inside {@link RetryBudget.tokenSender} only. */
class TransientAnswer extends Error {
  readonly failure: ConnectionFailure;
  constructor(readonly answer: NetworkResponse<unknown>) {
    super(`Token endpoint answered ${answer.status}`);
    const retryAfter = answer.headers['retry-after'];
    this.failure = {
      kind: 'graph',
      status: answer.status,
      code: 'token-endpoint',
      message: this.message,
      retryAfterSeconds: retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
      requestId: undefined,
    };
  }
}
