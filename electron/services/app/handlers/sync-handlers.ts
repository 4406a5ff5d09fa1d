import { join } from 'node:path';
import type { SyncOutcome, SyncResults, SyncStarted, TenantGroupOption } from '../../../../shared/contract/sync';
import { AppError } from '../../../../shared/errors';
import { syncPolicySchema } from '../../../../shared/sync';
import { entraObjectUrl } from '../../../../shared/name-rules';
import type { GraphPage } from '../../graph/directory-reader';
import { describeFailure } from '../../graph/graph-client';
import { saveExportsIn } from '../../sync/export';
import type { ConnectionSync } from '../../sync/connection-sync';
import type { OnStarted } from '../../sync/sync-service';
import type { AppContext } from '../app-context';
import type { FeatureHandlers } from '../feature-handlers';

/** How long the tenant's group list is reused before Graph is asked again. */
const groupListTtlMs = 5 * 60_000;
/** At most this many pages of 999 groups are read for the picker (about 200,000 groups). */
const maxGroupPages = 200;

/**
 * The sync, its history and the embedded directory, over the {@link SyncService}. Starting a run answers once the
 * run has an id; its progress and ending arrive as `sync:progress` and `sync:finished` events.
 */
export function syncHandlers(ctx: AppContext, sync: ConnectionSync): FeatureHandlers<keyof SyncResults> {
  let groupCache: { at: number; readAt: string; groups: TenantGroupOption[] } | null = null;
  const deliverExport = ctx.deliverExport ?? saveExportsIn(join(ctx.dataDir, 'exports'));

  /** Starts a run and answers with its id; failures to start reject with their code. */
  const startInBackground = (start: (onStarted: OnStarted) => Promise<SyncOutcome>): Promise<SyncStarted> =>
    new Promise((resolve, reject) => {
      start((runId) => resolve({ runId })).then(
        (outcome) => resolve({ runId: outcome.run.id }),
        (error: unknown) => {
          ctx.logger.warn('sync: a run could not start', { code: error instanceof AppError ? error.code : 'internal-error' });
          reject(error);
        },
      );
    });

  async function readTenantGroups(): Promise<TenantGroupOption[]> {
    return sync.withGraph(async (graph) => {
      const groups: TenantGroupOption[] = [];
      try {
        let page = (await graph.client
          .api('/groups')
          .select(['id', 'displayName', 'description', 'mail'])
          .top(999)
          .get()) as GraphPage<{
          id: string;
          displayName?: string | null;
          description?: string | null;
          mail?: string | null;
        }>;
        for (let n = 1; ; n++) {
          for (const g of page.value ?? [])
            groups.push({
              id: g.id,
              displayName: g.displayName ?? null,
              description: g.description ?? null,
              mail: g.mail ?? null,
              memberCount: null,
            });
          const next = page['@odata.nextLink'];
          if (!next || n >= maxGroupPages) break;
          page = (await graph.client.api(next).get()) as typeof page;
        }
      } catch (error) {
        const failure = describeFailure(error);
        const detail = failure.kind === 'graph' ? `${failure.status} ${failure.code}` : failure.kind;
        throw new AppError(
          'graph-read-failed',
          'The list of groups could not be read from Microsoft Graph. Test the connection on the dashboard, then try again.',
          detail,
        );
      }
      return groups;
    });
  }

  return {
    'sync:getPolicy': async () => ctx.settings.get().sync,
    'sync:savePolicy': async ({ policy }) => {
      const parsed = syncPolicySchema.parse(policy);
      const usesRequired = parsed.users.scope === 'requiredGroups' || parsed.groups.scope === 'requiredGroups';
      if (usesRequired && parsed.users.requiredGroupIds.length === 0) {
        throw new AppError('required-groups-empty', 'Pick at least one required group, or sync all users and groups.');
      }
      return ctx.settings.update((s) => ({ ...s, sync: parsed })).sync;
    },
    'sync:status': async () => sync.status(),
    'sync:dryRun': ({ full, target }) => startInBackground((onStarted) => sync.dryRun({ full, targetId: target }, onStarted)),
    'sync:runNow': ({ full, confirmBrake, target }) =>
      startInBackground((onStarted) =>
        target === 'all' && !confirmBrake
          ? sync.runAll({ trigger: 'manual', full }, onStarted).then((outcomes) => outcomes[0]!)
          : sync.runNow({ trigger: 'manual', full, confirmBrake, targetId: target }, onStarted),
      ),
    'sync:cancel': async () => ({ cancelled: sync.cancel() }),
    'sync:runs': async (query) => sync.history(query),
    'sync:run': async ({ runId }) => sync.run(runId),
    'sync:runItems': async ({ runId, ...query }) => sync.items(runId, query),
    'sync:exportRun': async ({ runId, format }) => deliverExport(sync.exportRun(runId, format)),
    'sync:runConflicts': async ({ runId }) => {
      const { conflicts, total } = sync.conflicts(runId);
      const cloud = ctx.settings.get().connection.cloud;
      return {
        total,
        conflicts: conflicts.map((c) => {
          const kind = c.kind ?? (c.code.startsWith('username') ? 'user' : 'group');
          const objects = c.objects ?? c.externalIds.map((id) => ({ id, displayName: null, detail: null }));
          return { ...c, kind, objects: objects.map((o) => ({ ...o, portalUrl: entraObjectUrl(cloud, kind, o.id) })) };
        }),
      };
    },
    'sync:tenantGroups': async ({ search, include, limit, refresh }) => {
      const now = ctx.clock.now();
      if (refresh || !groupCache || now.getTime() - groupCache.at > groupListTtlMs) {
        const groups = await readTenantGroups();
        groups.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? '', undefined, { sensitivity: 'base' }));
        groupCache = { at: now.getTime(), readAt: now.toISOString(), groups };
      }
      // Member counts come from the last sync's snapshot of Entra, when there is one.
      const counts = new Map(sync.sourceState.searchGroups('', 1_000_000).map((g) => [g.id, g.memberCount]));
      const withCount = (g: TenantGroupOption): TenantGroupOption => ({ ...g, memberCount: counts.get(g.id) ?? null });
      const needle = search.trim().toLowerCase();
      const matching = needle
        ? groupCache.groups.filter((g) => (g.displayName ?? '').toLowerCase().includes(needle) || g.id.toLowerCase() === needle)
        : groupCache.groups;
      const wanted = new Set(include);
      return {
        items: matching.slice(0, limit).map(withCount),
        total: matching.length,
        included: groupCache.groups.filter((g) => wanted.has(g.id)).map(withCount),
        readAt: groupCache.readAt,
      };
    },
    'directory:summary': async () => sync.directory.counts(),
    'directory:users': async (query) => sync.directory.users(query),
    'directory:groups': async (query) => sync.directory.groups(query),
    'directory:groupMembers': async ({ groupId, ...query }) => sync.directory.groupMembers(groupId, query),
    'directory:userGroups': async ({ userId, ...query }) => sync.directory.userGroups(userId, query),
    'directory:export': async ({ kind, format }) => deliverExport(sync.directory.exportFile(kind, format)),
    'directory:reset': () => sync.resetDirectory(),
  };
}
