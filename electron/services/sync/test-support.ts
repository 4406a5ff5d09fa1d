/**
 * Test wiring for the sync: a demo tenant, the real HTTP transport + msal-node + Graph client against it, a fresh
 * SQLite file with the embedded directory, and an engine. Nothing of our HTTP path is mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customCloud } from '../../../shared/clouds';
import { defaultSyncPolicy, type SyncPolicy } from '../../../shared/sync';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';
import { createGraphConnection, type GraphConnection } from '../graph/graph-client';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { createLocalDirectory, type LocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions, type SyncSource } from './engine';

/** A Graph connection (real msal-node + Graph client over the real transport) to a running emulator. */
export function connectToEmulator(emulator: RunningEmulator): {
  connection: GraphConnection;
  transport: HttpTransport;
  source: SyncSource;
} {
  const { info } = emulator;
  const transport = createHttpTransport({ extraCaPem: info.caCertPem, timeoutMs: 30_000, env: {} });
  const cloud = customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl });
  const connection = createGraphConnection({
    cloud,
    tenantId: info.tenantId,
    clientId: info.clientId,
    clientSecret: info.clientSecret,
    transport,
  });
  return {
    connection,
    transport,
    source: {
      key: `${info.graphBaseUrl}|${info.tenantId}|${info.clientId}`,
      client: connection.client,
      requestCount: () => connection.requestCount(),
    },
  };
}

export interface SyncFixture {
  readonly emulator: RunningEmulator;
  readonly source: SyncSource;
  readonly dir: string;
  readonly dbPath: string;
  db: SqliteDatabase;
  target: LocalDirectory;
  engine: SyncEngine;
  /** Re-opens the database (as a new process would) and builds a new engine on it. */
  reopen(options?: Partial<Omit<SyncEngineOptions, 'db' | 'source'>>): void;
  close(): Promise<void>;
}

/** Starts a demo tenant and an engine on a fresh database file. Always `close()` it. */
export async function startSyncFixture(
  emulatorOptions: EmulatorOptions = {},
  engineOptions: Partial<Omit<SyncEngineOptions, 'db' | 'source'>> = {},
): Promise<SyncFixture> {
  const emulator = await startEmulator(emulatorOptions);
  const { connection, transport, source } = connectToEmulator(emulator);
  const dir = mkdtempSync(join(tmpdir(), 'entra-sync-test-'));
  const dbPath = join(dir, 'sync.db');
  const build = (db: SqliteDatabase, options: Partial<Omit<SyncEngineOptions, 'db' | 'source'>>) => {
    const target = options.target ?? createLocalDirectory(db);
    const engine = createSyncEngine({ db, source, hostKind: 'test', read: { backoffMs: 50 }, ...options, target });
    return { target: target as LocalDirectory, engine };
  };
  const db = openDatabase(dbPath);
  const fixture: SyncFixture = {
    emulator,
    source,
    dir,
    dbPath,
    db,
    ...build(db, engineOptions),
    reopen(options = {}) {
      fixture.db.close();
      fixture.db = openDatabase(dbPath);
      const built = build(fixture.db, options);
      fixture.target = built.target;
      fixture.engine = built.engine;
    },
    async close() {
      fixture.db.close();
      connection.close();
      await transport.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** The default policy with some sections replaced. */
export function policyWith(patch: { [K in keyof SyncPolicy]?: Partial<SyncPolicy[K]> }): SyncPolicy {
  const base = defaultSyncPolicy();
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = base[key as keyof SyncPolicy];
    result[key] = typeof current === 'object' && current !== null ? { ...current, ...(value as object) } : value;
  }
  return result as SyncPolicy;
}

/** The directory's content as plain sorted data, for comparing two runs. */
export function directorySnapshot(db: SqliteDatabase): { users: unknown[]; groups: unknown[]; members: string[] } {
  return {
    users: db
      .prepare(
        'SELECT external_id, username, email, display_name, given_name, surname, active FROM dir_users ORDER BY external_id',
      )
      .raw()
      .all(),
    groups: db.prepare('SELECT external_id, name, description FROM dir_groups ORDER BY external_id').raw().all(),
    members: (
      db
        .prepare(
          'SELECT g.external_id, u.external_id FROM dir_members m JOIN dir_groups g ON g.id = m.group_id JOIN dir_users u ON u.id = m.user_id',
        )
        .raw()
        .all() as [string, string][]
    )
      .map(([g, u]) => `${g}:${u}`)
      .sort(),
  };
}
