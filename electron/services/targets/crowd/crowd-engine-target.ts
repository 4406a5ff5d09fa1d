/**
 * A Crowd Data Center target as the engine runs it (engine-target.ts): the real {@link createCrowdTarget} over our
 * transport, its links and managed groups in the sync database under the target id, Crowd's administrator groups
 * (`crowd-administrators`) and the admin's protected groups never touched, their members protected as accounts,
 * directly or through a nested group, with the way said in the plan (the application has no account of its own: the
 * people who administer Crowd are the ones a sync must never lock out), and what Crowd refuses (read-only directory, licence limit) reported once per run, with Crowd's
 * rules said in the run's notes where they mattered.
 */
import { targetProductInfo, type TargetConfig } from '../../../../shared/targets';
import type { SyncPolicyInput } from '../../../../shared/sync';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import type { SqliteDatabase } from '../../sync/database';
import type { EngineTarget } from '../../sync/engine-target';
import { readRemoteTargetState, type Protection } from '../../sync/remote-target-state';
import { groupName, groupsInScope } from '../../sync/scope';
import { targetPolicy } from '../remote/target-policy';
import { guardTarget } from '../remote/guarded-target';
import type { RemotePacer } from '../remote/pacer';
import { createSqliteLinks, type SqliteTargetLinks } from '../remote/sqlite-links';
import { createCrowdTarget } from './crowd-target';

export interface CrowdEngineTargetOptions {
  readonly config: TargetConfig;
  /** The Crowd application's name (the target's `username`). */
  readonly applicationName: string;
  /** The application's password, from the vault. */
  readonly password: string;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicyInput;
  readonly pacer?: RemotePacer;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Where Crowd puts new accounts, in the words of the plan and the connection test. */
export const directoryRule = (app: string) =>
  `Crowd puts new users and groups in the first writable directory of the application, in the order set in Crowd (Applications → ${app} → Directories); its REST API does not name it.`;

/** Crowd's nested groups, in the words of the run's notes. */
export const nestedGroupsRule =
  'Nested groups in Crowd are left as they are: the sync manages direct user memberships only and never adds or removes a child group.';

/** A synced group nested in an administrator group, in the words of the plan. */
export const nestedAdminRule = (group: string, admin: string) =>
  `Group ${group} is nested in ${admin} in Crowd: every user the sync adds to ${group} becomes a Crowd administrator.`;

export function crowdEngineTarget(options: CrowdEngineTargetOptions): EngineTarget & { readonly links: SqliteTargetLinks } {
  const { config } = options;
  const links = createSqliteLinks(options.db, config.id);
  const adminGroups = targetProductInfo.crowd.adminGroups;
  const protectedGroups = new Set([...adminGroups, ...config.protectedGroups].map(lower));
  return {
    id: config.id,
    links,
    policy: targetPolicy(config, options.globalPolicy),
    async prepare({ source, policy, signal, onProgress }) {
      // Members are read for the groups the sync manages and those Entra wants now (one request per group).
      const names = new Map<string, string>();
      for (const name of links.managedGroups()) names.set(lower(name), name);
      for (const id of groupsInScope(source, policy)) {
        const name = groupName(source.groups.get(id)!.displayName, id);
        if (!names.has(lower(name))) names.set(lower(name), name);
      }
      for (const key of protectedGroups) names.delete(key);
      const crowd = createCrowdTarget({
        id: config.id,
        baseUrl: config.baseUrl,
        applicationName: options.applicationName,
        password: options.password,
        transport: options.transport,
        clock: options.clock,
        managedGroups: [...names.values()],
        links,
        matchByEmail: config.matchByEmail,
        ...(options.pacer ? { pacer: options.pacer } : {}),
      });
      const admins = await crowd.administrators(adminGroups, signal);
      const protection: Protection = {
        userKeys: admins.usernames,
        usernames: admins.usernames,
        groups: protectedGroups,
        reasonOf: admins.reasonOf,
      };
      const remote = await readRemoteTargetState(crowd, source, {
        policy,
        protection,
        matchByEmail: config.matchByEmail,
        signal,
        onProgress,
      });
      // A group the sync fills that sits inside crowd-administrators makes whoever it adds an administrator.
      const warnings = [...remote.warnings];
      for (const [key, name] of names) {
        const nested = admins.nestedGroups.get(key);
        if (nested) warnings.push({ code: 'product-rule', externalId: '', message: nestedAdminRule(name, nested.admin) });
      }
      const target = guardTarget(crowd, {
        isProtectedUser: (username) => admins.usernames.has(lower(username)),
        isProtectedGroup: (name) => protectedGroups.has(lower(name)),
        onGroup: (name, managed) => (managed ? links.manageGroup(name) : links.forgetGroup(name)),
      });
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
          const done = crowd.applied();
          return [
            ...target.notes(),
            ...(done.createdUsers > 0 ? [directoryRule(options.applicationName)] : []),
            ...(done.membershipWrites > 0 ? [nestedGroupsRule] : []),
          ];
        },
        pace: {
          product: 'Crowd',
          stats: () => {
            const stats = crowd.pacer.stats();
            return { ...stats, allowedPerSecond: stats.allowedPerSecond ?? crowd.learner.allowedPerSecond };
          },
        },
      };
    },
  };
}
