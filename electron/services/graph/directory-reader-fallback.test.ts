import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { connectToEmulator } from '../sync/test-support';
import type { HttpTransport } from '../http/transport';
import type { GraphConnection } from './graph-client';
import { GraphPager } from './graph-pager';
import {
  DeltaExpiredError,
  GraphReadError,
  readDirectoryDelta,
  readDirectoryFull,
  userFieldsFor,
  type DirectoryReadOptions,
  type ReadProgress,
} from './directory-reader';

/**
 * Which failures a read survives and which it does not, against the demo tenant over real HTTPS: a failed users
 * delta bootstrap costs only the next run's delta (said in deltaLinkProblem), a cancelled run is never taken for
 * such a failure, and on a delta read only an expired token asks for a full read; a 503 or 403 fails the run.
 */
describe('directory reader: what a read survives', () => {
  let emulator: RunningEmulator;
  let connection: GraphConnection;
  let transport: HttpTransport;
  let options: DirectoryReadOptions;

  beforeAll(async () => {
    emulator = await startEmulator({ users: 40, groups: 6, seed: 7 });
    ({ connection, transport } = connectToEmulator(emulator));
    options = { client: connection.client, userFields: userFieldsFor(defaultSyncPolicy().mapping), backoffMs: 1, maxAttempts: 2 };
  });
  afterAll(async () => {
    connection.close();
    await transport.close();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.control.clearFaults();
    emulator.control.denyAccess([]);
  });

  it('a full read returns both delta links and no problem when Graph hands them out', async () => {
    const full = await readDirectoryFull(options);
    expect(full.deltaLinks).toEqual({
      users: expect.stringContaining('/users/delta'),
      groups: expect.stringContaining('/groups/delta'),
    });
    expect(full.deltaLinkProblem).toBeNull();
    expect(full.source.users.size).toBe(emulator.control.userIds().length);
  });

  it('finishes a full read whose users delta bootstrap keeps failing, without links, and says why', async () => {
    emulator.control.setFaults({ rate503: 1, retryAfterSeconds: 0, paths: ['/users/delta'] });
    const full = await readDirectoryFull(options);
    expect(full.source.users.size).toBe(emulator.control.userIds().length);
    expect(full.deltaLinks).toBeNull();
    expect(full.deltaLinkProblem).toMatch(
      /^Starting change tracking of \/users\/delta failed \(Reading \/users\/delta from Microsoft Graph failed: 503 .*\)$/,
    );
  });

  it('does not take a cancelled run for a failed bootstrap: the cancellation ends the read', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the admin'));
    await expect(readDirectoryFull({ ...options, signal: controller.signal })).rejects.toThrow('cancelled by the admin');
  });

  it('reports progress as it reads, ending at what it read', async () => {
    const progress: ReadProgress[] = [];
    const full = await readDirectoryFull({ ...options, onProgress: (p) => progress.push(p) });
    const memberships = [...full.source.members.values()].reduce((n, m) => n + m.length, 0);
    expect(progress.at(-1)).toEqual({
      users: full.source.users.size,
      groups: full.source.groups.size,
      memberships: expect.any(Number),
      requests: expect.any(Number),
      retries: 0,
    });
    expect(progress.at(-1)!.requests).toBeLessThanOrEqual(full.requests);
    // Member links as Graph sent them: devices and contacts among them are counted, then dropped.
    expect(memberships).toBeGreaterThan(0);
    expect(progress.at(-1)!.memberships).toBeGreaterThanOrEqual(memberships);
  });

  it('on a delta read, only an expired token asks for a full read; a 503 or a 403 fails the run', async () => {
    const full = await readDirectoryFull(options);
    emulator.control.setFaults({ rate503: 1, retryAfterSeconds: 0, paths: ['/groups/delta'] });
    const unavailable = readDirectoryDelta(full.source, full.deltaLinks!, options);
    await expect(unavailable).rejects.toBeInstanceOf(GraphReadError);
    await expect(unavailable).rejects.not.toBeInstanceOf(DeltaExpiredError);
    emulator.control.clearFaults();

    emulator.control.denyAccess(['users']);
    const denied = readDirectoryDelta(full.source, full.deltaLinks!, options);
    await expect(denied).rejects.toMatchObject({ code: 'graph-read-failed', message: expect.stringContaining('403') });
    emulator.control.denyAccess([]);

    const again = await readDirectoryFull(options);
    emulator.control.expireDeltaTokens({ code: 'syncStateNotFound' });
    const expired = readDirectoryDelta(again.source, again.deltaLinks!, options);
    await expect(expired).rejects.toBeInstanceOf(DeltaExpiredError);
    await expect(expired).rejects.toMatchObject({ code: 'delta-expired', message: expect.stringContaining('syncStateNotFound') });
  });

  it('does not retry a refusal: a 403 fails at the first request', async () => {
    emulator.control.denyAccess(['users']);
    const pager = new GraphPager({ client: connection.client, maxAttempts: 5, backoffMs: 1 });
    await expect(pager.get('/users?$select=id&$top=1')).rejects.toMatchObject({ code: 'graph-read-failed' });
    expect({ requests: pager.requests, retries: pager.retries }).toEqual({ requests: 1, retries: 0 });
  });
});
