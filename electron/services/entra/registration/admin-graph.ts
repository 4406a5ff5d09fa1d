/**
 * The Graph calls of "Set it up for me" as the signed-in admin: the Graph client over our transport with the same
 * origin guard as the sync's connection (the admin token goes to the configured Graph origin only), and a retry of
 * 404s while Entra replicates objects just created (backoff on the injected clock, reported as a countdown).
 */
import { Client } from '@microsoft/microsoft-graph-client';
import type { Cloud } from '../../../../shared/clouds';
import { chainMiddleware, GraphOriginGuard, GuardedRedirectHandler, TransportHandler } from '../../http/graph-middleware';
import type { HttpTransport } from '../../http/transport';
import type { Clock } from '../../ports';
import { graphProblem } from './registration-failures';

/** A Graph client acting as the admin whose token `accessToken` returns. */
export function adminGraphClient(cloud: Cloud, transport: HttpTransport, accessToken: () => string): Client {
  const origin = new URL(cloud.graphBaseUrl).origin;
  return Client.initWithMiddleware({
    baseUrl: cloud.graphBaseUrl,
    customHosts: new Set([new URL(cloud.graphBaseUrl).hostname]),
    middleware: chainMiddleware([
      new GraphOriginGuard(origin, () => Promise.resolve(accessToken())),
      new GuardedRedirectHandler(origin),
      new TransportHandler(transport),
    ]),
  });
}

/** How long and how a replication 404 is retried. */
export interface ReplicationRetry {
  readonly clock: Clock;
  /** Total time to keep trying. Default 120 s. */
  readonly budgetMs: number;
  /** Called before each wait with the seconds until the next try. */
  readonly onWait?: (seconds: number) => void;
  /** Ends a wait at once (the admin cancelled). */
  readonly signal?: AbortSignal;
}

/** Thrown by a wait the admin cancelled. */
export class CancelledWait extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledWait';
  }
}

/** Sleeps `ms` on `clock`; rejects with {@link CancelledWait} as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledWait());
    const onAbort = () => {
      stopTimer();
      reject(new CancelledWait());
    };
    const stopTimer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Backoff of the n-th retry (0-based): 1, 2, 4, 8, 10, 10, … seconds. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** attempt);
}

/** Runs `call`, trying again on 404 (the object is not replicated yet) until the budget is spent. */
export async function retryWhileReplicating<T>(call: () => Promise<T>, retry: ReplicationRetry): Promise<T> {
  const started = retry.clock.now().getTime();
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = backoffMs(attempt);
      const spent = retry.clock.now().getTime() - started;
      if (graphProblem(error).status !== 404 || spent + wait > retry.budgetMs) throw error;
      retry.onWait?.(Math.round(wait / 1000));
      await sleep(retry.clock, wait, retry.signal);
    }
  }
}
