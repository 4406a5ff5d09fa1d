/**
 * Group memberships in a SCIM service: PATCH `add` of several members in one operation, PATCH `remove` with one
 * `members[value eq "id"]` path per member (RFC 7644 §3.5.2), in chunks of a bounded size, and never a PUT or a
 * `replace` of the member list (a large group would be rewritten, and a concurrent change lost). A chunk the
 * service refuses is retried member by member, so one bad member fails only its own item.
 */
import type { PlanItem } from '../../../../shared/sync';
import { applyItem } from '../../sync/apply';
import {
  TargetError,
  type BatchItemResult,
  type DirectoryTarget,
  type GroupRef,
  type UserRef,
  type WriteResult,
} from '../directory-target';
import { RemoteTargetError } from '../remote/remote-error';
import { ScimHttpError, type ScimClient } from './scim-client';
import { scimTargetError } from './scim-errors';
import { patchOp, scimString } from './scim-resources';
import type { ScimServiceConfig } from './scim-service-config';

export interface MemberContext {
  readonly client: ScimClient;
  readonly config: ScimServiceConfig;
  readonly service: string;
  readonly userKeyOf: (ref: UserRef) => Promise<string | undefined>;
  readonly groupKeyOf: (externalId: string, name: string) => Promise<string | undefined>;
  readonly memberChunk: number;
  readonly maxConcurrency: number;
}

/** Adds or removes `users` in `group` with one PATCH request. */
export async function memberOps(
  ctx: MemberContext,
  op: 'add' | 'remove',
  group: GroupRef,
  users: readonly UserRef[],
): Promise<WriteResult> {
  if (!ctx.config.patch)
    throw new RemoteTargetError(
      'unsupported',
      'invalid',
      `${ctx.service} does not support PATCH, so memberships of group ${group.name} are not changed: the only other way, a PUT of the whole member list, could lose changes made there meanwhile.`,
    );
  const groupKey = await ctx.groupKeyOf(group.externalId, group.name);
  if (!groupKey) {
    if (op === 'remove') return 'unchanged';
    throw new RemoteTargetError('not-found', 'not-found', `group ${group.name} does not exist in the SCIM service.`);
  }
  const keys: string[] = [];
  for (const user of users) {
    const key = await ctx.userKeyOf(user);
    if (key) keys.push(key);
    else if (op === 'add')
      throw new RemoteTargetError('not-found', 'not-found', `user ${user.username} does not exist in the SCIM service.`);
  }
  // A removed user is in no group any more.
  if (keys.length === 0) return 'unchanged';
  const operations =
    op === 'add'
      ? [{ op: 'add', path: 'members', value: keys.map((value) => ({ value })) }]
      : keys.map((k) => ({ op: 'remove', path: `members[value eq ${scimString(k)}]` }));
  try {
    await ctx.client.request('PATCH', `/Groups/${encodeURIComponent(groupKey)}`, undefined, patchOp(operations));
  } catch (error) {
    if (op === 'remove' && error instanceof ScimHttpError && (error.status === 404 || error.scimType === 'noTarget'))
      return 'unchanged';
    throw error;
  }
  return 'applied';
}

type MemberItem = Extract<PlanItem, { kind: 'add-member' | 'remove-member' }>;

const failed = (error: unknown, what: string, service: string): BatchItemResult => {
  const e = scimTargetError(error, what, service);
  return { outcome: 'failed', error: { code: e.code, message: e.message } };
};

/** Runs `jobs` with at most `limit` at once. */
async function pool(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
}

/**
 * A batch of the engine's apply (one kind at a time): memberships chunked per group, everything else one item at a
 * time through `target`'s single operations (the guarded target in a run, so protection holds for both).
 */
export async function applyMemberBatch(
  target: DirectoryTarget,
  ctx: MemberContext,
  items: readonly PlanItem[],
  /** False for an item that must go through `target`'s own checks alone (a protected account or group). */
  chunkable: (item: PlanItem) => boolean = () => true,
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(items.length);
  const single = (i: number) => async () => {
    const item = items[i]!;
    try {
      results[i] = { outcome: await applyItem(target, item) };
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      results[i] = { outcome: 'failed', error: { code: error.code, message: error.message } };
    }
  };
  const kind = items[0]?.kind;
  if (kind !== 'add-member' && kind !== 'remove-member') {
    await pool(
      items.map((_, i) => single(i)),
      ctx.maxConcurrency,
    );
    return results;
  }
  const byGroup = new Map<string, number[]>();
  const alone: number[] = [];
  items.forEach((item, i) => {
    if (!chunkable(item)) return void alone.push(i);
    const key = `${item.kind}:${(item as MemberItem).groupExternalId}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), i]);
  });
  const jobs: (() => Promise<void>)[] = alone.map((i) => single(i));
  for (const indexes of byGroup.values()) {
    for (let c = 0; c < indexes.length; c += ctx.memberChunk) {
      const chunk = indexes.slice(c, c + ctx.memberChunk);
      jobs.push(async () => {
        const first = items[chunk[0]!] as MemberItem;
        const group = { externalId: first.groupExternalId, name: first.groupName };
        const users = chunk.map((i) => {
          const it = items[i] as MemberItem;
          return { externalId: it.userExternalId, username: it.username };
        });
        try {
          const outcome = await memberOps(ctx, first.kind === 'add-member' ? 'add' : 'remove', group, users);
          for (const i of chunk) results[i] = { outcome };
        } catch (error) {
          if (chunk.length === 1) {
            results[chunk[0]!] = failed(error, `user ${users[0]!.username} in group ${group.name}`, ctx.service);
            return;
          }
          // One refused member should not fail the others: each on its own.
          for (const i of chunk) await single(i)();
        }
      });
    }
  }
  await pool(jobs, ctx.maxConcurrency);
  return results;
}
