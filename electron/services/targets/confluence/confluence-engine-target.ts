/**
 * A Confluence Data Center target as the engine runs it (engine-target.ts): the real {@link createConfluenceTarget}
 * over our transport, its links and managed groups in the sync database under the target id, and Confluence's rules
 * applied and said in the plan and the notes:
 * - user names are lower case: the username mapping is lower-cased for this target whatever the global setting,
 *   so two Entra names that differ only in case collide (the planner's name-conflict warning reports them);
 * - protected: the token's own account, `confluence-administrators` and its members (each with why in the plan), and
 *   the target's own protected groups;
 * - deletion is a long task the apply waits for; its outcome is the item's, and the notes count them;
 * - a licence limit (402) stops creation with Confluence's sentence while updates, disables and memberships go on;
 * - before 8.4 there is no user admin API: the plan says so and what the sync does instead.
 */
import { syncPolicySchema, type SyncPolicyInput } from '../../../../shared/sync';
import type { PlanWarning } from '../../../../shared/sync-plan';
import { targetProductInfo, type TargetConfig } from '../../../../shared/targets';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type { SqliteDatabase } from '../../sync/database';
import type { EngineTarget } from '../../sync/engine-target';
import { readRemoteTargetState, type Protection } from '../../sync/remote-target-state';
import { groupName, groupsInScope } from '../../sync/scope';
import { readAdminProtection, targetPolicy } from '../remote/target-policy';
import { guardTarget } from '../remote/guarded-target';
import { RemotePacer } from '../remote/pacer';
import { RemoteTargetError } from '../remote/remote-error';
import { createSqliteLinks, type SqliteTargetLinks } from '../remote/sqlite-links';
import { ConfluenceClient } from './confluence-client';
import { confluenceTargetError, licenceMessage } from './confluence-errors';
import { hasFullAdminApi, insteadBefore84, missingBefore84, readManifest } from './confluence-product';
import { createConfluenceTarget } from './confluence-target';

export interface ConfluenceEngineTargetOptions {
  readonly config: TargetConfig;
  /** The personal access token, from the vault. */
  readonly token: string;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicyInput;
  readonly pacer?: RemotePacer;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const users = (n: number) => (n === 1 ? '1 user' : `${n} users`);

/** The policy for Confluence: the target's (or the global) one with user names always lower-cased. */
export function confluencePolicy(config: TargetConfig, globalPolicy: SyncPolicyInput): SyncPolicyInput {
  const base = syncPolicySchema.parse(targetPolicy(config, globalPolicy));
  return { ...base, mapping: { ...base.mapping, lowercaseUsername: true } };
}

export function confluenceEngineTarget(
  options: ConfluenceEngineTargetOptions,
): EngineTarget & { readonly links: SqliteTargetLinks } {
  const { config } = options;
  const links = createSqliteLinks(options.db, config.id);
  const adminGroups = targetProductInfo.confluence.adminGroups.map(lower);
  const protectedGroups = new Set([...adminGroups, ...config.protectedGroups.map(lower)]);
  const configured = config.sync === 'inherit' ? options.globalPolicy : config.sync;
  const wasLowercased = syncPolicySchema.parse(configured).mapping.lowercaseUsername;
  return {
    id: config.id,
    links,
    policy: confluencePolicy(config, options.globalPolicy),
    async prepare({ source, policy, signal, onProgress }) {
      const pacer = options.pacer ?? new RemotePacer({ clock: options.clock, maxConcurrency: 4 });
      const probe = new ConfluenceClient({ baseUrl: config.baseUrl, token: options.token, transport: options.transport, pacer });
      let version: string | undefined;
      try {
        version = (await readManifest(probe, signal))?.version;
      } catch (error) {
        throw confluenceTargetError(error, 'reading the Confluence version');
      }
      const fullAdmin = version === undefined || hasFullAdminApi(version);
      const names = new Map<string, string>();
      for (const name of links.managedGroups()) names.set(lower(name), name);
      for (const id of groupsInScope(source, policy)) {
        const name = groupName(source.groups.get(id)!.displayName, id);
        if (!names.has(lower(name))) names.set(lower(name), name);
      }
      for (const key of protectedGroups) names.delete(key);
      const confluence = createConfluenceTarget({
        id: config.id,
        baseUrl: config.baseUrl,
        token: options.token,
        transport: options.transport,
        clock: options.clock,
        fullAdmin,
        ...(version ? { version } : {}),
        managedGroups: [...names.values()],
        links,
        pacer,
      });
      const me = await confluence.myself(signal);
      const admins = await readAdminProtection(targetProductInfo.confluence.adminGroups, {
        users: (group) => confluence.members(group, signal),
      });
      const protection: Protection = {
        userKeys: new Set([me.key, ...admins.keys]),
        usernames: new Set([lower(me.name), ...admins.usernames]),
        groups: protectedGroups,
        reasonOf: (username) =>
          lower(username) === lower(me.name) ? "the account of the target's personal access token" : admins.reasonOf(username),
      };
      const remote = await readRemoteTargetState(confluence, source, {
        policy,
        protection,
        matchByEmail: config.matchByEmail,
        signal,
        onProgress,
      });
      const warnings: PlanWarning[] = [...remote.warnings];
      if (!wasLowercased) {
        warnings.push({
          code: 'product-rule',
          externalId: '',
          message:
            'Confluence user names are lower case: this target lower-cases every username (Anna.Berg becomes anna.berg), whatever the username setting says.',
        });
      }
      if (!fullAdmin) {
        warnings.push({
          code: 'product-rule',
          externalId: '',
          message: `Confluence ${version} is older than 8.4: ${missingBefore84}. Instead, ${insteadBefore84}.`,
        });
      }
      const guarded = guardTarget(confluence, {
        isProtectedUser: (username) => protection.usernames.has(lower(username)),
        isProtectedGroup: (name) => protectedGroups.has(lower(name)),
        onGroup: (name, managed) => (managed ? links.manageGroup(name) : links.forgetGroup(name)),
      });
      // Every creation the licence stopped, counted here (several may be in flight when the first 402 comes).
      let notCreated = 0;
      const target: typeof guarded = {
        ...guarded,
        createUser: async (...args) => {
          try {
            return await guarded.createUser(...args);
          } catch (error) {
            if (error instanceof RemoteTargetError && error.reason === 'user-limit') notCreated++;
            throw error;
          }
        },
      };
      return {
        target,
        state: remote.state,
        warnings,
        beforeApply() {
          for (const m of remote.userMatches) links.linkUser(m.externalId, m.key, 'matched');
          for (const m of remote.groupMatches) {
            links.linkGroup(m.externalId, m.key, 'matched');
            links.manageGroup(m.name);
          }
        },
        notes: () => {
          const out = target
            .notes()
            .map((note) =>
              note.startsWith('The licensed-user limit is reached')
                ? `${licenceMessage(notCreated)} Updates, disables and memberships went on.`
                : note,
            );
          const done = confluence.activity();
          if (done.deleted > 0) {
            out.push(
              `Confluence deletes users in the background: ${users(done.deleted)} deleted, each deletion task waited for until it finished (longest ${(done.longestDeleteMs / 1000).toFixed(1)} s).`,
            );
          }
          if (done.failedDeletes > 0) {
            out.push(`${users(done.failedDeletes)} could not be deleted: Confluence's deletion task failed (the items say why).`);
          }
          return out;
        },
        pace: { product: 'Confluence', stats: () => pacer.stats() },
      };
    },
  };
}
