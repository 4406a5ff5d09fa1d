/**
 * Deleting one user for the Confluence target: `DELETE admin/user/{name}`, then its long task waited for
 * (confluence-longtask.ts), whose outcome is the item's; a 202 naming no task is followed by reading the user until it
 * is gone. Counts what the run's notes tell (deleted, failed, the longest wait).
 */
import type { Clock } from '../../ports';
import { RemoteTargetError } from '../remote/remote-error';
import { segment, type ConfluenceClient } from './confluence-client';
import { taskIdOf, waitForLongTask, waitUntilGone } from './confluence-longtask';
import type { ConfluenceUserJson } from './confluence-reads';

/** The counts of deletions of one target, changed in place. */
export interface ConfluenceDeleteCounts {
  deleted: number;
  longestDeleteMs: number;
  failedDeletes: number;
}

export interface ConfluenceUserDeletion {
  readonly client: ConfluenceClient;
  readonly clock: Clock;
  /** A deletion's long task moved on (percentage). */
  readonly onDeleteProgress?: (username: string, percentage: number) => void;
  /** Budget of one deletion's wait: the pauses between reads of its state (confluence-longtask.ts). Default 10 minutes. */
  readonly deleteTimeoutMs?: number;
  readonly done: ConfluenceDeleteCounts;
}

/** Deletes `current` and waits until Confluence has; throws when it could not or has not finished yet. */
export async function deleteConfluenceUser(
  deletion: ConfluenceUserDeletion,
  current: ConfluenceUserJson,
  isGone: () => Promise<boolean>,
): Promise<void> {
  const { client, done } = deletion;
  const answer = await client.request('DELETE', `/admin/user/${segment(current.username)}`);
  const id = answer.status === 202 ? taskIdOf(answer) : undefined;
  if (id !== undefined) {
    const outcome = await waitForLongTask(
      client,
      deletion.clock,
      id,
      `user ${current.username}`,
      (pct) => deletion.onDeleteProgress?.(current.username, pct),
      deletion.deleteTimeoutMs,
    );
    if (!outcome.ok) {
      done.failedDeletes++;
      throw new RemoteTargetError(
        'rejected',
        'invalid',
        `Confluence could not delete user ${current.username}: ${(outcome.messages.join(' ') || 'its deletion task failed without a message').replace(/\.?$/, '.')} Look at the user in Confluence administration; the next sync tries again.`,
      );
    }
    done.longestDeleteMs = Math.max(done.longestDeleteMs, outcome.ms);
  } else if (answer.status === 202) {
    // Accepted without a task to follow: read the user until it is gone.
    const gone = await waitUntilGone(deletion.clock, isGone, deletion.deleteTimeoutMs);
    if (!gone) {
      throw new RemoteTargetError(
        'unavailable',
        'server-error',
        `Confluence accepted the deletion of user ${current.username} but it has not finished yet; the next sync checks that it did.`,
      );
    }
  }
  done.deleted++;
}
