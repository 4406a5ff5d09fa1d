/**
 * The pace of every call to a remote target (Jira, and later Confluence, Bitbucket, Crowd, SCIM), written once:
 * - a local token bucket that follows the `X-RateLimit-Limit/-Remaining/-FillRate/-Interval-Seconds` headers Atlassian
 *   Data Center sends on every answer, so a long sync runs at the allowed rate instead of into a wall of 429s;
 * - `Retry-After` honoured on 429 (and 503), with jitter so parallel callers do not return in lock-step;
 * - at most `maxConcurrency` calls in flight;
 * - a circuit breaker: after `breakerThreshold` failures in a row (network errors, 5xx) calls fail fast for
 *   `breakerCooldownMs`, then one call at a time tries again — a dead instance costs seconds, not thousands of timeouts.
 * Time comes from the {@link Clock} port, so tests run it on a controlled clock without real waiting.
 */
import type { Clock } from '../../ports';

export interface PacerOptions {
  readonly clock: Clock;
  /** Calls in flight at once. Default 4. */
  readonly maxConcurrency?: number;
  /** Retries of one call answered 429 (or 503 with Retry-After). Default 6. */
  readonly maxRetries?: number;
  /** Failures in a row that open the breaker. Default 8. */
  readonly breakerThreshold?: number;
  /** How long an open breaker refuses calls. Default 30 s. */
  readonly breakerCooldownMs?: number;
  /** Follow the rate-limit headers (default). False only shows, in tests and the bench, what ignoring them costs. */
  readonly followRateHeaders?: boolean;
  /** Jitter source in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

/** What the pacer has seen, for progress ("42 requests/s, limited by Jira") and the bench. */
export interface PaceStats {
  readonly requests: number;
  readonly throttled: number;
  readonly retries: number;
  /** The rate the target allows (requests per second), once its headers said so. */
  readonly allowedPerSecond: number | null;
  /** Time spent waiting for the rate limit, ms of the pacer's clock. */
  readonly waitedMs: number;
  readonly breakerOpen: boolean;
}

/** Thrown instead of calling while the breaker is open. */
export class CircuitOpenError extends Error {
  readonly code = 'circuit-open';
  constructor(
    readonly failures: number,
    readonly retryAtMs: number,
  ) {
    super(`The server failed ${failures} calls in a row; calls are paused for a while instead of failing one by one.`);
    this.name = 'CircuitOpenError';
  }
}

const num = (headers: Headers, name: string): number | undefined => {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** `Retry-After` in ms: seconds, or an HTTP date. */
function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Paces calls to one remote target. One instance per target and credential (the bucket is per user). */
export class RemotePacer {
  private readonly clock: Clock;
  private readonly maxConcurrency: number;
  private readonly maxRetries: number;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly follow: boolean;
  private readonly random: () => number;

  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  // The local bucket; unknown (null) until the target's headers describe it.
  private capacity: number | null = null;
  private perMs: number | null = null;
  private tokens = 0;
  private tokensAtMs = 0;
  private holdUntilMs = 0;
  private failuresInRow = 0;
  private openUntilMs = 0;
  private trialInFlight = false;
  private counts = { requests: 0, throttled: 0, retries: 0, waitedMs: 0 };

  constructor(options: PacerOptions) {
    this.clock = options.clock;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 4);
    this.maxRetries = options.maxRetries ?? 6;
    this.threshold = Math.max(1, options.breakerThreshold ?? 8);
    this.cooldownMs = options.breakerCooldownMs ?? 30_000;
    this.follow = options.followRateHeaders ?? true;
    this.random = options.random ?? Math.random;
  }

  stats(): PaceStats {
    return {
      ...this.counts,
      allowedPerSecond: this.perMs === null ? null : this.perMs * 1000,
      breakerOpen: this.failuresInRow >= this.threshold && this.nowMs() < this.openUntilMs,
    };
  }

  /**
   * Sends one call through the pace: waits for a slot and a token, retries 429 (and 503 with Retry-After) after
   * the time the server asks, and returns the last response (a 429 after `maxRetries` is returned, not thrown).
   * Errors `attempt` throws (network failures) are counted by the breaker and rethrown.
   */
  async send(attempt: () => Promise<Response>, signal?: AbortSignal): Promise<Response> {
    for (let retry = 0; ; retry++) {
      this.checkBreaker();
      const trial = this.failuresInRow >= this.threshold;
      if (trial) this.trialInFlight = true;
      await this.acquireSlot(signal);
      let response: Response;
      try {
        await this.takeToken(signal);
        this.counts.requests += 1;
        const sentAt = this.nowMs();
        try {
          response = await attempt();
        } catch (error) {
          this.failed();
          throw error;
        }
        this.observe(response.headers, sentAt);
      } finally {
        if (trial) this.trialInFlight = false;
        this.releaseSlot();
      }
      const throttled = response.status === 429;
      const wait = retryAfterMs(response.headers, this.nowMs());
      if (throttled) this.counts.throttled += 1;
      if ((throttled || (response.status === 503 && wait !== undefined)) && retry < this.maxRetries) {
        this.counts.retries += 1;
        await response.arrayBuffer().catch(() => undefined);
        // No Retry-After on a 429: back off exponentially from one second.
        const base = wait ?? 1000 * 2 ** retry;
        this.hold(base + base * 0.2 * this.random());
        if (throttled) this.tokens = Math.min(this.tokens, 0);
        continue;
      }
      if (response.status >= 500) this.failed();
      else this.failuresInRow = 0;
      return response;
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        cancel();
        reject(signal?.reason as Error);
      };
      const cancel = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private checkBreaker(): void {
    if (this.failuresInRow < this.threshold) return;
    // Open: refuse until the cooldown is over; then let a single trial call through at a time.
    if (this.nowMs() < this.openUntilMs || this.trialInFlight) {
      throw new CircuitOpenError(this.failuresInRow, this.openUntilMs);
    }
  }

  private failed(): void {
    this.failuresInRow += 1;
    if (this.failuresInRow >= this.threshold) this.openUntilMs = this.nowMs() + this.cooldownMs;
  }

  private async acquireSlot(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.maxConcurrency) {
      if (signal?.aborted) throw signal.reason as Error;
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.inFlight += 1;
  }

  private releaseSlot(): void {
    this.inFlight -= 1;
    this.slotWaiters.shift()?.();
  }

  private hold(ms: number): void {
    this.holdUntilMs = Math.max(this.holdUntilMs, this.nowMs() + ms);
  }

  private refill(now: number): void {
    if (this.perMs === null || this.capacity === null) return;
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.tokensAtMs) * this.perMs);
    this.tokensAtMs = now;
  }

