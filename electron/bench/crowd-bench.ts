/**
 * A first sync from the demo tenant into the demo Crowd under a rate limit: 10,000 users and 500 groups by default
 * (`--users N --groups M`), about 50,000 memberships (the tenant's `membershipScale` 0.25, `--scale S`), a limit of
 * 50 requests per second (`--rate R`). Crowd documents no rate limiting and sends no rate-limit headers, so the limit
 * answers 429 with Retry-After only, and the target learns the rate from those (remote/rate-learner.ts). The Crowd side
 * runs on a virtual clock shared with the emulator (virtual-clock.ts): the pace is exactly what the limit allows while
 * the bench takes only the real time of the work. Prints wall time, the Crowd requests, the share of the allowed rate
 * used, the share answered 429 and requests per item. Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSyncPolicy } from '../../shared/sync';
import { targetConfigSchema } from '../../shared/targets';
import { startEmulator } from '../emulator';
import { startCrowdEmulator } from '../emulator/crowd';
import { createHttpTransport } from '../services/http/transport';
import { openDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import { connectToEmulator } from '../services/sync/test-support';
import { crowdEngineTarget } from '../services/targets/crowd/crowd-engine-target';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import { VirtualClock } from '../services/targets/remote/virtual-clock';
import type { Bench } from './index';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const crowdBench: Bench = {
  name: 'crowd',
  summary: 'First sync into the demo Crowd under a 429-only rate limit: wall time, requests, share of the allowed rate, 429s',
  async run({ print, options }) {
    const users = Number(options.users ?? 10_000);
    const groups = Number(options.groups ?? 500);
    const rate = Number(options.rate ?? 50);
    const membershipScale = Number(options.scale ?? 0.25);
    const policy = defaultSyncPolicy();
    const entra = await startEmulator({ users, groups, seed: 4, membershipScale });
    const clock = new VirtualClock();
    const crowd = await startCrowdEmulator({ clock, rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } });
    const { connection, transport: graphTransport, source } = connectToEmulator(entra);
    const transport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {}, timeoutMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 'crowd-bench-'));
    const db = openDatabase(join(dir, 'sync.db'));
    try {
      const config = targetConfigSchema.parse({
        id: 'crowd-bench',
        name: 'Bench Crowd',
        product: 'crowd',
        baseUrl: crowd.info.baseUrl,
        username: crowd.info.applicationName,
      });
      const target = crowdEngineTarget({
        config,
        applicationName: crowd.info.applicationName,
        password: crowd.info.applicationPassword,
        db,
        transport,
        clock,
        globalPolicy: policy,
      });
      const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'bench', cache: false });
      crowd.control.resetCounters();
      const virtualStart = clock.now();
      const started = performance.now();
      const [result] = await engine.runTargets({ trigger: 'manual', policy }, [target]);
      const wallSeconds = (performance.now() - started) / 1000;
      const virtualSeconds = clock.elapsedSince(virtualStart) / 1000;
      const counters = crowd.control.counters();
      const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
      const applied = Object.values(result!.run.applied).reduce((a, b) => a + b, 0);
      // The bucket starts full: what the fill rate allowed is the bucket plus the rate over the (virtual) time.
      const allowed = rate + rate * virtualSeconds;
      print(
        `tenant: ${fmt(users)} users, ${fmt(groups)} groups (membership scale ${membershipScale}); Crowd limit ${rate} requests/s, 429 + Retry-After only`,
      );
      print(
        `run: ${result!.run.status}, ${fmt(applied)} items applied (${fmt(result!.run.applied['add-member'])} memberships), ${result!.run.failedItems} failed`,
      );
      print(`wall time: ${fmt(wallSeconds, 1)} s; Crowd time (virtual, paced): ${fmt(virtualSeconds, 1)} s`);
      print(`Crowd requests: ${fmt(requests)} (${fmt(requests / Math.max(1, applied), 2)} per item)`);
      print(`share of the allowed rate used: ${fmt((100 * (requests - counters.throttled429)) / allowed, 1)}% (goal > 90%)`);
      print(
        `answered 429: ${fmt(counters.throttled429)} = ${fmt((100 * counters.throttled429) / Math.max(1, requests), 2)}% (goal < 1%)`,
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      connection.close();
      await graphTransport.close();
      await transport.close();
      await crowd.close();
      await entra.close();
    }
  },
};
