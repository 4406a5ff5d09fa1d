import type { Clock } from '../ports';

interface Timer {
  readonly id: number;
  /** Due on the monotonic clock, like Node's timers (which do not count time the computer slept). */
  readonly dueMono: number;
  readonly fn: () => void;
}

/** Lets pending promise chains settle, so async work started by a timer finishes before time moves on. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A controlled clock for tests: time moves only when the test says so, and due timers fire in order.
 *
 * Two times are kept, as on a real computer: the wall clock (`now()`) and the monotonic clock timers run on.
 * `advance` moves both; `sleep` moves only the wall clock — what a laptop's lid does — so a timer armed before
 * the sleep fires late, exactly as Node's timers do after a suspend.
 */
export class FakeClock implements Clock {
  private wallMs: number;
  private monoMs = 0;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start: Date | string) {
    this.wallMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.wallMs);
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: Timer = { id: this.nextId++, dueMono: this.monoMs + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  /** How many timers are armed (a service that stopped should leave none). */
  pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, earliest first (ties in the order they were
   * armed), with async work settled after each. Timers armed while advancing fire too if they fall in the window.
   */
  async advance(ms: number): Promise<void> {
    const endMono = this.monoMs + ms;
    await settle();
    for (let fired = 0; fired < 1_000_000; fired++) {
      const next = this.earliest();
      if (!next || next.dueMono > endMono) break;
      this.timers = this.timers.filter((t) => t.id !== next.id);
      this.wallMs += next.dueMono - this.monoMs;
      this.monoMs = next.dueMono;
      next.fn();
      await settle();
    }
    this.wallMs += endMono - this.monoMs;
    this.monoMs = endMono;
    await settle();
  }

  /** Advances to a wall-clock time (ISO or Date), firing timers on the way. */
  async advanceTo(when: Date | string): Promise<void> {
    const ms = new Date(when).getTime() - this.wallMs;
    if (ms < 0) throw new Error(`advanceTo: ${new Date(when).toISOString()} is in the past`);
    await this.advance(ms);
  }

  /** The computer sleeps for `ms`: the wall clock jumps, timers do not fire and are not brought forward. */
  sleep(ms: number): void {
    this.wallMs += ms;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers)
      if (!best || t.dueMono < best.dueMono || (t.dueMono === best.dueMono && t.id < best.id)) best = t;
    return best;
  }
}
