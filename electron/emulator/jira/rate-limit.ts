/**
 * Jira Data Center's REST rate limiting (atlassian-facts.md, Common): a token bucket per user, `fillRate` tokens
 * added every `intervalSeconds` (continuously here), at most `limit` held. Every answer carries the `X-RateLimit-*`
 * headers and `Retry-After` (0 while tokens remain); an empty bucket answers 429.
 */

export interface RateLimitSettings {
  /** Bucket size (X-RateLimit-Limit). */
  readonly limit: number;
  /** Tokens added per interval (X-RateLimit-FillRate). */
  readonly fillRate: number;
  /** X-RateLimit-Interval-Seconds. Default 1. */
  readonly intervalSeconds?: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Token buckets per user, driven by the emulator's clock. */
export class JiraRateLimiter {
  private settings: RateLimitSettings | null = null;
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly nowMs: () => number) {}

  /** Turns rate limiting on with `settings`, or off with null; buckets start full. */
  configure(settings: RateLimitSettings | null): void {
    if (settings && (!(settings.limit >= 1) || !(settings.fillRate > 0) || !((settings.intervalSeconds ?? 1) > 0))) {
      throw new RangeError('limit must be at least 1, fillRate and intervalSeconds above 0.');
    }
    this.settings = settings;
    this.buckets.clear();
  }

  get current(): RateLimitSettings | null {
    return this.settings;
  }

  /** Takes one token for `user` if there is one; null when rate limiting is off. */
  take(user: string): RateDecision | null {
    const s = this.settings;
    if (!s) return null;
    const interval = s.intervalSeconds ?? 1;
    const perMs = s.fillRate / (interval * 1000);
    const now = this.nowMs();
    const bucket = this.buckets.get(user) ?? { tokens: s.limit, atMs: now };
    bucket.tokens = Math.min(s.limit, bucket.tokens + Math.max(0, now - bucket.atMs) * perMs);
    bucket.atMs = now;
    this.buckets.set(user, bucket);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const retryAfter = bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(s.limit),
        'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
        'x-ratelimit-interval-seconds': String(interval),
        'x-ratelimit-fillrate': String(s.fillRate),
        'retry-after': String(retryAfter),
      },
    };
  }
}
