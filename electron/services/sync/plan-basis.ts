import { createHash } from 'node:crypto';
import type { PlanBasis, PlanFreshness, PlanOutdatedReason } from '../../../shared/contract/sync';
import type { SyncPolicyInput, SyncRunRecord } from '../../../shared/sync';
import type { SqliteDatabase } from './database';

/**
 * What a dry run was computed from, so a plan is never shown as current once it is not: the settings' revision
 * (a hash of the sync policy), the directory's state marker (the id of the last real run of the target, which any
 * later sync changes) and when. Kept in the store's own database beside the history (`sync_plan_basis`).
 */

/** A stable JSON text (keys sorted), so the same policy always hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The settings revision of a policy: short, and equal exactly when the policies are. */
export function settingsRevision(policy: SyncPolicyInput): string {
  return createHash('sha256').update(stableJson(policy)).digest('hex').slice(0, 16);
}

export interface PlanBasisStore {
  record(runId: string, basis: PlanBasis): void;
  get(runId: string): PlanBasis | null;
}

export function createPlanBasisStore(db: SqliteDatabase): PlanBasisStore {
  db.exec(`CREATE TABLE IF NOT EXISTS sync_plan_basis (
     run_id TEXT PRIMARY KEY, settings_revision TEXT NOT NULL, directory_marker TEXT, computed_at TEXT NOT NULL) WITHOUT ROWID`);
  const insert = db.prepare(
    'INSERT OR REPLACE INTO sync_plan_basis (run_id, settings_revision, directory_marker, computed_at) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare('SELECT settings_revision, directory_marker, computed_at FROM sync_plan_basis WHERE run_id = ?');
  return {
    record: (runId, basis) => void insert.run(runId, basis.settingsRevision, basis.directoryMarker, basis.computedAt),
    get(runId) {
      const row = select.get(runId) as
        { settings_revision: string; directory_marker: string | null; computed_at: string } | undefined;
      return row
        ? { settingsRevision: row.settings_revision, directoryMarker: row.directory_marker, computedAt: row.computed_at }
        : null;
    },
  };
}

/**
 * Whether a dry run still describes what a sync would do now. A dry run without a recorded basis (made by the
 * terminal, or by an earlier version) is outdated as soon as a real run started after it; its settings are unknown.
 */
export function freshnessOf(
  run: SyncRunRecord,
  basis: PlanBasis | null,
  now: { readonly settingsRevision: string; readonly lastRun: SyncRunRecord | null },
): PlanFreshness {
  const outdated: PlanOutdatedReason[] = [];
  if (!basis) {
    outdated.push('unknown');
    if (now.lastRun && now.lastRun.startedAt > run.startedAt) outdated.push('directory');
    return { basis, outdated };
  }
  if (basis.settingsRevision !== now.settingsRevision) outdated.push('settings');
  if (basis.directoryMarker !== (now.lastRun?.id ?? null)) outdated.push('directory');
  return { basis, outdated };
}
