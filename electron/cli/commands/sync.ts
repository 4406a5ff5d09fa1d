import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { customCloud, type Cloud } from '../../../shared/clouds';
import { sharedReadSentence } from '../../../shared/shared-read-words';
import { AppError } from '../../../shared/errors';
import {
  syncPolicySchema,
  type SyncPace,
  type SyncPolicyInput,
  type SyncProgressEvent,
  type SyncRunResult,
} from '../../../shared/sync';
import { defaultDataDir, ownerOnlyDirMode, prepareDataDir } from '../../services/app/data-dir';
import { createGraphConnection, type GraphConnection } from '../../services/graph/graph-client';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import { openDatabase, type SqliteDatabase } from '../../services/sync/database';
import { createSyncEngine } from '../../services/sync/engine';
import { systemClock } from '../../services/ports';
import { engineTargetFor, findTarget, targetToken, targetTransport } from '../../services/targets/target-registry';
import { localTargetId, type TargetConfig } from '../../../shared/targets';
import { openDataFolder } from '../data-folder';
import { createLocalDirectory } from '../../services/targets/local/local-directory';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { credentialsAndTransport } from '../env-connection';
import { errorCauses } from '../error-causes';
import { paceJson, paceLine, withPacer, type ChosenTarget, type RunPace } from './sync-pace';

const usage = `Usage: entra-sync sync [--dry-run] [--full] [--json] [--db PATH] [--policy FILE] [--confirm RUN_ID]
                       [--demo [--users N] [--groups M]] [--target NAME|all]

Reads users, groups and memberships from Entra ID, plans the changes to the embedded directory, holds plans that
would disable or delete too many users, delete too many groups or remove too many memberships (the safety brake,
limits in the sync settings), applies the rest and records the run in the history.

  --dry-run        read, plan and check only: show what would change, change nothing
  --full           read everything even when delta links are stored
  --json           print {"runId","mode","status","plan":{counts},"applied":{counts},"blocked","brake","durationMs",
                   "graphRequests","sharedRead",...} as one line; "brake" is {code,message,risk,crossed} when held,
                   else null
  --db PATH        the database (default: the app's <data folder>/sync.db; with --demo a temporary file)
  --policy FILE    sync settings as JSON (the "sync" section of the app's settings, or the policy itself);
                   default: the app's saved sync settings, else the defaults
  --confirm RUN_ID apply the plan of a run the safety brake held, once
  --demo           sync from an in-process demo tenant (--users N, default 200; --groups M, default 40)
  --timeout SECONDS per-request timeout (default 30)
  --target NAME    sync into a target added with \`entra-sync targets add\` (default: local, the embedded
                   directory); \`all\`: the embedded directory and every target, Entra read once, each with its own
                   plan, brake and history row; the read's Graph requests are counted once, on the first
                   target's row, and every row's "sharedRead" is {"targets","countedOnRunId","countedOnTargetId"}
                   (null for a run into one target). --json prints one line per target, with "target": NAME
                   and "pace" (null for the embedded directory): {"requestsPerSecond","limitedBy"} while applying,
                   as the progress shows ("42 requests/s, limited by Jira"; null when nothing was applied), and the
                   run's totals {"requests","throttled" (answered 429),"allowedPerSecond" (from the rate-limit
                   headers, else null),"waitedMs" (held back by the rate limit)}

Credentials come from the environment, as for \`entra-sync validate\`: AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST, ENTRA_GRAPH_BASE_URL, ENTRA_GRAPH_RESOURCE, NODE_EXTRA_CA_CERTS,
HTTPS_PROXY/NO_PROXY. The secret is never printed.

Exit status: 0 done, 1 failed (or some items failed, or cancelled), 2 usage error, 3 held by the safety brake.`;

/** Exit code of a run the safety brake held. */
export const exitBlocked = 3;

