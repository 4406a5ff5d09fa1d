/**
 * A Bitbucket Data Center target as the engine runs it (engine-target.ts): the real {@link createBitbucketTarget}
 * over our transport, its links and the licences it took away in the sync database under the target id, and the
 * product's rules said in the plan and the notes:
 * - Bitbucket cannot deactivate users. With `unlicense` (the default) a "disable" removes the user from the groups
 *   that grant the licence, and the plan says how many lose it and which groups they leave; with `delete` the
 *   target has no disable, disabled Entra accounts count as leavers and leavers are deleted. Either way each such
 *   change is a destructive plan item (disable-user or delete-user) that the safety brake counts.
 * - Protected: the signed-in administrator, everyone holding ADMIN or SYS_ADMIN (so no sync strips an admin's
 *   licence), `stash-users` / `sys-admins`, the groups granting ADMIN or SYS_ADMIN, and the target's own protected
 *   groups.
 * - Read-only directory accounts and the licence limit are reported once per run.
 */
import { syncPolicySchema, type SyncPolicy, type SyncPolicyInput } from '../../../../shared/sync';
import { targetProductInfo, type BitbucketDisableMode, type TargetConfig } from '../../../../shared/targets';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import { yieldToEventLoop, type SqliteDatabase } from '../../sync/database';
import type { EngineTarget } from '../../sync/engine-target';
import type { SourceDirectory } from '../../sync/model';
import { planSteps } from '../../sync/plan';
import { readRemoteTargetState, type Protection } from '../../sync/remote-target-state';
import { groupName, groupsInScope } from '../../sync/scope';
import type { MutableTargetState } from '../../sync/state-cache';
import { targetPolicy } from '../remote/target-policy';
import { guardTarget } from '../remote/guarded-target';
import type { RemotePacer } from '../remote/pacer';
import { createSqliteLinks, type SqliteTargetLinks } from '../remote/sqlite-links';
import { createSqliteLicenceMemory } from './bitbucket-licence';
import { createBitbucketTarget, type BitbucketTarget } from './bitbucket-target';

export interface BitbucketEngineTargetOptions {
  readonly config: TargetConfig;
  /** The administrator's username (config.username when absent) and password, from the vault. */
  readonly username?: string;
  readonly password: string;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicyInput;
  readonly pacer?: RemotePacer;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
/** `a, b and c` for one user's groups, `a, b or c` for several users (each left some of them). */
const list = (names: readonly string[], people: number) =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} ${people === 1 ? 'and' : 'or'} ${names[names.length - 1]}`;
const users = (n: number) => (n === 1 ? '1 user' : `${n} users`);

/** The policy under `delete`: disabled Entra accounts are leavers, and leavers that would be disabled are deleted. */
export function bitbucketPolicy(config: TargetConfig, globalPolicy: SyncPolicyInput): SyncPolicyInput {
  const base = targetPolicy(config, globalPolicy);
  if ((config.bitbucketDisable ?? 'unlicense') !== 'delete') return base;
  const full = syncPolicySchema.parse(base);
  return {
    ...full,
    users: { ...full.users, disabledAccounts: 'exclude' },
    cleanup: { ...full.cleanup, leavers: full.cleanup.leavers === 'keep' ? 'keep' : 'delete' },
  };
}

/** The sentence the plan carries about "disable" in Bitbucket; null when the plan disables nobody. */
async function disableSentence(
  mode: BitbucketDisableMode,
  target: BitbucketTarget,
  source: SourceDirectory,
  state: MutableTargetState,
  policy: SyncPolicy,
): Promise<string | null> {
  // The planner is pure: planning once more here gives the exact items the run will have.
  const steps = planSteps(source, state, policy);
  let step = steps.next();
  while (!step.done) {
    await yieldToEventLoop();
    step = steps.next();
  }
  const plan = step.value;
  if (mode === 'delete') {
    const n = plan.counts['delete-user'];
    return n === 0
      ? null
      : `Bitbucket cannot deactivate users: this target deletes them instead (its choice for "disable"), so ${users(n)} ${n === 1 ? 'is' : 'are'} deleted. A user who comes back is created again.`;
  }
  const leaving = plan.items.filter((i) => i.kind === 'disable-user');
  if (leaving.length === 0) return null;
  const groups = new Set<string>();
  for (const i of leaving)
    for (const g of target.facts.licensedBy.get(lower(i.kind === 'disable-user' ? i.username : '')) ?? []) groups.add(g);
  const names = [...groups].sort();
  return `Bitbucket cannot deactivate users: ${users(leaving.length)} lose${leaving.length === 1 ? 's' : ''} their licence by leaving ${list(names.length > 0 ? names : ['the groups that grant it'], leaving.length)} (this target's choice for "disable"). Re-enabling adds them back to those groups.`;
}

