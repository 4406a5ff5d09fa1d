/**
 * Resource-unit throttling per app + tenant over a sliding 10-second window (graph-facts §5): the limit depends on
 * the tenant's size, each request costs units, and a request over the limit is refused with a Retry-After.
 */

/** The documented per-10-second limit for a tenant of `userCount` users. */
export function tenantUnitLimit(userCount: number): number {
  if (userCount < 50) return 3_500;
  if (userCount <= 500) return 5_000;
  return 8_000;
}

/** Cost of a request in resource units, from its route family and query options. */
export function requestCost(
  family: 'users' | 'members' | 'transitiveMembers' | 'applications' | 'other',
  options: { select: boolean; expand: boolean; top: number | undefined },
): number {
  const base = { users: 2, members: 3, transitiveMembers: 5, applications: 2, other: 1 }[family];
  let cost = base;
  if (options.select) cost -= 1;
  if (options.expand) cost += 1;
  if (options.top !== undefined && options.top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** Result of trying to spend units. */
export type ThrottleDecision =
  | { readonly allowed: true; readonly usedFraction: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly usedFraction: number };

const WINDOW_MS = 10_000;

/** A sliding-window resource-unit counter. */
export class ResourceUnitWindow {
  private readonly times: number[] = [];
  private readonly costs: number[] = [];
  private head = 0;
  private used = 0;

  constructor(private readonly limit: () => number) {}

  private expire(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - WINDOW_MS) {
      this.used -= this.costs[this.head] as number;
      this.head++;
    }
    // Compact now and then so the arrays do not grow without bound.
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.costs.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Spends `cost` units at time `now` (ms) if the window allows it. */
  spend(cost: number, now: number): ThrottleDecision {
    this.expire(now);
    const limit = this.limit();
    if (this.used + cost > limit) {
      // Earliest moment enough units leave the window for this request to fit.
      let free = limit - this.used;
      let at = now;
      for (let i = this.head; i < this.times.length && free < cost; i++) {
        free += this.costs[i] as number;
        at = (this.times[i] as number) + WINDOW_MS;
      }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((at - now) / 1000)),
        usedFraction: this.used / limit,
      };
    }
    this.times.push(now);
    this.costs.push(cost);
    this.used += cost;
    return { allowed: true, usedFraction: this.used / limit };
  }
}
