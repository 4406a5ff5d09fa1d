/**
 * The sync at scale: a demo tenant of 100,000 users, 10,000 groups and ~500,000 memberships answering with 25 ms
 * latency, served from a child process so the figures are the sync's own. Prints, for a full sync into a fresh
 * embedded directory, then a delta sync after ~1% of objects changed, then another delta cold (a fresh process with
 * no warm state, as `entra-sync sync` runs it): wall time, Graph requests, peak RSS, the worst event-loop delay and,
 * per phase, the part of it the main thread's own CPU explains (the rest is waiting for a core); then the efficient
 * full read against the naive one (every group's members paged one group at a time), as a ratio. Figures only;
 * nothing is asserted.
 *
 * Options: --users N (100000) --groups M (10000) --members K (average direct members per group, 50)
 *          --latency-ms L (25) --naive-groups G (all; fewer samples G groups and extrapolates, said in the output;
 *          0 skips the read comparison)
 *          --only cold-delta: the full sync that fills the directory, then only the cold delta (no warm delta, no
 *          read comparison). For quick iteration, with a smaller tenant: --users 20000 --groups 2000.
 *
 * The emulator's own generator ties membership density to the tenant size (10,000 groups at 100k users would be
 * tens of millions of memberships), so the child starts it with users only and adds the groups itself through the
 * emulator's control API.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { customCloud } from '../../shared/clouds';
import { defaultSyncPolicy, type SyncRunRecord } from '../../shared/sync';
import { readDirectoryFull, readDirectoryNaive, userFieldsFor } from '../services/graph/directory-reader';
import { createGraphConnection } from '../services/graph/graph-client';
import { createHttpTransport } from '../services/http/transport';
import { openDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import { SyncStateCache } from '../services/sync/state-cache';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import type { Bench, BenchIo } from './index';

const MB = 1024 * 1024;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface ChildInfo {
  authorityHost: string;
  graphBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  users: number;
  groups: number;
  memberships: number;
}

/** The tenant in a child process, driven by JSON lines on stdin/stdout. */
class EmulatorChild {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(options: Record<string, number>): Promise<{ child: EmulatorChild; info: ChildInfo }> {
    const self = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, ['--import', 'tsx', self, '--sync-bench-emulator', JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[emulator] ${chunk.toString()}`));
    const child = new EmulatorChild(proc);
    return { child, info: (await child.next()) as ChildInfo };
  }

  async next(): Promise<unknown> {
    const line = await this.lines.next();
    if (line.done) throw new Error('The emulator child process ended.');
    return JSON.parse(line.value) as unknown;
  }

  async send(command: Record<string, unknown>): Promise<unknown> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return this.next();
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface PhaseFigures {
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

/** What the cold-delta child reports: the measured run, and the process's RSS before it started. */
type ColdDeltaFigures = Measured<SyncRunRecord> & { readonly startRssMb: number };

interface Measured<T> {
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
 * CPU time of the main thread so far, in ms: on Linux from /proc (the thread's utime + stime, in 10 ms ticks), so
 * GC helper and worker threads are not counted; elsewhere the process's CPU time (all threads: an upper bound).
 */
const ownCpuMs = (() => {
  const file = `/proc/${process.pid}/task/${process.pid}/stat`;
  // Fields after "(comm) ": state is the first, utime and stime the 12th and 13th.
  const read = () => {
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  try {
    if (Number.isFinite(read())) return read;
  } catch {
    // not Linux
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
async function measure<T>(step: (onPhase: (phase: string) => void) => Promise<T>): Promise<Measured<T>> {
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

function describePhases(m: Measured<unknown>): string {
  return [...m.phases]
    .filter(([name, p]) => name !== 'end' && p.seconds >= 0.05)
    .map(
      ([name, p]) =>
        `${name} ${fmt(p.seconds, 1)} s (max delay ${fmt(Math.max(0, p.worstDelayMs))} ms, of own CPU ${fmt(Math.max(0, p.worstBusyMs))} ms, rss ${fmt(p.peakRssMb)} MB)`,
    )
    .join(', ');
}

function describeRun(run: SyncRunRecord): string {
  const items = Object.values(run.applied).reduce((a, b) => a + b, 0);
  return `${run.status}, ${run.mode} read, ${fmt(items)} items applied, ${fmt(run.graphRequests)} Graph requests`;
}

async function runBench({ print, options }: BenchIo): Promise<void> {
  const opt = (name: string, fallback: number) => (options[name] === undefined ? fallback : Number(options[name]));
  const shape = {
    users: opt('users', 100_000),
    groups: opt('groups', 10_000),
    members: opt('members', 50),
    latencyMs: opt('latency-ms', 25),
  };
  print(
    `starting the demo tenant in a child process: ${fmt(shape.users)} users, ${fmt(shape.groups)} groups, ~${shape.members} members/group, ${shape.latencyMs} ms latency…`,
  );
  const { child, info } = await EmulatorChild.start(shape);
  const dir = mkdtempSync(join(tmpdir(), 'entra-sync-bench-'));
  const transport = createHttpTransport({ extraCaPem: readFileSync(info.caCertPath, 'utf8'), timeoutMs: 120_000, env: {} });
  const cloud = customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl });
  const connection = createGraphConnection({
    cloud,
    tenantId: info.tenantId,
    clientId: info.clientId,
    clientSecret: info.clientSecret,
    transport,
  });
  const db = openDatabase(join(dir, 'sync.db'));
  try {
    print(`tenant: ${fmt(info.users)} users, ${fmt(info.groups)} groups, ${fmt(info.memberships)} direct memberships`);
    const warmState = new SyncStateCache();
    const engine = createSyncEngine({
      db,
      target: createLocalDirectory(db),
      source: { key: 'bench', client: connection.client, requestCount: () => connection.requestCount() },
      hostKind: 'bench',
      cache: warmState,
    });
    const policy = defaultSyncPolicy();
    const only = options['only'];
    if (only !== undefined && only !== 'cold-delta') throw new Error(`--only takes cold-delta, not ${only}.`);
    print(`baseline: rss ${fmt(process.memoryUsage().rss / MB)} MB`);

    // Only the run record is kept: holding a 600k-item plan through the next step would only measure the bench.
    const sync = (trigger: 'manual' | 'scheduled') => (onPhase: (phase: string) => void) =>
      engine.run({ trigger, policy, onProgress: (e) => onPhase(e.phase) }).then((result) => result.run);
    const full = await measure(sync('manual'));
    print(`full sync:  ${fmt(full.seconds, 1)} s (goal < 60 s) — ${describeRun(full.value)}`);
    print(
      `            peak rss ${fmt(full.peakRssMb)} MB (goal < 600 MB), worst event-loop delay ${fmt(full.worstDelayMs)} ms (goal < 100 ms), p99 ${fmt(full.p99DelayMs)} ms`,
    );
    print(`            phases: ${describePhases(full)}`);

    const change = async () => {
      const changed = (await child.send({ cmd: 'change', fraction: 0.01 })) as Record<string, number>;
      print(
        `changed in Entra: ${Object.entries(changed)
          .map(([k, v]) => `${fmt(v)} ${k}`)
          .join(', ')}`,
      );
    };
    if (only === undefined) {
      await change();
      const delta = await measure(sync('scheduled'));
      print(`delta sync: ${fmt(delta.seconds, 2)} s (goal < 5 s) — ${describeRun(delta.value)}`);
      print(
        `            peak rss ${fmt(delta.peakRssMb)} MB, worst event-loop delay ${fmt(delta.worstDelayMs)} ms, p99 ${fmt(delta.p99DelayMs)} ms`,
      );
      print(`            phases: ${describePhases(delta)}`);
    }

    // The terminal host keeps no warm state: a delta there reloads the snapshot and the directory from SQLite, in a
    // process of its own. So does this step: in this process it would also measure what the full sync left in the
    // heap (V8 keeps the pages it grew into), which no \`entra-sync sync\` carries.
    warmState.clear();
    await change();
    const coldDelta = await coldDeltaInChild({ info, dbPath: join(dir, 'sync.db') });
    print(
      `delta sync, cold (as \`entra-sync sync\`: a fresh process, no warm state): ${fmt(coldDelta.seconds, 2)} s — ${describeRun(coldDelta.value)}`,
    );
    print(
      `            peak rss ${fmt(coldDelta.peakRssMb)} MB (goal < 600 MB; the process had ${fmt(coldDelta.startRssMb)} MB before the run), worst event-loop delay ${fmt(coldDelta.worstDelayMs)} ms (goal < 100 ms), p99 ${fmt(coldDelta.p99DelayMs)} ms, worst of own CPU ${fmt(coldDelta.worstBusyMs)} ms`,
    );
    print(`            phases: ${describePhases(coldDelta)}`);

    if (only !== undefined) return;
    const readOptions = { client: connection.client, userFields: userFieldsFor(policy.mapping) };
    const efficient = await measure(() => readDirectoryFull(readOptions));
    print(
      `read, efficient (users $top=999 ∥ groups/delta with members): ${fmt(efficient.seconds, 1)} s, ${fmt(efficient.value.requests)} requests`,
    );
    const sample = options['naive-groups'] === undefined ? undefined : Number(options['naive-groups']);
    if (sample === 0) return;
    const naive = await measure(() => readDirectoryNaive({ ...readOptions, ...(sample ? { groupLimit: sample } : {}) }));
    const factor = sample && sample < info.groups ? info.groups / sample : 1;
    const naiveSeconds = naive.seconds * factor;
    const naiveRequests = naive.value.requests * factor;
    print(
      `read, naive (each group's /members, one group at a time): ${fmt(naiveSeconds, 1)} s, ${fmt(naiveRequests)} requests` +
        (factor > 1 ? ` (extrapolated from ${fmt(sample!)} of ${fmt(info.groups)} groups)` : ''),
    );
    print(
      `naive / efficient: ${fmt(naiveSeconds / efficient.seconds, 1)}× the time, ${fmt(naiveRequests / efficient.value.requests, 1)}× the requests`,
    );
  } finally {
    db.close();
    connection.close();
    await transport.close();
    await child.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sync bench. */
export const syncBench: Bench = {
  name: 'sync',
  summary: 'Sync engine: full and delta sync of 100k users / 10k groups / ~500k memberships at 25 ms latency, vs a naive read',
  run: runBench,
};

/** Runs the cold delta in a child process (as the terminal host would) and returns its figures. */
async function coldDeltaInChild(args: { info: ChildInfo; dbPath: string }): Promise<ColdDeltaFigures> {
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--import', 'tsx', self, '--sync-bench-cold', JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[cold delta] ${chunk.toString()}`));
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const line = out.trim().split('\n').pop();
  if (code !== 0 || !line) throw new Error(`The cold-delta child process failed (exit ${code}).`);
  const parsed = JSON.parse(line) as Omit<ColdDeltaFigures, 'phases'> & { phases: [string, PhaseFigures][] };
  return { ...parsed, phases: new Map(parsed.phases) };
}

/** The cold-delta child: one delta run on the bench's database with no warm state, figures as one JSON line. */
async function coldDeltaChild({ info, dbPath }: { info: ChildInfo; dbPath: string }): Promise<void> {
  const transport = createHttpTransport({ extraCaPem: readFileSync(info.caCertPath, 'utf8'), timeoutMs: 120_000, env: {} });
  const connection = createGraphConnection({
    cloud: customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl }),
    tenantId: info.tenantId,
    clientId: info.clientId,
    clientSecret: info.clientSecret,
    transport,
  });
  const db = openDatabase(dbPath);
  try {
    const engine = createSyncEngine({
      db,
      target: createLocalDirectory(db),
      source: { key: 'bench', client: connection.client, requestCount: () => connection.requestCount() },
      hostKind: 'bench',
      cache: false,
    });
    const startRssMb = process.memoryUsage.rss() / MB;
    const policy = defaultSyncPolicy();
    const m = await measure((onPhase) =>
      engine.run({ trigger: 'terminal', policy, onProgress: (e) => onPhase(e.phase) }).then((result) => result.run),
    );
    process.stdout.write(`${JSON.stringify({ ...m, phases: [...m.phases], startRssMb })}\n`);
  } finally {
    db.close();
    connection.close();
    await transport.close();
  }
}

/** The child side: starts and shapes the tenant, prints its info, then applies change commands from stdin. */
async function emulatorChild(shape: { users: number; groups: number; members: number; latencyMs: number }): Promise<void> {
  const { startEmulator } = await import('../emulator');
  const { createPrng } = await import('../emulator/prng');
  const emulator = await startEmulator({ users: shape.users, groups: 0, seed: 1 });
  const c = emulator.control;
  const prng = createPrng(2);
  const userIds = c.userIds();
  const groupIds: string[] = [];
  let memberships = 0;
  for (let g = 0; g < shape.groups; g++) {
    // 1% of groups are big (spanning delta pages), the rest small; every 50th holds the previous group (nesting).
    const size = g % 100 === 0 ? shape.members * 20 : Math.max(1, Math.round(shape.members * (0.5 + prng.next()) * (80 / 99)));
    const members = new Set<string>();
    while (members.size < Math.min(size, userIds.length)) members.add(prng.pick(userIds));
    if (g % 50 === 49) members.add(groupIds[g - 1]!);
    memberships += members.size;
    groupIds.push(
      String(
        c.addGroup({
          displayName: `Team ${g + 1}`,
          description: g % 3 === 0 ? null : `Generated team ${g + 1}`,
          members: [...members],
        }).id,
      ),
    );
  }
  c.setLatency(shape.latencyMs);
  const { authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, caCertPath } = emulator.info;
  const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  write({
    authorityHost,
    graphBaseUrl,
    tenantId,
    clientId,
    clientSecret,
    caCertPath,
    users: userIds.length,
    groups: groupIds.length,
    memberships,
  });

  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { cmd: string; fraction: number };
    if (command.cmd !== 'change') continue;
    const users = c.userIds();
    const n = Math.round(users.length * command.fraction);
    for (let i = 0; i < n; i++) c.updateUser(users[(i * 97) % users.length]!, { displayName: `Changed ${i}` });
    const removed = Math.min(20, n);
    for (let i = 0; i < removed; i++) c.deleteUser(users[users.length - 1 - i]!);
    for (let i = 0; i < removed; i++)
      c.addUser({ userPrincipalName: `bench.new${i}@demo-tenant.onmicrosoft.com`, displayName: `New ${i}` });
    const groupChanges = Math.round(groupIds.length * command.fraction);
    for (let i = 0; i < groupChanges; i++) {
      const group = groupIds[(i * 31) % groupIds.length]!;
      c.addMember(group, users[(i * 13) % (users.length - removed)]!);
      const first = (c.getGroup(group)!.members as string[])[0];
      if (first) c.removeMember(group, first);
    }
    write({ 'users updated': n, 'users deleted': removed, 'users added': removed, 'groups with member changes': groupChanges });
  }
  await emulator.close();
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--sync-bench-emulator') {
  void emulatorChild(
    JSON.parse(process.argv[3] ?? '{}') as { users: number; groups: number; members: number; latencyMs: number },
  );
}
if (isMain && process.argv[2] === '--sync-bench-cold') {
  coldDeltaChild(JSON.parse(process.argv[3] ?? '{}') as { info: ChildInfo; dbPath: string }).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
