import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import type { Clock } from '../../services/ports';
import { startBitbucketEmulator, type RunningBitbucketEmulator } from './bitbucket-emulator';

type Json = Record<string, unknown>;

let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.UTC(2025, 0, 1) + offsetMs), setTimeout: () => () => undefined };

let bb: RunningBitbucketEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  bb = await startBitbucketEmulator({ clock, contextPath: '/bitbucket' });
  transport = createHttpTransport({ extraCaPem: bb.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await bb.close();
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function call(
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = basic(bb.info.adminUsername, bb.info.adminPassword),
) {
  const response = await transport.fetch(`${bb.info.baseUrl}/rest/api/latest${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML stays text.
  }
  return { status: response.status, headers: response.headers, body: parsed as Json };
}

const firstError = (body: Json) => (body.errors as Json[])[0] as Json;

describe('Bitbucket emulator: sign-in', () => {
  it('answers application-properties to anyone, refuses a wrong password, and admin resources to a token or a non-admin', async () => {
    const props = await call('GET', '/application-properties', undefined, null);
    expect(props.body).toMatchObject({ version: '8.19.1', displayName: 'Bitbucket' });
    const wrong = await call('GET', '/admin/users', undefined, basic('admin', 'not-it'));
    expect(wrong.status).toBe(401);
    expect(firstError(wrong.body).exceptionName).toMatch(/IncorrectPasswordAuthenticationException/);
    const token = await call('GET', '/admin/users', undefined, `Bearer ${bb.info.adminAccessToken}`);
    expect(token.status).toBe(401);
    expect(firstError(token.body).message).toBe('Tokens may not have the following permission: ADMIN');
    const asPassword = await call('GET', '/admin/users', undefined, basic('admin', bb.info.adminAccessToken));
    expect(firstError(asPassword.body).message).toMatch(/Tokens may not/);
    const plain = await call('GET', '/admin/users', undefined, basic(bb.info.userUsername, bb.info.userPassword));
    expect(plain.status).toBe(401);
    expect(firstError(plain.body)).toMatchObject({ exceptionName: expect.stringMatching(/AuthorisationException/) });
    expect((await call('GET', '/users/jsmith', undefined, basic(bb.info.userUsername, bb.info.userPassword))).status).toBe(200);
    // 1.0 is the same API as latest.
    const v1 = await transport.fetch(`${bb.info.baseUrl}/rest/api/1.0/application-properties`);
    expect(v1.status).toBe(200);
    await v1.text();
  });
});

describe('Bitbucket emulator: users and groups', () => {
  it('pages users (default 25, nextPageStart) with directory facts', async () => {
    for (let i = 0; i < 30; i++)
      bb.control.addUser({ name: `pager${String(i).padStart(2, '0')}`, emailAddress: `p${i}@example.com` });
    const first = (await call('GET', '/admin/users?filter=pager')).body;
    expect(first).toMatchObject({ size: 25, limit: 25, start: 0, isLastPage: false, nextPageStart: 25 });
    const second = (await call('GET', '/admin/users?filter=pager&start=25')).body;
    expect(second).toMatchObject({ size: 5, isLastPage: true });
    expect(second).not.toHaveProperty('nextPageStart');
    const carol = ((await call('GET', '/admin/users?filter=carol')).body.values as Json[])[0];
    expect(carol).toMatchObject({
      name: 'carol.ldap',
      mutableDetails: false,
      mutableGroups: false,
      deletable: false,
      type: 'NORMAL',
    });
  });

  it('creates by query parameters (204, no body), refuses a duplicate in any case (409) and a missing password', async () => {
    const q = new URLSearchParams({
      name: 'new.one',
      displayName: 'New One',
      emailAddress: 'n@example.com',
      password: 'x'.repeat(30),
    });
    const created = await call('POST', `/admin/users?${q}`);
    expect(created.status).toBe(204);
    expect(created.body).toBeUndefined();
    expect(bb.control.user('new.one')).toMatchObject({ groups: ['stash-users'], permission: 'LICENSED_USER' });
    const dup = await call('POST', `/admin/users?${q.toString().replace('new.one', 'NEW.ONE')}`);
    expect(dup.status).toBe(409);
    expect(firstError(dup.body).message).toBe('Another user with the same name already exists.');
    expect((await call('POST', '/admin/users?name=no.pw&emailAddress=a@b.c')).status).toBe(400);
  });

  it('updates details, renames, refuses the read-only user, deletes (409 for oneself)', async () => {
    const put = await call('PUT', '/admin/users', { name: 'new.one', displayName: 'Changed', email: 'c@example.com' });
    expect(put.body).toMatchObject({ displayName: 'Changed', emailAddress: 'c@example.com' });
    expect((await call('POST', '/admin/users/rename', { name: 'new.one', newName: 'renamed.one' })).status).toBe(200);
    expect((await call('PUT', '/admin/users', { name: 'carol.ldap', displayName: 'X' })).status).toBe(400);
    expect((await call('DELETE', '/admin/users?name=admin')).status).toBe(409);
    expect((await call('DELETE', '/admin/users?name=renamed.one')).status).toBe(200);
    expect((await call('DELETE', '/admin/users?name=renamed.one')).status).toBe(404);
  });

  it('creates and deletes groups, adds and removes members, lists members and a user’s groups', async () => {
    expect((await call('POST', '/admin/groups?name=Team-A')).body).toMatchObject({ name: 'Team-A' });
    expect((await call('POST', '/admin/groups?name=team-a')).status).toBe(409);
    expect((await call('POST', '/admin/groups/add-users', { group: 'team-a', users: ['jsmith', 'Anna.Berg'] })).status).toBe(200);
    expect((await call('POST', '/admin/groups/add-users', { group: 'team-a', users: ['carol.ldap'] })).status).toBe(400);
    const members = (await call('GET', '/admin/groups/more-members?context=Team-A')).body;
    expect((members.values as Json[]).map((u) => u.name)).toEqual(['Anna.Berg', 'jsmith']);
    expect((await call('POST', '/admin/users/remove-group', { context: 'jsmith', itemName: 'Team-A' })).status).toBe(200);
    const groups = (await call('GET', '/admin/users/more-members?context=jsmith')).body;
    expect((groups.values as Json[]).map((g) => g.name)).toEqual(['stash-users']);
    expect((await call('DELETE', '/admin/groups?name=Team-A')).status).toBe(200);
    expect((await call('DELETE', '/admin/groups?name=sys-admins')).status).toBe(409);
  });

  it('lists the global permissions that license users, and enforces the licence limit', async () => {
    const perms = (await call('GET', '/admin/permissions/groups')).body;
    expect(perms.values).toEqual(
      expect.arrayContaining([
        { group: { name: 'stash-users', deletable: true }, permission: 'LICENSED_USER' },
        { group: { name: 'sys-admins', deletable: true }, permission: 'SYS_ADMIN' },
      ]),
    );
    const licensed = (await call('GET', '/admin/permissions/groups?permission=LICENSED_USER')).body;
    expect((licensed.values as Json[]).map((v) => (v.group as Json).name)).toEqual(['contractors', 'stash-users']);
    bb.control.setUserLimit(bb.control.users().filter((u) => u.permission).length);
    try {
      const over = await call('POST', '/admin/users?name=too.many&emailAddress=t@example.com&password=abcdefghijklmnop');
      expect(over.status).toBe(403);
      expect(firstError(over.body).message).toMatch(/would exceed the server's license limit/);
      // Without a licence, creation is allowed; licensing afterwards is not.
      expect(
        (
          await call(
            'POST',
            '/admin/users?name=too.many&emailAddress=t@example.com&password=abcdefghijklmnop&addToDefaultGroup=false',
          )
        ).status,
      ).toBe(204);
      expect((await call('POST', '/admin/users/add-groups', { user: 'too.many', groups: ['stash-users'] })).status).toBe(403);
    } finally {
      bb.control.setUserLimit(null);
    }
  });
});

describe('Bitbucket emulator: add-users refused part-way', () => {
  it('keeps the users before the refused one (partial) or none (atomic); an unknown user adds nobody; a crash part-way', async () => {
    bb.control.addGroup('team-b');
    bb.control.addUser({ name: 'b1', emailAddress: 'b1@example.com' });
    bb.control.addUser({ name: 'b2', emailAddress: 'b2@example.com' });
    const members = () => bb.control.groups().find((g) => g.name === 'team-b')!.members;
    const refused = await call('POST', '/admin/groups/add-users', { group: 'team-b', users: ['b1', 'carol.ldap', 'b2'] });
    expect(refused.status).toBe(400);
    expect(firstError(refused.body).exceptionName).toMatch(/UserNotMutableException/);
    expect(members()).toEqual(['b1']);
    bb.control.setAddUsers({ atomic: true });
    try {
      expect((await call('POST', '/admin/groups/add-users', { group: 'team-b', users: ['b2', 'carol.ldap'] })).status).toBe(400);
      expect(members()).toEqual(['b1']);
      const unknown = await call('POST', '/admin/groups/add-users', { group: 'team-b', users: ['b2', 'nobody'] });
      expect(unknown.status).toBe(404);
      expect(firstError(unknown.body).exceptionName).toMatch(/NoSuchUserException/);
      expect(members()).toEqual(['b1']);
      bb.control.setAddUsers({ atomic: false, crashAfter: 1 });
      expect((await call('POST', '/admin/groups/add-users', { group: 'team-b', users: ['b2', 'jsmith'] })).status).toBe(500);
      expect(members()).toEqual(['b1', 'b2']);
      // Down after the crash, until the faults are cleared.
      expect((await call('GET', '/admin/groups')).status).toBe(500);
      bb.control.clearFaults();
      expect((await call('POST', '/admin/groups/add-users', { group: 'team-b', users: ['b2', 'jsmith'] })).status).toBe(200);
      expect(members()).toEqual(['b1', 'b2', 'jsmith']);
    } finally {
      bb.control.setAddUsers({ atomic: false, crashAfter: null });
      bb.control.clearFaults();
    }
  });
});

describe('Bitbucket emulator: rate limiting', () => {
  it('answers 429 with Retry-After once the bucket is empty, and never sends X-RateLimit headers', async () => {
    bb.control.setRateLimit({ limit: 2, fillRate: 2, intervalSeconds: 1 });
    try {
      const a = await call('GET', '/users/jsmith');
      expect(a.status).toBe(200);
      expect(a.headers.get('x-ratelimit-limit')).toBeNull();
      expect(a.headers.get('retry-after')).toBeNull();
      await call('GET', '/users/jsmith');
      const refused = await call('GET', '/users/jsmith');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('x-ratelimit-remaining')).toBeNull();
      offsetMs += 1000;
      expect((await call('GET', '/users/jsmith')).status).toBe(200);
      expect(bb.control.counters().throttled429).toBe(1);
    } finally {
      bb.control.setRateLimit(null);
    }
  });
});