interface SyncArgs {
  dryRun: boolean;
  full: boolean;
  json: boolean;
  db: string | undefined;
  policy: string | undefined;
  confirm: string | undefined;
  demo: boolean;
  users: number;
  groups: number;
  timeoutMs: number;
  target: string | undefined;
}

function parse(argv: readonly string[]): SyncArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'dry-run': { type: 'boolean' },
        full: { type: 'boolean' },
        json: { type: 'boolean' },
        db: { type: 'string' },
        policy: { type: 'string' },
        confirm: { type: 'string' },
        demo: { type: 'boolean' },
        users: { type: 'string' },
        groups: { type: 'string' },
        timeout: { type: 'string' },
        target: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const int = (name: string, value: string | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };
  if (!values.demo && (values.users !== undefined || values.groups !== undefined))
    throw new UsageError('--users and --groups go with --demo.');
  return {
    dryRun: values['dry-run'] === true,
    full: values.full === true,
    json: values.json === true,
    db: values.db,
    policy: values.policy,
    confirm: values.confirm,
    demo: values.demo === true,
    users: int('users', values.users, 200, 10, 200_000),
    groups: int('groups', values.groups, 40, 1, 50_000),
    timeoutMs: int('timeout', values.timeout, 30, 1, 600) * 1000,
    target: values.target,
  };
}