export function bitbucketEngineTarget(
  options: BitbucketEngineTargetOptions,
): EngineTarget & { readonly links: SqliteTargetLinks } {
  const { config } = options;
  const mode = config.bitbucketDisable ?? 'unlicense';
  const username = options.username ?? config.username ?? '';
  const links = createSqliteLinks(options.db, config.id);
  const memory = createSqliteLicenceMemory(options.db, config.id);
  const ownProtected = new Set(config.protectedGroups.map(lower));
  return {
    id: config.id,
    links,
    policy: bitbucketPolicy(config, options.globalPolicy),
    async prepare({ source, policy, signal, onProgress }) {
      let memberGroups: string[] = [];
      const bitbucket = createBitbucketTarget({
        id: config.id,
        baseUrl: config.baseUrl,
        username,
        password: options.password,
        transport: options.transport,
        clock: options.clock,
        disableMode: mode,
        licenceMemory: memory,
        protectedGroups: ownProtected,
        memberGroups: () => memberGroups,
        links,
        matchByEmail: config.matchByEmail,
        ...(options.pacer ? { pacer: options.pacer } : {}),
      });
      const licence = await bitbucket.licence(signal);
      const protectedGroups = new Set([
        ...targetProductInfo.bitbucket.adminGroups.map(lower),
        ...ownProtected,
        ...licence.admin.keys(),
      ]);
      const admins = await bitbucket.administrators(signal);
      const protection: Protection = {
        userKeys: new Set([lower(username), ...admins.usernames]),
        usernames: new Set([lower(username), ...admins.usernames]),
        groups: protectedGroups,
      };
      // Members read: the groups the sync manages and those Entra wants now (an existing one is matched by name).
      const names = new Map<string, string>();
      for (const name of links.managedGroups()) names.set(lower(name), name);
      for (const id of groupsInScope(source, policy)) {
        const name = groupName(source.groups.get(id)!.displayName, id);
        if (!names.has(lower(name))) names.set(lower(name), name);
      }
      for (const key of protectedGroups) names.delete(key);
      memberGroups = [...names.values()];
      const remote = await readRemoteTargetState(bitbucket, source, {
        policy,
        protection,
        matchByEmail: config.matchByEmail,
        signal,
        onProgress,
      });
      // Each protected account said with why: the signed-in administrator, or how another one holds ADMIN/SYS_ADMIN.
      const warnings = remote.warnings.map((w) => {
        const who = w.code === 'protected' ? /^(.+?) is protected \(/.exec(w.message)?.[1] : undefined;
        if (who === undefined || w.message.startsWith('Group ')) return w;
        const why = lower(who) === lower(username) ? 'the administrator the sync signs in as' : admins.reasonOf(who);
        return why
          ? { ...w, message: `${who} is protected (${why}): never changed, never unlicensed, never removed from groups.` }
          : w;
      });
      const sentence = await disableSentence(mode, bitbucket, source, remote.state, policy);
      if (sentence) warnings.push({ code: 'product-rule', externalId: '', message: sentence });
      const target = guardTarget(bitbucket, {
        isProtectedUser: (name) => protection.usernames.has(lower(name)),
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
          const out = [...target.notes()];
          const done = bitbucket.activity();
          if (done.unlicensed.size > 0) {
            const groups = [...new Set([...done.unlicensed.values()].flat())].sort();
            out.push(
              `Bitbucket cannot deactivate users: ${users(done.unlicensed.size)} lost their licence by leaving ${list(groups, done.unlicensed.size)}. Re-enabling in Entra adds them back.`,
            );
          }
          if (done.relicensed > 0) out.push(`${users(done.relicensed)} got their Bitbucket licence back.`);
          if (done.keptDirect.size > 0)
            out.push(
              `Still licensed through a global permission granted to the user directly, which the sync does not change: ${[...done.keptDirect].sort().join(', ')}. Remove it in Bitbucket → Global permissions if they should lose access.`,
            );
          return out;
        },
        pace: {
          product: 'Bitbucket',
          stats: () => {
            const stats = bitbucket.pacer.stats();
            return { ...stats, allowedPerSecond: stats.allowedPerSecond ?? bitbucket.learner.allowedPerSecond };
          },
        },
      };
    },
  };
}
