/**
 * Fault injection: random 429/503/504/connection resets at given rates, or a chosen fault at the Nth request,
 * drawn from a seeded generator so a failing run can be replayed.
 */
import { createPrng, type Prng } from './prng';

/** A fault the emulator can inject. */
export type FaultKind = '429' | '503' | '504' | 'reset';

/** Fault settings; rates are probabilities per request (0..1). */
export interface FaultSettings {
  readonly rate429?: number;
  readonly rate503?: number;
  readonly rate504?: number;
  readonly rateReset?: number;
  /** Inject `kind` at these 1-based request numbers, counted from when the settings were applied. */
  readonly atRequest?: Readonly<Record<number, FaultKind>>;
  /** Retry-After (seconds) sent with injected 429 and 503. Default 1. */
  readonly retryAfterSeconds?: number;
  /** How Retry-After is written: delay-seconds (default) or an HTTP-date that many seconds from the emulator's clock. */
  readonly retryAfterForm?: 'seconds' | 'http-date';
  /** Only Graph requests whose path (after `/v1.0`) starts with one of these; they alone count for `atRequest`. */
  readonly paths?: readonly string[];
  /** Which requests faults apply to. Default `graph`. */
  readonly scope?: 'graph' | 'token' | 'all';
  /** Seed of the random draws. Default 1. */
  readonly seed?: number;
}

/** Decides, request by request, whether to inject a fault. */
export class FaultInjector {
  private settings: FaultSettings = {};
  private count = 0;
  private prng: Prng = createPrng(1);

  /** Replaces the settings and restarts the request count. */
  set(settings: FaultSettings): void {
    this.settings = { ...settings };
    this.count = 0;
    this.prng = createPrng(settings.seed ?? 1);
  }

  get current(): FaultSettings {
    return this.settings;
  }

  /** The fault for the next request of `kind` (a Graph request: at `path`), if any. */
  next(kind: 'graph' | 'token', path = ''): FaultKind | undefined {
    const s = this.settings;
    const scope = s.scope ?? 'graph';
    if (scope !== 'all' && scope !== kind) return undefined;
    if (s.paths && !(kind === 'graph' && s.paths.some((p) => path.startsWith(p)))) return undefined;
    this.count += 1;
    const forced = s.atRequest?.[this.count];
    if (forced) return forced;
    const r = this.prng.next();
    let edge = 0;
    for (const [kindName, rate] of [
      ['429', s.rate429],
      ['503', s.rate503],
      ['504', s.rate504],
      ['reset', s.rateReset],
    ] as const) {
      edge += rate ?? 0;
      if (r < edge) return kindName;
    }
    return undefined;
  }
}
