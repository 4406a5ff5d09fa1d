/**
 * A first sync from the demo tenant into a real SCIM 2.0 service (the scimmy test server: scimmy + scimmy-routers
 * over HTTPS, no rate limit): 10,000 users and 500 groups by default with about 50,000 memberships (`--users N
 * --groups M --membership-scale S`, S = 0.25 by default; `--chunk C` members per PATCH, 50 by default). Prints wall
 * time, the SCIM requests by kind and per object written (users, groups and memberships). Figures only; nothing is
 * asserted. The membership phase is bound by scimmy itself: each PATCH re-reads, patches and re-writes the whole group
 * (about 0.5 s for a group of 500 members, 2.5 s at 2,000 on a loaded 2-core machine), so larger `--chunk` values
 * shorten it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSyncPolicy } from '../../shared/sync';
import { targetConfigSchema } from '../../shared/targets';
import { startEmulator } from '../emulator';
import { startScimmyServer } from '../emulator/scim/scimmy-server';
import { createHttpTransport } from '../services/http/transport';
import { systemClock } from '../services/ports';
import { openDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import { connectToEmulator } from '../services/sync/test-support';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import { scimEngineTarget } from '../services/targets/scim/scim-engine-target';
import type { Bench } from './index';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const scimBench: Bench = {
  name: 'scim',
  summary: 'First sync into a real SCIM 2.0 service (scimmy): wall time, requests per object',
  async run({ print, options }) {
    const users = Number(options.users ?? 10_000);
    const groups = Number(options.groups ?? 500);
    const membershipScale = Number(options['membership-scale'] ?? 0.25);
    const chunk = Number(options.chunk ?? 50);
    const policy = defaultSyncPolicy();
    const entra = await startEmulator({ users, groups, seed: 4, membershipScale });
    const scim = await startScimmyServer();
    const { connection, transport: graphTransport, source } = connectToEmulator(entra);
    const transport = createHttpTransport({ extraCaPem: scim.info.caCertPem, env: {}, timeoutMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
    const db = openDatabase(join(dir, 'sync.db'));
    try {
      const config = targetConfigSchema.parse({
        id: 'scim-bench',
        name: 'Bench SCIM',
        product: 'scim',
        baseUrl: scim.info.baseUrl,
      });
      const target = scimEngineTarget({
        config,
        token: scim.info.token,
        db,
        transport,
        clock: systemClock,
        globalPolicy: policy,
        memberChunk: chunk,
      });
      const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'bench', cache: false });
      const started = performance.now();
      const [result] = await engine.runTargets({ trigger: 'manual', policy }, [target]);
      const wallSeconds = (performance.now() - started) / 1000;
      const requests = Object.values(scim.requests).reduce((a, b) => a + b, 0);
      const run = result!.run;
      const applied = Object.values(run.applied).reduce((a, b) => a + b, 0);
      print(
        `tenant: ${fmt(users)} users, ${fmt(groups)} groups, membership scale ${membershipScale}; ${chunk} members per PATCH`,
      );
      print(
        `run: ${run.status}, ${fmt(applied)} items applied (${fmt(run.applied['create-user'])} users, ${fmt(run.applied['create-group'])} groups, ${fmt(run.applied['add-member'])} memberships), ${run.failedItems} failed`,
      );
      print(`wall time: ${fmt(wallSeconds, 1)} s (${fmt(applied / wallSeconds, 0)} objects/s)`);
      print(`SCIM requests: ${fmt(requests)} = ${fmt(requests / Math.max(1, applied), 3)} per object written`);
      print(
        `by kind: ${Object.entries(scim.requests)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ')}`,
      );
      print(
        `memberships: ${fmt(run.applied['add-member'])} in ${fmt(scim.requests['PATCH /Groups/{id}'] ?? 0)} PATCH requests (${fmt(run.applied['add-member'] / Math.max(1, scim.requests['PATCH /Groups/{id}'] ?? 0), 1)} per request)`,
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      connection.close();
      await graphTransport.close();
      await transport.close();
      await scim.close();
      await entra.close();
    }
  },
};
