import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import { VirtualClock } from '../../services/targets/remote/virtual-clock';
import { startCrowdEmulator, type RunningCrowdEmulator } from './crowd-emulator';

type Json = Record<string, unknown>;

const clock = new VirtualClock();
let crowd: RunningCrowdEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  crowd = await startCrowdEmulator({ clock, searchCap: 3 });
  transport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await crowd.close();
});

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

async function call(method: string, path: string, body?: unknown, auth: string | null = null) {
  const response = await transport.fetch(`${crowd.info.baseUrl}/rest/usermanagement/1${path}`, {
    method,
    headers: {
      authorization: auth ?? basic(crowd.info.applicationName, crowd.info.applicationPassword),
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // plain text and HTML stay text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

describe('Crowd emulator', () => {
  it('signs in applications by basic auth: a wrong password is 401 in plain text, with the version header', async () => {
    const ok = await call('GET', '/user?username=ADMIN');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'admin', 'first-name': 'Crowd', 'display-name': 'Crowd Administrator', active: true });
    expect(ok.headers.get('x-embedded-crowd-version')).toBe('Crowd/6.1.2');
    const wrong = await call('GET', '/user?username=admin', undefined, basic(crowd.info.applicationName, 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toBe('Application failed to authenticate');
    expect(wrong.headers.get('www-authenticate')).toMatch(/Crowd REST Service/);
  });

  it('refuses an address outside the allow-list with 403 "is not allowed to access"', async () => {
    crowd.control.setAllowedAddresses(['10.0.0.1']);
    try {
      const refused = await call('GET', '/user?username=admin');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        reason: 'APPLICATION_ACCESS_DENIED',
        message: expect.stringContaining('is not allowed to access'),
      });
    } finally {
      crowd.control.setAllowedAddresses(null);
    }
  });

  it('PUT replaces the whole user: fields left out are blanked', async () => {
    await call('PUT', '/user?username=jsmith', { name: 'jsmith', 'display-name': 'Only Display' });
    expect(crowd.control.user('jsmith')).toMatchObject({ displayName: 'Only Display', firstName: '', lastName: '', email: '' });
  });

  it('creates users in the first writable directory, refuses writes to the read-only one, and counts the licence', async () => {
    const created = await call('POST', '/user', {
      name: 'new.one',
      email: 'n@example.com',
      password: { value: 'x' },
      active: true,
    });
    expect(created.status).toBe(201);
    expect(crowd.control.user('new.one')).toMatchObject({ directory: 'Crowd Internal Directory', readOnlyDirectory: false });
    const dup = await call('POST', '/user', { name: 'NEW.ONE', password: { value: 'x' } });
    expect(dup).toMatchObject({ status: 400, body: { reason: 'INVALID_USER' } });
    const ro = await call('PUT', '/user?username=carol.ldap', { name: 'carol.ldap', 'display-name': 'X', active: true });
    expect(ro).toMatchObject({ status: 403, body: { reason: 'APPLICATION_PERMISSION_DENIED' } });
    crowd.control.setReadOnlyRefusal('operation-failed');
    expect(await call('DELETE', '/user?username=carol.ldap')).toMatchObject({
      status: 500,
      body: { reason: 'OPERATION_FAILED' },
    });
    crowd.control.setReadOnlyRefusal('permission');
    crowd.control.setUserLimit(crowd.control.users().filter((u) => u.active).length);
    try {
      const full = await call('POST', '/user', { name: 'over.limit', password: { value: 'x' } });
      expect(full.status).toBe(403);
      expect((full.body as Json).message).toMatch(/license/);
    } finally {
      crowd.control.setUserLimit(null);
    }
  });

  it('pages search with start-index and max-results and no total; direct members and memberships answer with reasons', async () => {
    const seen: string[] = [];
    for (let start = 0; ; start += 3) {
      const page = await call('GET', `/search?entity-type=user&start-index=${start}&max-results=3`);
      const users = (page.body as { users: { name: string }[] }).users;
      expect(page.body).not.toHaveProperty('total');
      seen.push(...users.map((u) => u.name));
      if (users.length < 3) break;
    }
    expect(seen.length).toBe(crowd.control.users().length);
    expect((await call('POST', '/group/user/direct?groupname=crowd-users', { name: 'jsmith' })).status).toBe(409);
    expect((await call('POST', '/group/user/direct?groupname=crowd-users', { name: 'ghost' })).body).toMatchObject({
      reason: 'USER_NOT_FOUND',
    });
    expect(await call('DELETE', '/group/user/direct?groupname=crowd-users&username=old.timer')).toMatchObject({
      status: 404,
      body: { reason: 'MEMBERSHIP_NOT_FOUND' },
    });
    expect(await call('GET', '/group/user/direct?groupname=nope')).toMatchObject({
      status: 404,
      body: { reason: 'GROUP_NOT_FOUND' },
    });
    // Crowd's known bug: an unknown user's groups are an empty list, not a 404.
    expect(await call('GET', '/user/group/direct?username=ghost')).toMatchObject({ status: 200, body: { groups: [] } });
  });

  it('resolves nested groups: members of child groups at any depth, each once, a cycle ending; never its own child', async () => {
    crowd.control.addGroup('n-ops');
    crowd.control.addGroup('n-tier2');
    crowd.control.addChildGroup('crowd-administrators', 'n-ops');
    crowd.control.addChildGroup('n-ops', 'n-tier2');
    crowd.control.addChildGroup('n-tier2', 'n-ops');
    crowd.control.addUser({ name: 'n.deep', groups: ['n-tier2', 'n-ops'] });
    const names = async (path: string) => {
      const body = (await call('GET', path)).body as { users?: { name: string }[]; groups?: { name: string }[] };
      return (body.users ?? body.groups ?? []).map((x) => x.name);
    };
    const nested = (await names('/group/user/nested?groupname=crowd-administrators')).sort();
    expect(nested).toEqual(['admin', 'n.deep']);
    const direct = await names('/group/user/direct?groupname=crowd-administrators');
    expect(direct).toEqual(['admin']);
    expect(await names('/user/group/nested?username=n.deep')).toEqual(['crowd-administrators', 'n-ops', 'n-tier2']);
    expect(crowd.control.user('n.deep')).toMatchObject({ groups: ['n-ops', 'n-tier2'] });
    expect(await call('POST', '/group/child-group/direct?groupname=n-ops', { name: 'n-ops' })).toMatchObject({
      status: 400,
      body: { reason: 'INVALID_GROUP' },
    });
  });

  it('rate-limits when asked: 429 with Retry-After and no X-RateLimit headers unless asked for them', async () => {
    crowd.control.setRateLimit({ limit: 2, fillRate: 2 });
    try {
      await call('GET', '/user?username=admin');
      const second = await call('GET', '/user?username=admin');
      expect(second.headers.get('x-ratelimit-limit')).toBeNull();
      expect(second.headers.get('retry-after')).toBeNull();
      const third = await call('GET', '/user?username=admin');
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      crowd.control.setRateLimit({ limit: 2, fillRate: 2, headers: true });
      expect((await call('GET', '/user?username=admin')).headers.get('x-ratelimit-fillrate')).toBe('2');
    } finally {
      crowd.control.setRateLimit(null);
    }
  });
});
