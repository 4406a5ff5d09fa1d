import type { Clock } from '../../ports';

/**
 * A clock for tests and simulations of paced traffic: time stands still until something waits, then jumps straight
 * to the earliest timer (one per macrotask, so answers in flight are handled between jumps). A pacer waiting 20 ms
 * for a token costs no real time, and an emulator driven by the same clock sees exactly those 20 ms pass.
 */
export class VirtualClock implements Clock {
  private ms: number;
  private nextId = 1;
  private timers: { id: number; due: number; fn: () => void }[] = [];
  private scheduled = false;

  constructor(start: Date | string = '2025-01-01T00:00:00Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Milliseconds of virtual time since `since`. */
  elapsedSince(since: Date): number {
    return this.ms - since.getTime();
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ id, due: this.ms + Math.max(0, ms), fn });
    this.schedule();
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      let next: { id: number; due: number; fn: () => void } | undefined;
      for (const t of this.timers) if (!next || t.due < next.due || (t.due === next.due && t.id < next.id)) next = t;
      if (!next) return;
      this.timers = this.timers.filter((t) => t !== next);
      this.ms = Math.max(this.ms, next.due);
      next.fn();
      if (this.timers.length > 0) this.schedule();
    });
  }
}
