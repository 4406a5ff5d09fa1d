import { afterEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import { GraphAnswerError, readDirectoryDelta, readDirectoryFull, userFieldsFor } from './directory-reader';
import { startGraphStandIn, withStatus, type GraphStandIn, type StandInRequest } from './graph-stand-in';

/**
 * Answers the demo tenant never gives, from a Graph stand-in over real HTTPS: paging loops, endless collections,
 * malformed items, control characters, duplicates. Each read ends with a clear error or a clean, reported result.
 */
describe('directory reader against answers Graph should not send', () => {
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

  /** A stand-in whose delta endpoints end at once and whose `/users` is `users`. */
  async function serve(users: (request: StandInRequest) => unknown, groups: unknown[] = []) {
    standIn = await startGraphStandIn((request) => {
      if (request.path === '/users/delta') return { value: [], '@odata.deltaLink': `${standIn!.origin}/v1.0/users/delta?t=1` };
      if (request.path === '/groups/delta')
        return { value: groups, '@odata.deltaLink': `${standIn!.origin}/v1.0/groups/delta?t=1` };
      if (request.path === '/users') return users(request);
      return withStatus(404, { error: { code: 'NotFound', message: request.path } });
    });
    return { client: standIn.connection.client, userFields: fields, backoffMs: 1 };
  }
  const usersRequests = () => standIn!.requests.filter((r) => r.path === '/users').length;

  it('stops at a next-page link it already followed, after a handful of requests', async () => {
    const options = await serve((r) => {
      const page = Number(r.query.get('$skiptoken') ?? '0');
      // 0 -> 1 -> 2 -> 1 -> ...
      return {
        value: [user(`u${page}`)],
        '@odata.nextLink': `${standIn!.origin}/v1.0/users?$skiptoken=${page === 2 ? 1 : page + 1}`,
      };
    });
    const read = readDirectoryFull(options);
    await expect(read).rejects.toBeInstanceOf(GraphAnswerError);
    await expect(read).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringMatching(/next-page link for \/users that it had already sent \(after page 3\).*Nothing was changed/),
    });
    expect(usersRequests()).toBe(3);
  });

  it('stops a collection that keeps paging without delivering objects, at the page bound', async () => {
    const options = await serve((r) => {
      const page = Number(r.query.get('$skiptoken') ?? '0');
      return { value: [], '@odata.nextLink': `${standIn!.origin}/v1.0/users?$skiptoken=${page + 1}` };
    });
    await expect(readDirectoryFull({ ...options, pageSlack: 40 })).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('kept paging /users: 40 pages delivered only 0 objects'),
    });
    expect(usersRequests()).toBe(40);
  });

  it('lets a collection page on while its pages carry objects (the bound grows with what was delivered)', async () => {
    // 60 pages of 10 users: beyond a slack of 40 pages, allowed because every page delivers objects.
    const options = await serve((r) => {
      const page = Number(r.query.get('$skiptoken') ?? '0');
      const value = Array.from({ length: 10 }, (_, i) => user(`p${page}-${i}`));
      return page < 59 ? { value, '@odata.nextLink': `${standIn!.origin}/v1.0/users?$skiptoken=${page + 1}` } : { value };
    });
    const result = await readDirectoryFull({ ...options, pageSlack: 40 });
    expect(result.source.users.size).toBe(600);
  });

  it.each([
    ['null', [user('a'), null], /\/users, page 1, item 2\): the item is null, not an object/],
    ['a number', [42], /item 1\): the item is a number, not an object/],
    ['a string', ['x'], /item 1\): the item is a string, not an object/],
    ['an id that is a number', [{ id: 7, displayName: 'Seven' }], /item 1\): id is a number/],
    ['an empty id', [{ id: '' }], /item 1\): id is empty/],
    ['a display name that is an object', [user('b', { displayName: { x: 1 } })], /item 1, id b\): displayName is an object/],
    ['accountEnabled as text', [user('c', { accountEnabled: 'yes' })], /id c\): accountEnabled is a string/],
  ])('refuses %s as a user, naming the item, and reads nothing', async (_, value, message) => {
    const options = await serve(() => ({ value }));
    await expect(readDirectoryFull(options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a page whose value is not a list', async () => {
    const options = await serve(() => ({ value: { id: 'a' } }));
    await expect(readDirectoryFull(options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('page 1 of /users with a "value" that is not a list'),
    });
  });

  it.each([
    ['null', null],
    ['a list', [user('a')]],
    ['a number', 7],
    ['a string', 'users'],
  ])('refuses a page that is %s, not a page, and reads nothing', async (_, page) => {
    const options = await serve(() => page);
    await expect(readDirectoryFull(options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('answered page 1 of /users with something that is not a page'),
    });
  });

  it('reads a page without a value as a page with no objects', async () => {
    const options = await serve((r) =>
      r.query.has('$skiptoken') ? { value: [user('b')] } : { '@odata.nextLink': `${standIn!.origin}/v1.0/users?$skiptoken=1` },
    );
    const result = await readDirectoryFull(options);
    expect([...result.source.users.keys()]).toEqual(['b']);
    expect(usersRequests()).toBe(2);
  });

  it.each([
    ['empty', () => ''],
    ['a number', () => 2],
    ['null', () => null],
    ['16,385 characters long', () => `${standIn!.origin}/v1.0/users?$skiptoken=`.padEnd(16_385, 'x')],
  ])('refuses a next-page link that is %s, naming the page', async (_, link) => {
    const options = await serve((r) =>
      r.query.has('$skiptoken') ? { value: [] } : { value: [user('a')], '@odata.nextLink': link() },
    );
    await expect(readDirectoryFull(options)).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringContaining('sent an unusable next-page link on page 1 of /users'),
    });
    expect(usersRequests()).toBe(1);
  });

  it('follows a next-page link of exactly 16,384 characters', async () => {
    const link = () => `${standIn!.origin}/v1.0/users?$skiptoken=`.padEnd(16_384, 'x');
    const options = await serve((r) =>
      r.query.has('$skiptoken') ? { value: [user('b')] } : { value: [user('a')], '@odata.nextLink': link() },
    );
    const result = await readDirectoryFull(options);
    expect([...result.source.users.keys()].sort()).toEqual(['a', 'b']);
    expect(standIn!.requests.find((r) => r.query.has('$skiptoken'))!.url).toHaveLength(16_384);
  });

  it.each([
    ['empty', ''],
    ['a number', 3],
    ['16,385 characters long', 'https://graph.example/v1.0/users/delta?$deltatoken='.padEnd(16_385, 'x')],
  ])('refuses a delta link that is %s, naming the page; a full read only loses its change tracking', async (_, link) => {
    standIn = await startGraphStandIn((request) => {
      if (request.path === '/users/delta') return { value: [], '@odata.deltaLink': link };
      if (request.path === '/groups/delta') return { value: [], '@odata.deltaLink': `${standIn!.origin}/v1.0/groups/delta?t=1` };
      return { value: [] };
    });
    // The full read's change-tracking start gets the same link: the read succeeds, without delta links, and says why.
    const full = await readDirectoryFull({ client: standIn.connection.client, userFields: fields, backoffMs: 1 });
    expect(full.deltaLinks).toBeNull();
    expect(full.deltaLinkProblem).toContain('sent an unusable delta link on page 1 of /users/delta');
    const error = await readDirectoryDelta(
      full.source,
      { users: `${standIn.origin}/v1.0/users/delta?t=0`, groups: `${standIn.origin}/v1.0/groups/delta?t=0` },
      { client: standIn.connection.client, userFields: fields, backoffMs: 1 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAnswerError);
    expect((error as Error).message).toBe(
      'Microsoft Graph sent an unusable delta link on page 1 of /v1.0/users/delta. Nothing was changed.',
    );
  });

  it('bounds texts at 1,024 characters: 1,024 is kept, 1,025 refused with the id', async () => {
    const longest = 'x'.repeat(1024);
    const ok = await serve(() => ({ value: [user('long', { displayName: longest })] }));
    expect((await readDirectoryFull(ok)).source.users.get('long')!.displayName).toBe(longest);
    await standIn!.close();
    const tooLong = await serve(() => ({ value: [user('huge', { displayName: `${longest}y` })] }));
    await expect(readDirectoryFull(tooLong)).rejects.toMatchObject({
      message: expect.stringMatching(/id huge\): displayName is 1,025 characters long \(at most 1,024\)/),
    });
  });

  it('removes control characters (a NUL among them) and says so; keeps line breaks in a group description', async () => {
    const options = await serve(
      () => ({ value: [user('nul', { displayName: 'Ann\u0000a\u001b', surname: 'Ok' }), user('fine')] }),
      [{ id: 'g1', displayName: 'Fin\u0007ance', description: 'Line one\nLine two\u0000', 'members@delta': [] }],
    );
    const result = await readDirectoryFull(options);
    expect(result.source.users.get('nul')).toMatchObject({ displayName: 'Anna', surname: 'Ok' });
    expect(result.source.groups.get('g1')).toMatchObject({ displayName: 'Finance', description: 'Line one\nLine two' });
    expect(result.warnings).toEqual([
      'Control characters were removed from the displayName of 1 user (nul).',
      'Control characters were removed from the displayName of 1 group (g1).',
      'Control characters were removed from the description of 1 group (g1).',
    ]);
  });

  it('reports duplicate ids of a full listing instead of resolving them silently', async () => {
    const options = await serve(() => ({
      value: [user('a', { displayName: 'First' }), user('b'), user('a', { displayName: 'Second' })],
    }));
    const result = await readDirectoryFull(options);
    expect(result.source.users.get('a')!.displayName).toBe('Second');
    expect(result.warnings).toEqual(['Microsoft Graph listed 1 user twice (a); the later copy was used.']);
  });

  it('refuses a malformed member of a group in a delta round', async () => {
    const options = await serve(() => ({ value: [] }));
    const full = await readDirectoryFull(options);
    await standIn!.close();
    const delta = await serve(
      () => ({ value: [] }),
      [{ id: 'g1', displayName: 'G', 'members@delta': [{ id: 'ok', '@odata.type': '#microsoft.graph.user' }, { id: null }] }],
    );
    await expect(
      readDirectoryDelta(
        full.source,
        { users: `${standIn!.origin}/v1.0/users/delta?t=1`, groups: `${standIn!.origin}/v1.0/groups/delta?t=1` },
        delta,
      ),
    ).rejects.toMatchObject({
      code: 'graph-answer-invalid',
      message: expect.stringMatching(
        /group the sync cannot use \(\/groups\/delta, page 1, item 1, id g1\): members@delta\.1\.id is null/,
      ),
    });
  });
});
