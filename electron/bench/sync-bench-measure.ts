/**
 * Measuring a bench step: wall time, peak RSS and event-loop delay, in total and per sync phase, with the part of
 * each late tick the main thread's own CPU explains.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export const MB = 1024 * 1024;
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface PhaseFigures {
  seconds: number;
  worstDelayMs: number;
  /**
   * The longest late tick's delay that the main thread's own CPU time explains (min of the delay and the CPU the
   * thread used meanwhile, see {@link ownCpuMs}): on a busy machine the wall-clock delay also counts time spent
   * waiting for a core, which this does not.
   */
  worstBusyMs: number;
  peakRssMb: number;
}

export interface Measured<T> {
  readonly value: T;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly worstDelayMs: number;
  readonly p99DelayMs: number;
  /** See {@link PhaseFigures.worstBusyMs}. */
  readonly worstBusyMs: number;
  /** Seconds, worst event-loop delay (ms) and peak RSS (MB) per sync phase, when the step reports phases. */
  readonly phases: Map<string, PhaseFigures>;
}

/**
 * CPU time of the main thread so far, in ms, so GC helper and worker threads are not counted: on Linux from
 * /proc's schedstat (nanoseconds the thread ran), or its stat (utime + stime, in 10 ms ticks, too coarse to tell a
 * 30 ms slice from a 40 ms one) where the kernel keeps no schedstat; elsewhere the process's CPU time (all
 * threads: an upper bound).
 */
const ownCpuMs = (() => {
  const task = `/proc/${process.pid}/task/${process.pid}`;
  const schedstat = () => Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  // Fields after "(comm) ": state is the first, utime and stime the 12th and 13th.
  const stat = () => {
    const fields = readFileSync(`${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  // A kernel without schedstats may show zeros there: the thread has surely run by now.
  for (const [read, usable] of [
    [schedstat, (ms: number) => ms > 0],
    [stat, Number.isFinite],
  ] as const) {
    try {
      if (usable(read())) return read;
    } catch {
      // not Linux, or no such file
    }
  }
  return () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
})();

/**
 * Peak RSS and event-loop delay over a measured step: the histogram of perf_hooks for the whole step, and a 10 ms
 * ticker that attributes each late tick to the sync phase running at that moment.
 */
export async function measure<T>(step: (onPhase: (phase: string) => void) => Promise<T>): Promise<Measured<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let peak = process.memoryUsage().rss;
  const phases = new Map<string, PhaseFigures>();
  const entryOf = (name: string) => {
    let entry = phases.get(name);
    if (!entry) phases.set(name, (entry = { seconds: 0, worstDelayMs: 0, worstBusyMs: 0, peakRssMb: 0 }));
    return entry;
  };
  let phase = 'start';
  let phaseStart = performance.now();
  let lastTick = performance.now();
  let lastCpu = ownCpuMs();
  let worstBusy = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const entry = entryOf(phase);
    const late = now - lastTick - 10;
    const cpuNow = ownCpuMs();
    const cpu = cpuNow - lastCpu;
    lastCpu = cpuNow;
    entry.worstDelayMs = Math.max(entry.worstDelayMs, late);
    entry.worstBusyMs = Math.max(entry.worstBusyMs, Math.min(late, cpu - 10));
    worstBusy = Math.max(worstBusy, entry.worstBusyMs);
    lastTick = now;
    const rss = process.memoryUsage.rss();
    entry.peakRssMb = Math.max(entry.peakRssMb, rss / MB);
    peak = Math.max(peak, rss);
  }, 10);
  const onPhase = (next: string) => {
    if (next === phase) return;
    const now = performance.now();
    const entry = entryOf(phase);
    entry.seconds += (now - phaseStart) / 1000;
    entry.peakRssMb = Math.max(entry.peakRssMb, process.memoryUsage.rss() / MB);
    phase = next;
    phaseStart = now;
  };
  histogram.enable();
  const start = performance.now();
  try {
    const value = await step(onPhase);
    onPhase('end');
    return {
      value,
      seconds: (performance.now() - start) / 1000,
      peakRssMb: Math.max(peak, process.memoryUsage().rss) / MB,
      worstDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      worstBusyMs: worstBusy,
      phases,
    };
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
}

/** The phases of a measured step in words (those of 50 ms or more). */
export function describePhases(m: Measured<unknown>): string {
  return [...m.phases]
    .filter(([name, p]) => name !== 'end' && p.seconds >= 0.05)
    .map(
      ([name, p]) =>
        `${name} ${fmt(p.seconds, 1)} s (max delay ${fmt(Math.max(0, p.worstDelayMs))} ms, of own CPU ${fmt(Math.max(0, p.worstBusyMs))} ms, rss ${fmt(p.peakRssMb)} MB)`,
    )
    .join(', ');
}
