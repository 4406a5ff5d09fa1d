import { afterEach, describe, expect, it } from 'vitest';
import { defaultSyncPolicy } from '../../../shared/sync';
import { DeltaExpiredError, readDirectoryDelta, readDirectoryFull, userFieldsFor } from './directory-reader';
import { startGraphStandIn, withStatus, type GraphStandIn } from './graph-stand-in';

/**
 * Delta links Graph should send and does not, from a Graph stand-in over real HTTPS: a full read without them
 * succeeds and says which is missing (the next run reads everything again); a delta round without one is a broken
 * chain, read as an expired token; a bootstrap answered 410 is a problem for the next run, not a failure.
 */
describe('directory reader: missing delta links', () => {
  let standIn: GraphStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });
  const fields = userFieldsFor(defaultSyncPolicy().mapping);
  const users = { value: [{ id: 'u1', userPrincipalName: 'u1@stand-in.example', displayName: 'U', accountEnabled: true }] };

  async function serve(answers: { usersDelta: () => unknown; groupsDelta: () => unknown }) {
    standIn = await startGraphStandIn((request) => {
      if (request.path === '/users/delta') return answers.usersDelta();
      if (request.path === '/groups/delta') return answers.groupsDelta();
      if (request.path === '/users') return users;
      return withStatus(404, { error: { code: 'NotFound', message: request.path } });
    });
    return { client: standIn.connection.client, userFields: fields, backoffMs: 1, maxAttempts: 2 };
  }
  const link = (path: string) => ({ value: [], '@odata.deltaLink': `${standIn!.origin}/v1.0${path}?t=1` });
  const links = () => ({ users: `${standIn!.origin}/v1.0/users/delta?t=1`, groups: `${standIn!.origin}/v1.0/groups/delta?t=1` });

  it('a full read whose users bootstrap ends without a delta link succeeds, without links, saying so', async () => {
    const options = await serve({ usersDelta: () => ({ value: [] }), groupsDelta: () => link('/groups/delta') });
    const full = await readDirectoryFull(options);
    expect(full.source.users.has('u1')).toBe(true);
    expect(full.deltaLinks).toBeNull();
    expect(full.deltaLinkProblem).toBe('Graph sent no delta link for the users');
  });

  it('a full read whose groups listing ends without a delta link succeeds, without links, saying so', async () => {
    const options = await serve({ usersDelta: () => link('/users/delta'), groupsDelta: () => ({ value: [] }) });
    const full = await readDirectoryFull(options);
    expect(full.deltaLinks).toBeNull();
    expect(full.deltaLinkProblem).toBe('Graph sent no delta link for the groups');
  });

  it('a users bootstrap answered 410 is a rejected token for the next run, not a failure of this one', async () => {
    const options = await serve({
      usersDelta: () => withStatus(410, { error: { code: 'Gone', message: 'gone' } }),
      groupsDelta: () => link('/groups/delta'),
    });
    const full = await readDirectoryFull(options);
    expect(full.deltaLinks).toBeNull();
    expect(full.deltaLinkProblem).toMatch(
      /^Starting change tracking of \/users\/delta failed \(The delta token for \/users\/delta was rejected \(410/,
    );
  });

  it.each([
    ['users', { usersDelta: () => ({ value: [] }), groupsDelta: () => link('/groups/delta') }],
    ['groups', { usersDelta: () => link('/users/delta'), groupsDelta: () => ({ value: [] }) }],
  ] as const)('a delta round whose %s end without a delta link is a broken chain: read everything again', async (_, answers) => {
    const options = await serve(answers);
    const full = await readDirectoryFull({ ...options });
    const round = readDirectoryDelta(full.source, links(), options);
    await expect(round).rejects.toBeInstanceOf(DeltaExpiredError);
    await expect(round).rejects.toThrow('The delta token for /delta was rejected (no delta link at the end of the round)');
  });
});
