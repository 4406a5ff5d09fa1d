/**
 * For products that send no rate-limit headers (Crowd documents no rate limiting, Bitbucket and SCIM services answer
 * 429 with `Retry-After` only), so the shared pacer cannot follow a bucket it is told about. This learns the allowed rate from the
 * 429s instead: between two 429s the server's bucket went from empty to empty, so the requests it accepted in
 * between, over the time between, are its fill rate. From the second 429 on, calls are spaced at a little under that
 * rate and the 429s stop. When the wait the server asked for was longer than its bucket needed to refill, that is
 * only a lower bound, so the rate is raised a little after every quiet stretch and lowered a little at a 429 again:
 * a few 429s per minute at most, the allowed rate nearly all used. When the server does send `X-RateLimit-*`
 * headers the pacer follows them, no 429 comes, and this stays idle.
 */
import type { Clock } from '../../ports';

export class RateLearner {
  private perMs: number | null = null;
  private nextAtMs = 0;
  private sentSeq = 0;
  /** The last request sent when the last 429 came back: 429s of requests up to it are the same event. */
  private eventSeq = -1;
  private eventAtMs: number | null = null;
  private acceptedSinceEvent = 0;
  /** When the rate was last raised or lowered. */
  private changedAtMs = 0;
  /** Rising fast until the first 429 at a learned rate, then steady: small steps up, a step down at a 429. */
  private steady = false;
  /** One call at a time while learning: the end of the line, and how each waiting call lets the next go. */
  private learningTail: Promise<void> = Promise.resolve();
  private readonly releases = new Map<number, () => void>();

  constructor(
    private readonly clock: Clock,
    /** Share of the learned rate to run at. */
    private readonly margin = 0.97,
  ) {}

  /** The rate learned, requests per second; null until two 429s were seen. */
  get allowedPerSecond(): number | null {
    return this.perMs === null ? null : this.perMs * 1000;
  }

  /**
   * Waits for this call's turn at the learned rate; returns the call's sequence number for {@link observe}, which
   * must follow (with status 0 when the call failed). Between the first 429 and the rate learned, calls go one at a
   * time, so the second 429 is one answer, not one per call in flight.
   */
  async gate(signal?: AbortSignal): Promise<number> {
    if (this.perMs === null && this.eventAtMs !== null) {
      const before = this.learningTail;
      let release: () => void = () => undefined;
      this.learningTail = new Promise<void>((resolve) => (release = resolve));
      await before;
      const seq = ++this.sentSeq;
      this.releases.set(seq, release);
      return seq;
    }
    if (this.perMs !== null) {
      const now = this.clock.now().getTime();
      const at = Math.max(now, this.nextAtMs);
      this.nextAtMs = at + 1 / this.perMs;
      if (at > now) await this.sleep(at - now, signal);
    }
    return ++this.sentSeq;
  }

  /** Records the answer to call `seq` (0: no answer, the call failed). */
  observe(status: number, seq: number): void {
    const release = this.releases.get(seq);
    if (release) {
      this.releases.delete(seq);
      // After this answer is counted: the next call in line goes when this one is done.
      queueMicrotask(release);
    }
    if (seq <= this.eventSeq || status === 0) return;
    const now = this.clock.now().getTime();
    if (status !== 429) {
      this.acceptedSinceEvent += 1;
      // Quiet for a while: try a little faster (5% every 2 s while rising, 1% every 10 s once steady).
      if (this.perMs !== null && now - this.changedAtMs >= (this.steady ? 10_000 : 2_000)) {
        this.perMs *= this.steady ? 1.01 : 1.05;
        this.changedAtMs = now;
      }
      return;
    }
    if (this.perMs !== null) {
      // Too fast after all: a little slower, and quiet for 30 s before trying faster again.
      this.perMs *= 0.96;
      this.steady = true;
      this.changedAtMs = now + 20_000;
    } else if (this.eventAtMs !== null && now > this.eventAtMs && this.acceptedSinceEvent > 0) {
      this.perMs = (this.acceptedSinceEvent / (now - this.eventAtMs)) * this.margin;
      this.changedAtMs = now;
      this.nextAtMs = Math.max(this.nextAtMs, now);
    }
    this.eventAtMs = now;
    this.eventSeq = this.sentSeq;
    this.acceptedSinceEvent = 0;
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
}
