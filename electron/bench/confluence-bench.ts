/**
 * A first sync from the demo tenant into the demo Confluence under its rate limiter: 10,000 users, 500 groups and
 * about 50,000 memberships by default (`--users N --groups M`, the tenant's `membershipScale` 0.25), a token bucket
 * of 50 requests per second (`--rate R`) announced in Confluence's X-RateLimit-* headers, which the pace follows.
 * The Confluence side runs on a virtual clock shared with the emulator (virtual-clock.ts), so the pace is exactly
 * what the limiter allows while the bench takes only the real time of the work. Prints wall time, the requests (per
 * item), the share of the allowed rate used and the share answered 429. Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSyncPolicy } from '../../shared/sync';
import { targetConfigSchema } from '../../shared/targets';
import { startEmulator } from '../emulator';
import { startConfluenceEmulator } from '../emulator/confluence';
import { createHttpTransport } from '../services/http/transport';
import { openDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import { connectToEmulator } from '../services/sync/test-support';
import { confluenceEngineTarget } from '../services/targets/confluence/confluence-engine-target';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import { VirtualClock } from '../services/targets/remote/virtual-clock';
import type { Bench } from './index';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const confluenceBench: Bench = {
  name: 'confluence',
  summary: 'First sync into the demo Confluence under its rate limiter: wall time, requests, share of the allowed rate, 429s',
  async run({ print, options }) {
    const users = Number(options.users ?? 10_000);
    const groups = Number(options.groups ?? 500);
    const rate = Number(options.rate ?? 50);
    const policy = defaultSyncPolicy();
    const entra = await startEmulator({ users, groups, seed: 4, membershipScale: 0.25 });
    const clock = new VirtualClock();
    const confluence = await startConfluenceEmulator({ clock, rateLimit: { limit: rate, fillRate: rate, intervalSeconds: 1 } });
    const { connection, transport: graphTransport, source } = connectToEmulator(entra);
    const transport = createHttpTransport({ extraCaPem: confluence.info.caCertPem, env: {}, timeoutMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 'confluence-bench-'));
    const db = openDatabase(join(dir, 'sync.db'));
    try {
      const config = targetConfigSchema.parse({
        id: 'confluence-bench',
        name: 'Bench Confluence',
        product: 'confluence',
        baseUrl: confluence.info.baseUrl,
      });
      const target = confluenceEngineTarget({
        config,
        token: confluence.info.adminToken,
        db,
        transport,
        clock,
        globalPolicy: policy,
      });
      const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'bench', cache: false });
      confluence.control.resetCounters();
      const virtualStart = clock.now();
      const started = performance.now();
      const [result] = await engine.runTargets({ trigger: 'manual', policy }, [target]);
      const wallSeconds = (performance.now() - started) / 1000;
      const virtualSeconds = clock.elapsedSince(virtualStart) / 1000;
      const counters = confluence.control.counters();
      const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
      const applied = Object.values(result!.run.applied).reduce((a, b) => a + b, 0);
      // The bucket starts full: what the limiter allowed is the bucket plus the rate over the (virtual) time.
      const allowed = rate + rate * virtualSeconds;
      print(
        `tenant: ${fmt(users)} users, ${fmt(groups)} groups; Confluence limit ${rate} requests/s (token bucket ${rate}, X-RateLimit-* headers)`,
      );
      print(
        `run: ${result!.run.status}, ${fmt(applied)} items applied (${fmt(result!.run.applied['add-member'])} memberships), ${result!.run.failedItems} failed`,
      );
      print(`wall time: ${fmt(wallSeconds, 1)} s; Confluence time (virtual, paced): ${fmt(virtualSeconds, 1)} s`);
      print(`Confluence requests: ${fmt(requests)} (${fmt(requests / Math.max(1, applied), 2)} per item)`);
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
      await confluence.close();
      await entra.close();
    }
  },
};
