/**
 * A Jira Data Center target as the engine runs it (engine-target.ts): the real {@link createJiraTarget} over our
 * transport, its links and managed groups in the sync database under the target id, the token's own account, the
 * administrator groups and their members (Jira lists nested groups' members too) protected, each with why in the plan,
 * and what Jira refuses (read-only directory, user limit) reported once per run.
 */
import { jiraAdminGroups, type TargetConfig } from '../../../../shared/targets';
import type { SyncPolicyInput } from '../../../../shared/sync';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type { SqliteDatabase } from '../../sync/database';
import type { EngineTarget } from '../../sync/engine-target';
import { readRemoteTargetState, type Protection } from '../../sync/remote-target-state';
import { groupName, groupsInScope } from '../../sync/scope';
import { guardTarget } from '../remote/guarded-target';
import type { RemotePacer } from '../remote/pacer';
import { createSqliteLinks, type SqliteTargetLinks } from '../remote/sqlite-links';
import { readAdminProtection, targetPolicy } from '../remote/target-policy';

import { createJiraTarget } from './jira-target';

export interface JiraEngineTargetOptions {
  readonly config: TargetConfig;
  /** The target's personal access token, from the vault. */
  readonly token: string;
  readonly db: SqliteDatabase;
  /** A transport trusting the target's CA (the caller builds it from the config). */
  readonly transport: HttpTransport;
  readonly clock: Clock;
  /** The global sync settings, used when the target inherits them. */
  readonly globalPolicy: SyncPolicyInput;
  readonly pacer?: RemotePacer;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

export function jiraEngineTarget(options: JiraEngineTargetOptions): EngineTarget & { readonly links: SqliteTargetLinks } {
  const { config } = options;
  const links = createSqliteLinks(options.db, config.id);
  const protectedGroups = new Set([...jiraAdminGroups, ...config.protectedGroups].map(lower));
  return {
    id: config.id,
    links,
    policy: targetPolicy(config, options.globalPolicy),
    async prepare({ source, policy, signal, onProgress }) {
      // Jira has no paged list of all groups: read back the groups the sync manages and those Entra wants now
      // (an existing one is matched by name).
      const names = new Map<string, string>();
      for (const name of links.managedGroups()) names.set(lower(name), name);
      for (const id of groupsInScope(source, policy)) {
        const name = groupName(source.groups.get(id)!.displayName, id);
        if (!names.has(lower(name))) names.set(lower(name), name);
      }
      for (const key of protectedGroups) names.delete(key);
      const jira = createJiraTarget({
        id: config.id,
        baseUrl: config.baseUrl,
        token: options.token,
        transport: options.transport,
        clock: options.clock,
        managedGroups: [...names.values()],
        links,
        matchByEmail: config.matchByEmail,
        ...(options.pacer ? { pacer: options.pacer } : {}),
      });
      const me = await jira.myself(signal);
      const admins = await readAdminProtection(jiraAdminGroups, { users: (group) => jira.members(group, signal) });
      const protection: Protection = {
        userKeys: new Set([me.key, ...admins.keys]),
        usernames: new Set([lower(me.name), ...admins.usernames]),
        groups: protectedGroups,
        reasonOf: (username) =>
          lower(username) === lower(me.name) ? "the account of the target's personal access token" : admins.reasonOf(username),
      };
      const remote = await readRemoteTargetState(jira, source, {
        policy,
        protection,
        matchByEmail: config.matchByEmail,
        signal,
        onProgress,
      });
      const target = guardTarget(jira, {
        isProtectedUser: (username) => protection.usernames.has(lower(username)),
        isProtectedGroup: (name) => protectedGroups.has(lower(name)),
        onGroup: (name, managed) => (managed ? links.manageGroup(name) : links.forgetGroup(name)),
      });
      return {
        target,
        state: remote.state,
        warnings: remote.warnings,
        beforeApply() {
          for (const m of remote.userMatches) links.linkUser(m.externalId, m.key, 'matched');
          for (const m of remote.groupMatches) {
            links.linkGroup(m.externalId, m.key, 'matched');
            links.manageGroup(m.name);
          }
        },
        notes: () => target.notes(),
        pace: { product: 'Jira', stats: () => jira.pacer.stats() },
      };
    },
  };
}
