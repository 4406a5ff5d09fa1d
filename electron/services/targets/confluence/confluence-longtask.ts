/**
 * Confluence's asynchronous user deletion: `DELETE admin/user/{name}` answers 202 with a long task (its id in the
 * body, a `links.status` / `_links.status` path or a Location header; the exact shape is uncertain), which is
 * polled at `/rest/api/longtask/{id}` until `finished`, with the percentage reported on the way. An answer of 204 (no
 * task) means the user is already gone; a 202 naming no task is followed by reading the user until it is gone.
 */
import type { Clock } from '../../ports';
import { RemoteTargetError } from '../remote/remote-error';
import type { ConfluenceAnswer, ConfluenceClient } from './confluence-client';

interface TaskLink {
  readonly id?: string | number;
  readonly links?: { readonly status?: string };
  readonly _links?: { readonly status?: string };
}

interface TaskState {
  readonly percentageComplete?: number;
  readonly percentage?: number;
  readonly finished?: boolean;
  readonly successful?: boolean;
  readonly messages?: readonly ({ readonly translation?: string } | string)[];
}

/** How a waited-for deletion ended. */
export interface LongTaskOutcome {
  readonly ok: boolean;
  /** Confluence's messages (the reason when it failed). */
  readonly messages: readonly string[];
  readonly ms: number;
}

/** The task id a 202 answer names, or undefined when it names none. */
export function taskIdOf(answer: ConfluenceAnswer<unknown>): string | undefined {
  const body = (answer.body ?? {}) as TaskLink;
  if (body.id !== undefined && body.id !== null && String(body.id)) return String(body.id);
  const link = body.links?.status ?? body._links?.status ?? answer.headers.get('location') ?? '';
  return /\/longtask\/([^/?#]+)/.exec(link)?.[1];
}

const sleep = (clock: Clock, ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The pauses between two reads of a task's state: 100 ms, growing by half up to 2 s. A wait's budget is the sum of
 * the pauses it took, not the time that passed: a loaded host, slow answers or the pacer holding calls for the rate
 * limit do not use it up, so a budget always allows the same number of reads (10 minutes: about 305).
 */
async function* pauses(clock: Clock, budgetMs: number, signal?: AbortSignal): AsyncGenerator<void, void> {
  let paused = 0;
  for (let delay = 100; paused < budgetMs; delay = Math.min(2_000, Math.round(delay * 1.5))) {
    await sleep(clock, delay, signal);
    paused += delay;
    yield;
  }
}

/**
 * Polls the task until it finishes; when the pauses between reads add up to `timeoutMs` first, an `unavailable` error
 * says it still runs. The outcome's `ms` is the time that passed, on `clock`.
 */
export async function waitForLongTask(
  client: ConfluenceClient,
  clock: Clock,
  id: string,
  what: string,
  onProgress?: (percentage: number) => void,
  timeoutMs = 10 * 60_000,
  signal?: AbortSignal,
): Promise<LongTaskOutcome> {
  const started = clock.now().getTime();
  const next = pauses(clock, timeoutMs, signal);
  for (;;) {
    const { body } = await client.request<TaskState>('GET', `/longtask/${encodeURIComponent(id)}`, {}, undefined, signal);
    const pct = body?.percentageComplete ?? body?.percentage ?? 0;
    onProgress?.(pct);
    const ms = clock.now().getTime() - started;
    if (body?.finished) {
      const messages = (body.messages ?? []).map((m) => (typeof m === 'string' ? m : (m.translation ?? ''))).filter(Boolean);
      return { ok: body.successful === true, messages, ms };
    }
    if ((await next.next()).done) {
      throw new RemoteTargetError(
        'unavailable',
        'server-error',
        `Confluence is still deleting ${what} after ${Math.round(ms / 1000)} s (long task ${id}, ${pct}%). Check Confluence's background tasks; the next sync sees whether it finished.`,
      );
    }
  }
}

/**
 * Waits for `gone` to say the user is gone (a 202 that named no task); false when the pauses between reads added up
 * to `timeoutMs` first.
 */
export async function waitUntilGone(
  clock: Clock,
  gone: () => Promise<boolean>,
  timeoutMs = 10 * 60_000,
  signal?: AbortSignal,
): Promise<boolean> {
  const next = pauses(clock, timeoutMs, signal);
  for (;;) {
    if (await gone()) return true;
    if ((await next.next()).done) return false;
  }
}