  /** Reserves one token (the balance may go below zero) and waits until the bucket has refilled to cover it. */
  private async takeToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.nowMs();
      if (this.holdUntilMs > now) {
        this.counts.waitedMs += this.holdUntilMs - now;
        await this.sleep(this.holdUntilMs - now, signal);
        continue;
      }
      if (!this.follow || this.perMs === null) return;
      this.refill(now);
      this.tokens -= 1;
      if (this.tokens >= 0) return;
      const wait = -this.tokens / this.perMs;
      this.counts.waitedMs += wait;
      await this.sleep(wait, signal);
      return;
    }
  }

  /** Adopts the target's bucket from its headers; the local balance never exceeds what the server can still hold. */
  private observe(headers: Headers, sentAtMs: number): void {
    if (!this.follow) return;
    const limit = num(headers, 'x-ratelimit-limit');
    const fill = num(headers, 'x-ratelimit-fillrate');
    const interval = num(headers, 'x-ratelimit-interval-seconds') ?? 1;
    const remaining = num(headers, 'x-ratelimit-remaining');
    if (limit === undefined || fill === undefined || !(fill > 0) || !(interval > 0)) return;
    const now = this.nowMs();
    const firstSight = this.perMs === null;
    this.refill(now);
    this.capacity = limit;
    this.perMs = fill / (interval * 1000);
    if (remaining === undefined) return;
    // The server counted `remaining` somewhere between sending and now; it can have refilled since at most this much.
    const ceiling = remaining + (now - sentAtMs) * this.perMs;
    // At first sight the other calls already in flight are not in `remaining` yet.
    this.tokens = firstSight ? Math.min(remaining, limit) - (this.inFlight - 1) : Math.min(this.tokens, ceiling);
    this.tokensAtMs = now;
  }
}
