import { afterAll, describe, expect, it } from 'vitest';
import { startConfluenceEmulator, type RunningConfluenceEmulator } from '../../../emulator/confluence';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { RemotePacer } from '../remote/pacer';
import { RemoteTargetError } from '../remote/remote-error';
import { VirtualClock } from '../remote/virtual-clock';
import { ConfluenceClient, ConfluenceHttpError } from './confluence-client';
import { taskIdOf, waitForLongTask, waitUntilGone } from './confluence-longtask';

/**
 * Waiting for Confluence's deletion tasks against the demo Confluence over HTTPS. Its tasks end on a given read of
 * their state (`deleteMs: 0, deletePolls`), so what is waited for is the task's state, never the machine's speed.
 */

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});

/** A demo Confluence whose deletion tasks end on their `polls`-th read, a client of it and a user to delete. */
async function instance(polls: number, asyncDelete: true | 'untracked' = true) {
  const confluence = await startConfluenceEmulator({ deleteMs: 0, deletePolls: polls, asyncDelete });
  const transport: HttpTransport = createHttpTransport({ extraCaPem: confluence.info.caCertPem, env: {} });
  open.push(confluence, transport);
  const client = new ConfluenceClient({
    baseUrl: confluence.info.baseUrl,
    token: confluence.info.adminToken,
    transport,
    pacer: new RemotePacer({ clock: systemClock }),
  });
  const user = confluence.control.addUser({ username: 'leaver', email: 'leaver@example.com' });
  const accepted = await client.request('DELETE', '/admin/user/leaver');
  expect(accepted.status).toBe(202);
  return { confluence, client, user, id: taskIdOf(accepted) };
}

/** A host so loaded that an hour passes between any two looks at the clock; its timers fire at once. */
function loadedHost(): Clock {
  let ms = Date.UTC(2025, 0, 1);
  return {
    now: () => new Date((ms += 3_600_000)),
    setTimeout: (fn) => {
      const timer = setImmediate(fn);
      return () => clearImmediate(timer);
    },
  };
}

const reads = (c: RunningConfluenceEmulator, what: string) => c.control.counters().requests[what] ?? 0;

describe('waiting for a Confluence deletion task', () => {
  it('reads the task until it finishes, however much time a loaded host lets pass between the reads', async () => {
    const { confluence, client, id } = await instance(5);
    expect(id).toBeDefined();
    const progress: number[] = [];
    const outcome = await waitForLongTask(client, loadedHost(), id!, 'user leaver', (pct) => progress.push(pct), 10 * 60_000);
    expect(outcome).toMatchObject({ ok: true, messages: ['User leaver was deleted.'] });
    expect(progress).toEqual([20, 40, 60, 80, 100]);
    expect(reads(confluence, 'GET /longtask/{id}')).toBe(5);
    expect(confluence.control.user('leaver')).toBeUndefined();
  });

  it('gives up after the reads its budget allows (the pauses between them add up to it), saying the task still runs', async () => {
    const { confluence, client, id } = await instance(1_000);
    // 100 + 150 + 225 + 338 + 506 ms of pauses pass 1,000 ms: six reads.
    const waiting = waitForLongTask(client, new VirtualClock(), id!, 'user leaver', undefined, 1_000);
    await expect(waiting).rejects.toBeInstanceOf(RemoteTargetError);
    await expect(waiting).rejects.toThrow(
      new RegExp(`^Confluence is still deleting user leaver after 1 s \\(long task ${id}, 0%\\)`),
    );
    expect(reads(confluence, 'GET /longtask/{id}')).toBe(6);
    expect(confluence.control.pendingTasks()).toBe(1);
  });

  it('reads the user until it is gone when the 202 named no task, however loaded the host', async () => {
    const { confluence, client, user, id } = await instance(4, 'untracked');
    expect(id).toBeUndefined();
    const gone = async () => {
      try {
        await client.request('GET', '/user', { key: user.key });
        return false;
      } catch (error) {
        if (error instanceof ConfluenceHttpError && error.status === 404) return true;
        throw error;
      }
    };
    expect(await waitUntilGone(loadedHost(), gone, 10 * 60_000)).toBe(true);
    expect(reads(confluence, 'GET /user')).toBe(4);
    expect(reads(confluence, 'GET /longtask/{id}')).toBe(0);
    expect(confluence.control.pendingTasks()).toBe(0);
  });
});
