/**
 * Bitbucket's membership batches (the target's `applyBatch`): the adds to one group go out as
 * `POST /admin/groups/add-users {group, users}`, up to `chunk` users a call, which Bitbucket answers 200 only when
 * every one of them was added. A refused call does not say which users got in before the refusal (the facts leave it
 * open: none in one transaction, or those before the refused one), so its users are tried again one by one: an add
 * is idempotent (a member already in is no error), and either way every item ends with its own exact outcome. A
 * refusal that holds for the whole call (the group is gone, the administrator lacks a permission, Bitbucket is down
 * and the breaker open) fails each item with it instead of asking again per user. Removals have no bulk endpoint
 * (BSERV-13707) and go one by one, as does every other kind; accounts known to be read-only never go into a call.
 */
import type { PlanItem } from '../../../../shared/sync';
import type { BatchItemResult, DirectoryTarget, UserRef } from '../directory-target';
import { failedOutcome, runPool, settleItem } from '../remote/guarded-target';
import { CircuitOpenError } from '../remote/pacer';
import { BitbucketHttpError, type BitbucketClient } from './bitbucket-client';
import { bitbucketTargetError, isPermissionRefusal } from './bitbucket-errors';

export interface MemberBatchContext {
  readonly client: BitbucketClient;
  /** The target whose single operations take what is not chunked. */
  readonly target: DirectoryTarget;
  /** The user's name in Bitbucket now (a rename since the plan followed). */
  readonly nameOf: (user: UserRef) => string;
  /** True for an account the user read found in a read-only directory. */
  readonly isReadOnly: (name: string) => boolean;
  /** Users per `add-users` call. */
  readonly chunk: number;
  readonly maxConcurrency: number;
}

type MemberItem = Extract<PlanItem, { kind: 'add-member' | 'remove-member' }>;
const userOf = (item: MemberItem): UserRef => ({ externalId: item.userExternalId, username: item.username });
const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** A refusal no single call would get past: the group is missing, a permission lacks, or the breaker is open. */
function wholeCall(error: unknown): boolean {
  if (error instanceof CircuitOpenError) return true;
  if (!(error instanceof BitbucketHttpError)) return false;
  return error.status === 401 || isPermissionRefusal(error) || (error.status === 404 && error.hasException(/NoSuchGroup/));
}

export async function applyBitbucketBatch(ctx: MemberBatchContext, items: readonly PlanItem[]): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(items.length);
  const single = (i: number) => async () => void (results[i] = await settleItem(ctx.target, items[i]!));
  const jobs: (() => Promise<void>)[] = [];
  const byGroup = new Map<string, number[]>();
  items.forEach((item, i) => {
    if (item.kind !== 'add-member' || ctx.isReadOnly(ctx.nameOf(userOf(item)))) return void jobs.push(single(i));
    const key = lower(item.groupName);
    const indexes = byGroup.get(key);
    if (indexes) indexes.push(i);
    else byGroup.set(key, [i]);
  });
  for (const indexes of byGroup.values()) {
    for (let c = 0; c < indexes.length; c += ctx.chunk) {
      const chunk = indexes.slice(c, c + ctx.chunk);
      if (chunk.length === 1) {
        jobs.push(single(chunk[0]!));
        continue;
      }
      jobs.push(async () => {
        const group = (items[chunk[0]!] as MemberItem).groupName;
        try {
          const users = chunk.map((i) => ctx.nameOf(userOf(items[i] as MemberItem)));
          await ctx.client.request('POST', '/admin/groups/add-users', undefined, { group, users });
          for (const i of chunk) results[i] = { outcome: 'applied' };
        } catch (error) {
          if (!wholeCall(error)) {
            for (const i of chunk) await single(i)();
            return;
          }
          for (const i of chunk)
            results[i] = failedOutcome(
              bitbucketTargetError(error, `user ${(items[i] as MemberItem).username} in group ${group}`),
            );
        }
      });
    }
  }
  await runPool(jobs, ctx.maxConcurrency);
  return results;
}
