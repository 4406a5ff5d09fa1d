import type { PlanItem } from '../../../shared/sync';
import type { SqliteDatabase } from './database';
import type { MutableSourceDirectory, TargetGroupState, TargetState, TargetUserState } from './model';
import type { RecordedItem } from './history-store';

/**
 * Keeps the last run's source snapshot and target state in memory for the next run of a long-lived host (the
 * desktop app, the browser host): a delta run then reads only Graph's changes instead of reloading 100k users and
 * half a million memberships from SQLite. It is only trusted while the database's generation counter is the one
 * it saw: every run that writes the database bumps it (before and after applying), so a run by another process —
 * even one that crashed half-way — invalidates it. A one-shot host (the terminal) simply does not keep one.
 */

/** A target state whose maps can be updated as items are applied. */
export interface MutableTargetState extends TargetState {
  readonly users: Map<string, TargetUserState>;
  readonly groups: Map<string, TargetGroupState>;
  readonly members: Map<string, string[]>;
}

export class SyncStateCache {
  generation = -1;
  sourceKey = '';
  fields = '';
  source: MutableSourceDirectory | undefined;
  target: MutableTargetState | undefined;

  /** Whether the cached state is the database's current state. */
  validFor(generation: number): boolean {
    return this.generation === generation;
  }

  clear(): void {
    this.generation = -1;
    this.source = undefined;
    this.target = undefined;
  }
}

/** Reads the database's generation counter (0 for a new database). */
export function readGeneration(db: SqliteDatabase): number {
  db.exec('CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  const row = db.prepare(`SELECT value FROM sync_meta WHERE key = 'generation'`).raw().get() as [number] | undefined;
  return row ? Number(row[0]) : 0;
}

/** Increments the generation counter and returns the new value. */
export function bumpGeneration(db: SqliteDatabase): number {
  const next = readGeneration(db) + 1;
  db.prepare(
    `INSERT INTO sync_meta (key, value) VALUES ('generation', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  ).run(next);
  return next;
}

/**
 * Brings a cached target state in line with applied items: `applied` and `unchanged` items describe the target's
 * state now; failed items left it as it was. Removals are collected and done once per group.
 */
export function applyOutcomes(state: MutableTargetState, results: readonly RecordedItem[]): void {
  const removals = new Map<string, Set<string>>();
  const deletedUsers = new Set<string>();
  for (const { item, outcome } of results) {
    if (outcome !== 'applied' && outcome !== 'unchanged') continue;
    applyOne(state, item, removals, deletedUsers);
  }
  if (deletedUsers.size > 0) {
    for (const [groupId, list] of state.members) {
      if (list.some((id) => deletedUsers.has(id)))
        state.members.set(
          groupId,
          list.filter((id) => !deletedUsers.has(id)),
        );
    }
  }
  for (const [groupId, gone] of removals) {
    const list = state.members.get(groupId);
    if (list)
      state.members.set(
        groupId,
        list.filter((id) => !gone.has(id)),
      );
  }
}

function applyOne(
  state: MutableTargetState,
  item: PlanItem,
  removals: Map<string, Set<string>>,
  deletedUsers: Set<string>,
): void {
  switch (item.kind) {
    case 'create-user':
      state.users.set(item.externalId, { externalId: item.externalId, ...item.after, active: item.active });
      return;
    case 'update-user': {
      const user = state.users.get(item.externalId);
      if (user) state.users.set(item.externalId, { ...user, ...item.after });
      return;
    }
    case 'enable-user':
    case 'disable-user': {
      const user = state.users.get(item.externalId);
      if (user) state.users.set(item.externalId, { ...user, active: item.kind === 'enable-user' });
      return;
    }
    case 'delete-user':
      state.users.delete(item.externalId);
      deletedUsers.add(item.externalId);
      return;
    case 'create-group':
      state.groups.set(item.externalId, { externalId: item.externalId, ...item.after });
      return;
    case 'update-group': {
      const group = state.groups.get(item.externalId);
      if (group) state.groups.set(item.externalId, { ...group, ...item.after });
      return;
    }
    case 'delete-group':
      state.groups.delete(item.externalId);
      state.members.delete(item.externalId);
      return;
    case 'add-member': {
      const list = state.members.get(item.groupExternalId);
      if (list) list.push(item.userExternalId);
      else state.members.set(item.groupExternalId, [item.userExternalId]);
      removals.get(item.groupExternalId)?.delete(item.userExternalId);
      return;
    }
    case 'remove-member': {
      let gone = removals.get(item.groupExternalId);
      if (!gone) removals.set(item.groupExternalId, (gone = new Set()));
      gone.add(item.userExternalId);
      return;
    }
  }
}
