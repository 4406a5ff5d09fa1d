/**
 * A SCIM 2.0 target as the engine runs it (engine-target.ts): `/ServiceProviderConfig` read once per run (PATCH or
 * PUT, page size), the real {@link createScimTarget} over our transport, its links in the sync database under the
 * target id, unlinked accounts matched by `externalId` (the Entra object id a previous provisioning wrote) before
 * the username and e-mail matching of the other targets, the admin's protected groups never touched, memberships
 * applied in chunks through the same protection, and the pace said as the service's ('Atlassian Cloud' with the
 * preset).
 */
import type { PlanWarning, SyncPolicyInput } from '../../../../shared/sync';
import type { TargetConfig } from '../../../../shared/targets';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type { SqliteDatabase } from '../../sync/database';
import type { EngineTarget } from '../../sync/engine-target';
import { readRemoteTargetState, type Protection } from '../../sync/remote-target-state';
import { targetPolicy } from '../remote/target-policy';
import { guardTarget } from '../remote/guarded-target';
import { RemotePacer } from '../remote/pacer';
import { createSqliteLinks, type SqliteTargetLinks } from '../remote/sqlite-links';
import { ScimClient } from './scim-client';
import { scimTargetError } from './scim-errors';
import { readServiceConfig } from './scim-service-config';
import { createScimTarget } from './scim-target';

export interface ScimEngineTargetOptions {
  readonly config: TargetConfig;
  /** The bearer token, from the vault. */
  readonly token: string;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicyInput;
  readonly pacer?: RemotePacer;
  /** Members per PATCH request (tests and the bench). */
  readonly memberChunk?: number;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Atlassian Cloud's hidden-users rule, in the words of the run's notes. */
export const hiddenUsersRule =
  'Atlassian Cloud does not list deactivated users, so the sync read the deactivated users it manages one by one (by their SCIM id, from its own links) instead of taking them for gone.';

/** The product name the pace and the messages use. */
export const scimServiceName = (config: Pick<TargetConfig, 'scimPreset'>) =>
  config.scimPreset === 'atlassian-cloud' ? 'Atlassian Cloud' : 'SCIM';

export function scimEngineTarget(options: ScimEngineTargetOptions): EngineTarget & { readonly links: SqliteTargetLinks } {
  const { config } = options;
  const links = createSqliteLinks(options.db, config.id);
  const protectedGroups = new Set(config.protectedGroups.map(lower));
  const product = scimServiceName(config);
  return {
    id: config.id,
    links,
    policy: targetPolicy(config, options.globalPolicy),
    async prepare({ source, policy, signal, onProgress }) {
      const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency: 4 });
      const probe = new ScimClient({
        baseUrl: config.baseUrl,
        token: options.token,
        transport: options.transport,
        pacer,
        clock: options.clock,
      });
      let serviceConfig;
      try {
        serviceConfig = await readServiceConfig(probe, signal);
      } catch (error) {
        throw scimTargetError(
          error,
          'reading /ServiceProviderConfig',
          config.scimPreset === 'atlassian-cloud' ? 'Atlassian Cloud' : 'The SCIM service',
        );
      }
      const scim = createScimTarget({
        id: config.id,
        baseUrl: config.baseUrl,
        token: options.token,
        transport: options.transport,
        clock: options.clock,
        serviceConfig,
        ...(config.scimPreset ? { preset: config.scimPreset } : {}),
        links,
        matchByEmail: config.matchByEmail,
        isEntraUser: (id) => source.users.has(id),
        isEntraGroup: (id) => source.groups.has(id),
        pacer,
        ...(options.memberChunk ? { memberChunk: options.memberChunk } : {}),
      });
      const protection: Protection = { userKeys: new Set(), usernames: new Set(), groups: protectedGroups };
      const remote = await readRemoteTargetState(scim, source, {
        policy,
        protection,
        matchByEmail: config.matchByEmail,
        signal,
        onProgress,
      });
      const byExternalId = scim.externalIdMatches();
      const warnings: PlanWarning[] = [
        ...byExternalId.map((m) => ({
          code: 'matched' as const,
          externalId: m.externalId,
          message: `Existing ${m.kind === 'user' ? 'account' : 'group'} ${m.name} carries this Entra object id as its externalId, is matched by it and will be managed by the sync from now on.`,
        })),
        ...remote.warnings,
      ];
      // The guard hands the SCIM target's batch only the memberships its checks let through (chunked PATCHes).
      const target = guardTarget(scim, {
        isProtectedUser: () => false,
        isProtectedGroup: (name) => protectedGroups.has(lower(name)),
      });
      return {
        target,
        state: remote.state,
        warnings,
        beforeApply() {
          for (const m of byExternalId) {
            if (m.kind === 'user') links.linkUser(m.externalId, m.key, 'matched');
            else links.linkGroup(m.externalId, m.key, 'matched');
          }
          for (const m of remote.userMatches) links.linkUser(m.externalId, m.key, 'matched');
          for (const m of remote.groupMatches) links.linkGroup(m.externalId, m.key, 'matched');
        },
        notes: () => [
          ...target.notes(),
          ...(config.scimPreset === 'atlassian-cloud' && scim.hiddenUsersRead > 0 ? [hiddenUsersRule] : []),
        ],
        pace: {
          product,
          stats: () => {
            const stats = scim.pacer.stats();
            return { ...stats, allowedPerSecond: stats.allowedPerSecond ?? scim.client.learner.allowedPerSecond };
          },
        },
      };
    },
  };
}
