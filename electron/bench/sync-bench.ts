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
 * The tenant runs in a child process (sync-bench-emulator.ts), the cold delta in another (sync-bench-cold.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { describePhases, fmt, MB, measure } from './sync-bench-measure';
import { coldDeltaInChild } from './sync-bench-cold';
import { EmulatorChild } from './sync-bench-emulator';

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
