import { afterEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import type { Clock } from '../ports';
import { emptySourceDirectory } from '../sync/model';
import {
  DeltaExpiredError,
  GraphReadError,
  readDirectoryDelta,
  readDirectoryFull,
  readDirectoryNaive,
  userFieldsFor,
} from './directory-reader';
import { startGraphStandIn, withStatus, type GraphStandIn, type StandInRequest } from './graph-stand-in';

/**
 * What the other directory-reader tests leave open, from a Graph stand-in over real HTTPS: which collection a refusal
 * names in each read, which failures of which link are an expired token, that only Graph's own failures of the users
 * delta bootstrap are taken for "the next run reads everything", and the naive (bench) read item by item.
 */
describe('directory reader: the details', () => {
  let standIn: GraphStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });
  const fields = userFieldsFor(defaultSyncPolicy().mapping);
  const user = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    userPrincipalName: `${id}@stand-in.example`,
    displayName: `User ${id}`,
    accountEnabled: true,
    ...extra,
  });
  const deltaLink = (path: string) => ({ value: [], '@odata.deltaLink': `${standIn!.origin}/v1.0${path}?t=1` });
  const notFound = (request: StandInRequest) => withStatus(404, { error: { code: 'NotFound', message: request.path } });

  /** A stand-in answering `routes[path]` (a function of the request), 404 elsewhere. */
  async function serve(routes: Record<string, (request: StandInRequest) => unknown>) {
    standIn = await startGraphStandIn((request) => (routes[request.path] ?? notFound)(request));
    return { client: standIn.connection.client, userFields: fields, backoffMs: 1, maxAttempts: 2 };
  }
  const links = () => ({ users: `${standIn!.origin}/v1.0/users/delta?t=1`, groups: `${standIn!.origin}/v1.0/groups/delta?t=1` });
  const gone = () => withStatus(410, { error: { code: 'Gone', message: 'token gone' } });

  it('selects exactly the mapped fields: neither mailNickname nor onPremisesSamAccountName for the default mapping', () => {
    expect(userFieldsFor(defaultSyncPolicy().mapping)).toEqual([
      'id',
      'userPrincipalName',
      'displayName',
      'givenName',
      'surname',
      'accountEnabled',
      'userType',
      'mail',
    ]);
  });

  it('a full read names /groups/delta when it refuses a group', async () => {
    const options = await serve({
      '/users/delta': () => deltaLink('/users/delta'),
      '/users': () => ({ value: [user('u1')] }),
      '/groups/delta': () => ({ value: [{ id: 'g1', 'members@delta': [{ id: null }] }] }),
    });
    await expect(readDirectoryFull(options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('(/groups/delta, page 1, item 1, id g1): members@delta.0.id is null'),
    });
  });

  it('a delta read names /users/delta when it refuses a user', async () => {
    const options = await serve({
      '/users/delta': () => ({ value: [{ id: 7 }], '@odata.deltaLink': links().users }),
      '/groups/delta': () => deltaLink('/groups/delta'),
    });
    await expect(readDirectoryDelta(emptySourceDirectory(), links(), options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('(/users/delta, page 1, item 1): id is a number'),
    });
  });

  it('a delta read whose groups link alone is answered 410 asks for a full read', async () => {
    const options = await serve({ '/users/delta': () => deltaLink('/users/delta'), '/groups/delta': gone });
    const round = readDirectoryDelta(emptySourceDirectory(), links(), options);
    await expect(round).rejects.toBeInstanceOf(DeltaExpiredError);
    await expect(round).rejects.toThrow('The delta token for /v1.0/groups/delta was rejected (410 Gone)');
  });

  it('a full read whose groups listing is answered 410 fails as a read failure, not as a token to read everything for', async () => {
    // The full read sends no token: "a full read is needed" would be advice to do what already failed.
    const options = await serve({
      '/users/delta': () => deltaLink('/users/delta'),
      '/users': () => ({ value: [user('u1')] }),
      '/groups/delta': gone,
    });
    const read = readDirectoryFull(options);
    await expect(read).rejects.toBeInstanceOf(GraphReadError);
    await expect(read).rejects.toMatchObject({ code: 'graph-read-failed', message: expect.stringContaining('/groups/delta') });
    await expect(read).rejects.not.toBeInstanceOf(DeltaExpiredError);
  });

  it('does not take a failure of our own during the bootstrap (a broken clock) for a Graph problem', async () => {
    let usersDelta = 0;
    const options = await serve({
      // 503 first: the retry waits on the clock, which throws.
      '/users/delta': () =>
        ++usersDelta === 1 ? withStatus(503, { error: { code: 'unavailable', message: 'busy' } }) : deltaLink('/users/delta'),
      '/users': () => ({ value: [user('u1')] }),
      '/groups/delta': () => deltaLink('/groups/delta'),
    });
    const clock: Clock = {
      now: () => new Date(),
      setTimeout: () => {
        throw new Error('the clock is broken');
      },
    };
    await expect(readDirectoryFull({ ...options, clock })).rejects.toThrow('the clock is broken');
  });

  describe('the naive read (bench baseline)', () => {
    const naiveRoutes = (overrides: Record<string, (request: StandInRequest) => unknown> = {}) => ({
      '/users': () => ({ value: [user('u1', { surname: 'One' }), user('u2')] }),
      '/groups': () => ({
        value: [
          { id: 'g1', displayName: 'Group one', description: 'The first' },
          { id: 'g2', displayName: 'Group two' },
        ],
      }),
      '/groups/g1/members': () => ({
        value: [
          { id: 'u1', '@odata.type': '#microsoft.graph.user' },
          { id: 'd1', '@odata.type': '#microsoft.graph.device' },
        ],
      }),
      '/groups/g2/members': () => ({ value: [{ id: 'g1', '@odata.type': '#microsoft.graph.group' }] }),
      ...overrides,
    });

    it('reads users, groups with their names and descriptions, and user/group members', async () => {
      const options = await serve(naiveRoutes());
      const result = await readDirectoryNaive(options);
      expect([...result.source.users.keys()]).toEqual(['u1', 'u2']);
      expect(result.source.users.get('u1')).toMatchObject({ upn: 'u1@stand-in.example', displayName: 'User u1', surname: 'One' });
      expect([...result.source.groups.values()]).toEqual([
        { id: 'g1', displayName: 'Group one', description: 'The first' },
        { id: 'g2', displayName: 'Group two', description: null },
      ]);
      expect(Object.fromEntries(result.source.members)).toEqual({ g1: ['u1'], g2: ['g1'] });
      expect(result).toMatchObject({ deltaLinks: null, deltaLinkProblem: null, warnings: [], requests: 4, retries: 0 });
    });

    it('reads the members of the first groupLimit groups only', async () => {
      const options = await serve(naiveRoutes());
      const result = await readDirectoryNaive({ ...options, groupLimit: 1 });
      expect(Object.fromEntries(result.source.members)).toEqual({ g1: ['u1'] });
      expect(result.source.groups.size).toBe(2);
    });

    it.each([
      ['a user', { '/users': () => ({ value: [{ id: 7 }] }) }, '(/users, page 1, item 1): id is a number'],
      ['a group', { '/groups': () => ({ value: [{ id: 7 }] }) }, '(/groups, page 1, item 1): id is a number'],
      [
        'a member',
        { '/groups/g1/members': () => ({ value: [{ id: 7 }] }) },
        'a member the sync cannot use (/groups/g1/members, page 1, item 1): id is a number',
      ],
    ])('names the collection when it refuses %s', async (_, overrides, message) => {
      const options = await serve(naiveRoutes(overrides));
      await expect(readDirectoryNaive(options)).rejects.toMatchObject({
        code: 'graph-answer-invalid',
        message: expect.stringContaining(message),
      });
    });
  });
});