/** The policy: --policy FILE, else the app's saved settings, else defaults. A file may be a whole settings file. */
function loadPolicy(args: SyncArgs, io: CliIo): SyncPolicyInput {
  const path = args.policy ?? join(defaultDataDir(io.env), 'settings.json');
  if (!args.policy && !existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the sync settings from ${path}: ${(error as Error).message}`);
  }
  const candidate = raw && typeof raw === 'object' && 'sync' in raw ? (raw as { sync: unknown }).sync : args.policy ? raw : {};
  const parsed = syncPolicySchema.safeParse(candidate ?? {});
  if (!parsed.success)
    throw new UsageError(`the sync settings in ${path} are not valid: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

interface Source {
  readonly cloud: Cloud;
  readonly tenant: string;
  readonly clientId: string;
  readonly connection: GraphConnection;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

async function openSource(args: SyncArgs, io: CliIo): Promise<Source> {
  if (args.demo) {
    const { startEmulator } = await import('../../emulator');
    const emulator = await startEmulator({ users: args.users, groups: args.groups });
    const { info } = emulator;
    const transport = createHttpTransport({ extraCaPem: info.caCertPem, timeoutMs: args.timeoutMs, env: {} });
    const cloud = customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, label: 'Demo tenant' });
    const connection = createGraphConnection({
      cloud,
      tenantId: info.tenantId,
      clientId: info.clientId,
      clientSecret: info.clientSecret,
      transport,
    });
    return {
      cloud,
      tenant: info.tenantId,
      clientId: info.clientId,
      connection,
      transport,
      async close() {
        connection.close();
        await transport.close();
        await emulator.close();
      },
    };
  }
  const { creds, transport } = credentialsAndTransport(io, args.timeoutMs);
  const connection = createGraphConnection({
    cloud: creds.cloud,
    tenantId: creds.tenant,
    clientId: creds.clientId,
    clientSecret: creds.secret,
    transport,
  });
  return {
    cloud: creds.cloud,
    tenant: creds.tenant,
    clientId: creds.clientId,
    connection,
    transport,
    async close() {
      connection.close();
      await transport.close();
    },
  };
}

/** The `--json` line; `pace` for a remote target (its key is present, null, for the embedded directory). */
export function resultJson(result: SyncRunResult, pace?: RunPace): string {
  const { run, plan, guard } = result;
  return JSON.stringify({
    runId: run.id,
    mode: run.mode,
    status: run.status,
    dryRun: run.dryRun,
    plan: run.planned,
    applied: run.applied,
    blocked: guard !== null && !guard.allowed,
    brake:
      guard && !guard.allowed ? { code: guard.code, message: guard.message, risk: guard.risk, crossed: guard.crossed } : null,
    durationMs: run.durationMs,
    graphRequests: run.graphRequests,
    sharedRead: run.sharedRead ?? null,
    failedItems: run.failedItems,
    conflicts: plan?.conflicts.length ?? 0,
    error: run.error,
    notes: run.notes,
    pace: paceJson(pace),
  });
}

function summary(result: SyncRunResult, nameOf: (targetId: string) => string): string {
  const { run, plan, guard } = result;
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'nothing';
  const lines = [
    `Run ${run.id}: ${run.status}${run.dryRun ? ' (dry run)' : ''}, ${run.mode} read, ${run.durationMs ?? 0} ms, ${run.graphRequests} Graph requests.`,
    `Plan: ${counts(run.planned)}.`,
  ];
  const shared = sharedReadSentence(run, nameOf);
  if (shared) lines.splice(1, 0, shared);
  if (!run.dryRun && run.status !== 'blocked') lines.push(`Applied: ${counts(run.applied)}.`);
  if (plan && plan.conflicts.length > 0) {
    lines.push(`Conflicts (${plan.conflicts.length}, not synced):`);
    for (const c of plan.conflicts.slice(0, 10)) lines.push(`  - ${c.message}`);
  }
  if (guard && !guard.allowed)
    lines.push(`Held by the safety brake: ${guard.message}`, `To apply it once: entra-sync sync --confirm ${run.id}`);
  for (const note of run.notes) if (!guard || guard.allowed || note !== guard.message) lines.push(`Note: ${note}`);
  if (run.error) lines.push(`Error (${run.error.code}): ${run.error.message}`);
  return lines.join('\n') + '\n';
}

function progressLine(event: SyncProgressEvent): string {
  const of = event.total === null ? '' : `/${event.total}`;
  const rate = event.ratePerSecond ? `, ${event.ratePerSecond}/s` : '';
  const pace = event.pace
    ? `, ${event.pace.requestsPerSecond} requests/s${event.pace.limitedBy ? `, limited by ${event.pace.limitedBy}` : ''}`
    : '';
  return `  ${event.phase} ${event.done}${of}${rate}${pace}\n`;
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'read Entra, plan, guard and apply to the embedded directory (--dry-run to only plan)',
  usage,
  async run(argv, io) {
    const args = parse(argv);
    const policy = loadPolicy(args, io);
    const tempDir = args.demo && !args.db ? mkdtempSync(join(tmpdir(), 'entra-sync-demo-')) : undefined;
    const dbPath = resolve(args.db ?? (tempDir ? join(tempDir, 'sync.db') : join(defaultDataDir(io.env), 'sync.db')));
    // The app's own data folder is made owner-only as the app itself does at start; a --db elsewhere gets only its
    // folder created 0700 (and the file 0600, by openDatabase), never a chmod of a folder the admin chose.
    if (!args.db && !tempDir) prepareDataDir(defaultDataDir(io.env));
    else mkdirSync(dirname(dbPath), { recursive: true, mode: ownerOnlyDirMode });
    const source = await openSource(args, io);
    const db = openDatabase(dbPath);
    const controller = new AbortController();
    void io.stopSignal.then(() => controller.abort());
    const tokens: string[] = [];
    const opened: { close(): Promise<void> }[] = [];
    try {
      const chosen = await chosenTargets(args, io, db, policy, tokens, opened);
      const recorded = errorCauses([io.env.AZURE_CLIENT_SECRET, ...tokens]);
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source: {
          key: `${source.cloud.graphBaseUrl}|${source.tenant}|${source.clientId}`,
          client: source.connection.client,
          requestCount: () => source.connection.requestCount(),
        },
        hostKind: 'terminal',
        logger: recorded.logger,
        // One run per process: nothing to keep warm.
        cache: false,
      });
      let lastLine = 0;
      let lastPhase = '';
      // The pace each run's progress last showed while applying, by run id (every target has a run of its own).
      const applyingPace = new Map<string, SyncPace>();
      const results = await engine.runTargets(
        {
          trigger: 'terminal',
          policy,
          dryRun: args.dryRun,
          full: args.full,
          confirmRunId: args.confirm,
          signal: controller.signal,
          onProgress: (event) => {
            if (event.pace && event.phase === 'applying') applyingPace.set(event.runId, event.pace);
            if (args.json) return;
            const now = Date.now();
            if (event.phase === lastPhase && now - lastLine < 1000) return;
            lastPhase = event.phase;
            lastLine = now;
            io.stderr(progressLine(event));
          },
        },
        chosen.map((c) => c.target),
      );
      // The target a run's row went into, by its id: where a shared read of Entra is counted.
      const names = new Map(results.map((result, i) => [result.run.targetId ?? localTargetId, chosen[i]!.name]));
      const nameOf = (targetId: string) => names.get(targetId) ?? targetId;
      results.forEach((result, i) => {
        const { name, pacer } = chosen[i]!;
        const stats = pacer()?.stats();
        const applying = applyingPace.get(result.run.id);
        const line = resultJson(result, stats ? { stats, ...(applying ? { applying } : {}) } : undefined);
        if (args.json) io.stdout((args.target ? line.replace(/^\{/, `{"target":${JSON.stringify(name)},`) : line) + '\n');
        else io.stdout((args.target ? `Target ${name}:\n` : '') + summary(result, nameOf) + paceLine(stats, applying));
      });
      if (!args.json) {
        if (tempDir)
          io.stdout('The demo directory was written to a temporary database and is removed now; use --db PATH to keep it.\n');
      }
      if (results.some((result) => result.run.error?.code === 'internal-error')) {
        for (const cause of recorded.causes()) io.stderr(`entra-sync sync: cause of the internal error: ${cause}\n`);
      }
      if (results.some((result) => result.guard && !result.guard.allowed)) return exitBlocked;
      return results.every((result) => result.run.status === 'succeeded') ? ExitCode.ok : ExitCode.failed;
    } catch (error) {
      if (error instanceof AppError) {
        io.stderr(`entra-sync sync: ${error.message}\n`);
        if (args.json) io.stdout(JSON.stringify({ error: { code: error.code, message: error.message } }) + '\n');
        return ExitCode.failed;
      }
      throw error;
    } finally {
      for (const o of opened) await o.close();
      db.close();
      await source.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  },
};

/** The targets of this sync: the embedded directory, one added target, or all of them. */
async function chosenTargets(
  args: SyncArgs,
  io: CliIo,
  db: SqliteDatabase,
  policy: SyncPolicyInput,
  tokens: string[],
  opened: { close(): Promise<void> }[],
): Promise<ChosenTarget[]> {
  const wanted = args.target?.trim();
  const local: ChosenTarget = { name: localTargetId, target: 'local', pacer: () => undefined };
  if (!wanted || wanted.toLowerCase() === localTargetId) return [local];
  const folder = openDataFolder(io);
  const configs = wanted.toLowerCase() === 'all' ? folder.settings.get().targets : [findTarget(folder.settings, wanted)];
  if (configs[0] === undefined && wanted.toLowerCase() !== 'all')
    throw new AppError('target-not-found', `No target is called "${wanted}"; \`entra-sync targets list\` shows them.`);
  const chosen: ChosenTarget[] = wanted.toLowerCase() === 'all' ? [local] : [];
  for (const config of configs as TargetConfig[]) {
    const token = await targetToken(folder.vault, config);
    tokens.push(token);
    const transport = targetTransport(config, io.env, args.timeoutMs);
    opened.push(transport);
    chosen.push(
      withPacer(config.name, engineTargetFor({ config, token, db, transport, clock: systemClock, globalPolicy: policy })),
    );
  }
  return chosen;
}
