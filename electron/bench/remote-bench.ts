/**
 * What every product's first-sync bench shares (jira-, confluence-, bitbucket-, crowd- and scim-bench.ts): the demo
 * tenant seeded with `--users N --groups M` and a membership scale (0.25 by default: about 50,000 memberships at
 * 10,000 users and 500 groups, the density the targets are measured at), the product's emulator, a sync database in
 * a temporary folder, one engine run into the product's engine target, and everything closed afterwards. Each bench
 * gives its starter, its engine target and its report; {@link rateLimitedBench} is the report of the products behind
 * a token bucket of `--rate R` requests per second, run on a virtual clock shared with the emulator
 * (virtual-clock.ts), so the pace is exactly what the limiter allows while the bench takes only the real time of the
 * work. Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSyncPolicy, type SyncPolicyInput } from '../../shared/sync';
import type { SyncRunRecord } from '../../shared/sync-run';
import { targetConfigSchema, type TargetConfig, type TargetConfigInput, type TargetProduct } from '../../shared/targets';
import { startEmulator } from '../emulator';
import { createHttpTransport, type HttpTransport } from '../services/http/transport';
import { systemClock, type Clock } from '../services/ports';
import { openDatabase, type SqliteDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import type { EngineTarget } from '../services/sync/engine-target';
import { connectToEmulator } from '../services/sync/test-support';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import { VirtualClock } from '../services/targets/remote/virtual-clock';
import type { BenchIo } from './index';

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What a bench needs of a product's emulator. */
export interface BenchEmulator {
  readonly info: { readonly baseUrl: string; readonly caCertPem: string };
  close(): Promise<void>;
}

/** The tenant's size as the command line set it. */
export interface RemoteBenchSizes {
  readonly users: number;
  readonly groups: number;
  readonly membershipScale: number;
}

/** What the engine target of a product is built from. */
export interface RemoteBenchTargetArgs<E> {
  readonly config: TargetConfig;
  readonly emulator: E;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicyInput;
}

/** One finished run, for the report. */
export interface RemoteBenchRun<E> {
  readonly emulator: E;
  readonly sizes: RemoteBenchSizes;
  readonly run: SyncRunRecord;
  /** Items applied, all kinds together. */
  readonly applied: number;
  readonly wallSeconds: number;
  /** Seconds of the bench's clock (virtual: the paced time the product saw) the run took. */
  readonly clockSeconds: number;
}

export interface RemoteBenchSpec<E extends BenchEmulator> {
  readonly product: TargetProduct;
  /** As the figures name it, e.g. `Jira`. */
  readonly label: string;
  /** Command-line names of the membership scale, the first given wins. Default `membership-scale`. */
  readonly scaleOptions?: readonly string[];
  /** `virtual`: a {@link VirtualClock} shared with the emulator; `system`: the real clock. */
  readonly clock: 'virtual' | 'system';
  start(clock: Clock): Promise<E>;
  /** Config fields beyond id, name, product and base URL (e.g. the username). */
  configFields?(emulator: E): Partial<TargetConfigInput>;
  engineTarget(args: RemoteBenchTargetArgs<E>): EngineTarget;
  /** Just before the timed run (e.g. the emulator's counters reset). */
  beforeRun?(emulator: E): void;
  report(run: RemoteBenchRun<E>, print: BenchIo['print']): void;
}

