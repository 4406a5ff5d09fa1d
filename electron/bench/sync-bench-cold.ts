/**
 * The sync bench's cold delta: one delta run in a fresh process with no warm state, as `entra-sync sync` runs it.
 * The parent side spawns this file and reads the child's figures, one JSON line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { customCloud } from '../../shared/clouds';
import { defaultSyncPolicy, type SyncRunRecord } from '../../shared/sync';
import { createGraphConnection } from '../services/graph/graph-client';
import { createHttpTransport } from '../services/http/transport';
import { openDatabase } from '../services/sync/database';
import { createSyncEngine } from '../services/sync/engine';
import { createLocalDirectory } from '../services/targets/local/local-directory';
import { MB, measure, type Measured, type PhaseFigures } from './sync-bench-measure';
import type { ChildInfo } from './sync-bench-emulator';

/** What the cold-delta child reports: the measured run, and the process's RSS before it started. */
export type ColdDeltaFigures = Measured<SyncRunRecord> & { readonly startRssMb: number };

/** Runs the cold delta in a child process (as the terminal host would) and returns its figures. */
export async function coldDeltaInChild(args: { info: ChildInfo; dbPath: string }): Promise<ColdDeltaFigures> {
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

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--sync-bench-cold') {
  coldDeltaChild(JSON.parse(process.argv[3] ?? '{}') as { info: ChildInfo; dbPath: string }).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