const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A bench's `run`: the tenant and the product started, one first sync, the report, everything closed. */
export function remoteBench<E extends BenchEmulator>(spec: RemoteBenchSpec<E>): (io: BenchIo) => Promise<void> {
  return async ({ print, options }) => {
    const scaleOption = (spec.scaleOptions ?? ['membership-scale']).map((name) => options[name]).find((v) => v);
    const sizes: RemoteBenchSizes = {
      users: Number(options.users ?? 10_000),
      groups: Number(options.groups ?? 500),
      membershipScale: Number(scaleOption ?? 0.25),
    };
    const policy = defaultSyncPolicy();
    const entra = await startEmulator({ ...sizes, seed: 4 });
    const clock = spec.clock === 'virtual' ? new VirtualClock() : systemClock;
    const emulator = await spec.start(clock);
    const { connection, transport: graphTransport, source } = connectToEmulator(entra);
    const transport = createHttpTransport({ extraCaPem: emulator.info.caCertPem, env: {}, timeoutMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), `${spec.product}-bench-`));
    const db = openDatabase(join(dir, 'sync.db'));
    try {
      const config = targetConfigSchema.parse({
        id: `${spec.product}-bench`,
        name: `Bench ${spec.label}`,
        product: spec.product,
        baseUrl: emulator.info.baseUrl,
        ...spec.configFields?.(emulator),
      });
      const target = spec.engineTarget({ config, emulator, db, transport, clock, globalPolicy: policy });
      const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'bench', cache: false });
      spec.beforeRun?.(emulator);
      const clockStart = clock.now().getTime();
      const started = performance.now();
      const [result] = await engine.runTargets({ trigger: 'manual', policy }, [target]);
      const wallSeconds = (performance.now() - started) / 1000;
      const clockSeconds = (clock.now().getTime() - clockStart) / 1000;
      const run = result!.run;
      spec.report({ emulator, sizes, run, applied: sum(run.applied), wallSeconds, clockSeconds }, print);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      connection.close();
      await graphTransport.close();
      await transport.close();
      await emulator.close();
      await entra.close();
    }
  };
}

/** A product's emulator behind a token bucket, with its request counters. */
export interface RateLimitedEmulator extends BenchEmulator {
  readonly control: {
    counters(): { readonly requests: Readonly<Record<string, number>>; readonly throttled429: number };
    resetCounters(): void;
  };
}

/** The token bucket a rate-limited emulator is started with: `rate` requests, refilled `rate` per second. */
export interface BenchRateLimit {
  readonly limit: number;
  readonly fillRate: number;
  readonly intervalSeconds: number;
}

export interface RateLimitedBenchSpec<E extends RateLimitedEmulator> extends Pick<
  RemoteBenchSpec<E>,
  'product' | 'label' | 'scaleOptions' | 'configFields' | 'engineTarget'
> {
  /** What follows `limit R requests/s` in the tenant line, e.g. ` (token bucket R, no rate headers)`. */
  limitNote(rate: number): string;
  /** The tenant line names the membership scale. */
  readonly showScale?: boolean;
  start(clock: Clock, rateLimit: BenchRateLimit): Promise<E>;
}

/**
 * A bench of a product behind `--rate R` requests per second (50 by default), on a virtual clock. Prints the run,
 * wall time, the product's (virtual, paced) time, its requests per item, the share of the allowed rate used and the
 * share answered 429.
 */
export function rateLimitedBench<E extends RateLimitedEmulator>(spec: RateLimitedBenchSpec<E>): (io: BenchIo) => Promise<void> {
  const { label } = spec;
  return async (io) => {
    const rate = Number(io.options.rate ?? 50);
    await remoteBench<E>({
      ...spec,
      clock: 'virtual',
      start: (clock) => spec.start(clock, { limit: rate, fillRate: rate, intervalSeconds: 1 }),
      beforeRun: (emulator) => emulator.control.resetCounters(),
      report({ emulator, sizes, run, applied, wallSeconds, clockSeconds }, print) {
        const counters = emulator.control.counters();
        const requests = sum(counters.requests);
        // The bucket starts full: what the limiter allowed is the bucket plus the rate over the (virtual) time.
        const allowed = rate + rate * clockSeconds;
        const scale = spec.showScale ? ` (membership scale ${sizes.membershipScale})` : '';
        print(
          `tenant: ${fmt(sizes.users)} users, ${fmt(sizes.groups)} groups${scale}; ${label} limit ${rate} requests/s${spec.limitNote(rate)}`,
        );
        print(
          `run: ${run.status}, ${fmt(applied)} items applied (${fmt(run.applied['add-member'])} memberships), ${run.failedItems} failed`,
        );
        print(`wall time: ${fmt(wallSeconds, 1)} s; ${label} time (virtual, paced): ${fmt(clockSeconds, 1)} s`);
        print(`${label} requests: ${fmt(requests)} (${fmt(requests / Math.max(1, applied), 2)} per item)`);
        print(`share of the allowed rate used: ${fmt((100 * (requests - counters.throttled429)) / allowed, 1)}% (goal > 90%)`);
        print(
          `answered 429: ${fmt(counters.throttled429)} = ${fmt((100 * counters.throttled429) / Math.max(1, requests), 2)}% (goal < 1%)`,
        );
      },
    })(io);
  };
}
