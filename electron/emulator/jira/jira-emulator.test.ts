import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import type { Clock } from '../../services/ports';
import { startJiraEmulator, type RunningJiraEmulator } from './jira-emulator';

type Json = Record<string, unknown>;

let offsetMs = 0;
const clock: Clock = {
  now: () => new Date(Date.UTC(2025, 0, 1) + offsetMs),
  setTimeout: () => () => undefined,
};

let jira: RunningJiraEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  jira = await startJiraEmulator({ clock });
  transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await jira.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(method: string, path: string, body?: unknown, token: string | null = jira.info.adminToken): Promise<Answer> {
  const response = await transport.fetch(`${jira.info.baseUrl}/rest/api/2${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML 404s stay text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

describe('Jira emulator: identity and authentication', () => {
  it('answers serverInfo without a token, and myself / mypermissions with one', async () => {
    const info = await call('GET', '/serverInfo', undefined, null);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ version: '10.3.6', versionNumbers: [10, 3, 6], deploymentType: 'Server' });

    const me = await call('GET', '/myself');
    expect(me.body).toMatchObject({ name: 'admin', key: 'admin', active: true });
    const perms = await call('GET', '/mypermissions?permissions=ADMINISTER');
    expect((perms.body as Json).permissions).toMatchObject({ ADMINISTER: { havePermission: true } });
    const plain = await call('GET', '/mypermissions?permissions=ADMINISTER', undefined, jira.info.userToken);
    expect((plain.body as Json).permissions).toMatchObject({ ADMINISTER: { havePermission: false } });
    expect((await call('GET', '/mypermissions')).status).toBe(400);
  });

  it('refuses a missing, unknown, revoked or basic-auth credential with 401 and Jira’s body', async () => {
    const none = await call('GET', '/myself', undefined, null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ errorMessages: [expect.stringContaining('not authenticated')], errors: {} });
    const wrong = await call('GET', '/myself', undefined, 'not-a-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    const temp = jira.control.createToken('jsmith');
    expect((await call('GET', '/myself', undefined, temp)).status).toBe(200);
    jira.control.revokeToken(temp);
    expect((await call('GET', '/myself', undefined, temp)).status).toBe(401);
    const basic = await transport.fetch(`${jira.info.baseUrl}/rest/api/2/myself`, {
      headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as Json).errorMessages).toEqual([expect.stringContaining('Basic authentication is disabled')]);
  });

  it('serves nothing outside the context path, and 404s unknown resources', async () => {
    const root = await transport.fetch(`${jira.info.baseUrl.replace(/\/jira$/, '')}/rest/api/2/serverInfo`);
    expect(root.status).toBe(404);
    await root.text();
    expect((await call('GET', '/nothing-here')).status).toBe(404);
  });
});

describe('Jira emulator: users', () => {
  it('creates users with JIRAUSER keys, refuses duplicates in another case and missing e-mail, and non-admins', async () => {
    const created = await call('POST', '/user', {
      name: 'new.person',
      emailAddress: 'new@example.com',
      displayName: 'New Person',
    });
    expect(created.status).toBe(201);
    expect((created.body as Json).key).toMatch(/^JIRAUSER\d{5}$/);
    expect(jira.control.user('new.person')).toMatchObject({ applicationKeys: ['jira-software'] });

    const dup = await call('POST', '/user', { name: 'NEW.Person', emailAddress: 'x@example.com' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ errorMessages: [], errors: { username: expect.any(String) } });
    const noMail = await call('POST', '/user', { name: 'no.mail' });
    expect((noMail.body as Json).errors).toHaveProperty('email');
    const denied = await call('POST', '/user', { name: 'x', emailAddress: 'x@example.com' }, jira.info.userToken);
    expect(denied.status).toBe(403);
  });

  it('keeps old users’ lower-case keys, reads by username in any case or by key', async () => {
    expect((await call('GET', '/user?username=JSMITH')).body).toMatchObject({ key: 'jsmith', name: 'jsmith' });
    const anna = jira.control.user('anna.berg');
    expect(anna?.key).toMatch(/^JIRAUSER/);
    expect((await call('GET', `/user?key=${anna?.key}&expand=groups`)).body).toMatchObject({
      name: 'Anna.Berg',
      groups: { size: 1, items: [{ name: 'jira-software-users' }] },
    });
    const missing = await call('GET', '/user?username=nobody');
    expect(missing.status).toBe(404);
    expect((missing.body as Json).errorMessages).toEqual([expect.stringContaining('nobody')]);
  });

  it('updates partially, renames (key kept), deactivates and reactivates, deletes', async () => {
    await call('POST', '/user', { name: 'r.one', emailAddress: 'r1@example.com', displayName: 'R One' });
    const key = jira.control.user('r.one')?.key;
    const renamed = await call('PUT', '/user?username=r.one', { name: 'r.renamed', displayName: 'R Renamed' });
    expect(renamed.body).toMatchObject({ key, name: 'r.renamed', emailAddress: 'r1@example.com', displayName: 'R Renamed' });
    expect((await call('PUT', '/user?username=r.renamed', { name: 'JSmith' })).status).toBe(400);
    expect(((await call('PUT', `/user?key=${key}`, { active: false })).body as Json).active).toBe(false);
    expect(((await call('PUT', `/user?key=${key}`, { active: true })).body as Json).active).toBe(true);
    expect((await call('DELETE', '/user?username=r.renamed')).status).toBe(204);
    expect((await call('DELETE', '/user?username=r.renamed')).status).toBe(404);
  });

  it('refuses writes to the read-only (LDAP) directory user, and the admin deactivating itself', async () => {
    const put = await call('PUT', '/user?username=carol.ldap', { displayName: 'Changed' });
    expect(put.status).toBe(400);
    expect((put.body as Json).errorMessages).toEqual([expect.stringMatching(/read-only directory/)]);
    expect((await call('DELETE', '/user?username=carol.ldap')).status).toBe(400);
    expect(jira.control.user('carol.ldap')?.displayName).toBe('Carol (LDAP)');
    expect((await call('PUT', '/user?username=admin', { active: false })).status).toBe(400);
  });

  it('lists every user in cursor pages on 10.3, never 404 on an unknown cursor', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = (await call('GET', `/user/list?maxResults=2${cursor ? `&cursor=${cursor}` : ''}`)).body as Json;
      names.push(...(page.values as Json[]).map((u) => u.name as string));
      if (page.isLast) break;
      cursor = page.nextCursor as string;
    }
    expect(names.sort()).toEqual(
      jira.control
        .users()
        .map((u) => u.name)
        .sort(),
    );
    expect((await call('GET', '/user/list?cursor=zzzz')).status).toBe(200);
    // Users created and deleted after a listing are in (out of) the next one.
    await call('POST', '/user', { name: 'listed.later', emailAddress: 'later@example.com' });
    const again = (await call('GET', '/user/list')).body as Json;
    expect((again.values as Json[]).map((u) => u.name)).toContain('listed.later');
    await call('DELETE', '/user?username=listed.later');
    const after = (await call('GET', '/user/list')).body as Json;
    expect((after.values as Json[]).map((u) => u.name)).not.toContain('listed.later');
  });

  it('enforces the licensed-user limit on create and reactivation', async () => {
    await call('POST', '/user', { name: 'seat.holder', emailAddress: 'seat@example.com' });
    await call('PUT', '/user?username=seat.holder', { active: false });
    jira.control.setUserLimit(jira.control.users().filter((u) => u.active && u.applicationKeys.length > 0).length);
    try {
      const over = await call('POST', '/user', { name: 'one.too.many', emailAddress: 'more@example.com' });
      expect(over.status).toBe(400);
      expect((over.body as Json).errorMessages).toEqual([expect.stringContaining('license')]);
      expect((await call('PUT', '/user?username=seat.holder', { active: true })).status).toBe(400);
      expect(jira.control.user('one.too.many')).toBeUndefined();
    } finally {
      jira.control.setUserLimit(null);
    }
  });
});

describe('Jira emulator: groups', () => {
  it('creates, refuses duplicates, adds and removes members, pages members, finds groups, deletes', async () => {
    expect((await call('POST', '/group', { name: 'Team-A' })).status).toBe(201);
    expect((await call('POST', '/group', { name: 'team-a' })).status).toBe(400);
    for (let i = 0; i < 5; i++) {
      await call('POST', '/user', { name: `member${i}`, emailAddress: `m${i}@example.com` });
      expect((await call('POST', '/group/user?groupname=team-a', { name: `member${i}` })).status).toBe(201);
    }
    expect((await call('POST', '/group/user?groupname=team-a', { name: 'member0' })).status).toBe(400);
    expect((await call('POST', '/group/user?groupname=team-a', { name: 'carol.ldap' })).status).toBe(400);

    const first = (await call('GET', '/group/member?groupname=Team-A&maxResults=2&includeInactiveUsers=true')).body as Json;
    expect(first).toMatchObject({ startAt: 0, maxResults: 2, total: 5, isLast: false });
    expect((first.values as Json[]).map((v) => v.name)).toEqual(['member0', 'member1']);
    const last = (await call('GET', '/group/member?groupname=Team-A&startAt=4&maxResults=2')).body as Json;
    expect(last).toMatchObject({ isLast: true, total: 5 });

    expect((await call('DELETE', '/group/user?groupname=Team-A&username=member0')).status).toBe(200);
    expect((await call('DELETE', '/group/user?groupname=Team-A&username=member0')).status).toBe(400);
    expect((await call('GET', '/groups/picker?query=team')).body).toMatchObject({ total: 1, groups: [{ name: 'Team-A' }] });
    expect((await call('DELETE', '/group?groupname=Team-A')).status).toBe(200);
    expect((await call('GET', '/group/member?groupname=Team-A')).status).toBe(404);
    expect((await call('DELETE', '/group?groupname=jira-administrators')).status).toBe(400);
  });

  it('answers a user’s groups (expand=groups) after adds, removals, a control add, a group and a user deleted', async () => {
    const groupsOf = async (name: string) => {
      const user = (await call('GET', `/user?username=${name}&expand=groups`)).body as Json;
      const groups = user.groups as { size: number; items: Json[] };
      expect(groups.size).toBe(groups.items.length);
      return groups.items.map((g) => g.name);
    };
    for (const g of ['idx-1', 'idx-2', 'idx-3']) await call('POST', '/group', { name: g });
    await call('POST', '/user', { name: 'indexed', emailAddress: 'indexed@example.com' });
    await call('POST', '/user', { name: 'other', emailAddress: 'other@example.com' });
    // Added out of order: answered in the groups' creation order.
    for (const g of ['idx-3', 'idx-1', 'idx-2']) await call('POST', `/group/user?groupname=${g}`, { name: 'indexed' });
    await call('POST', '/group/user?groupname=idx-1', { name: 'other' });
    expect(await groupsOf('indexed')).toEqual(['idx-1', 'idx-2', 'idx-3']);
    await call('DELETE', '/group/user?groupname=idx-2&username=indexed');
    expect(await groupsOf('indexed')).toEqual(['idx-1', 'idx-3']);
    jira.control.addMember('idx-2', 'indexed');
    expect(await groupsOf('indexed')).toEqual(['idx-1', 'idx-2', 'idx-3']);
    expect((await call('DELETE', '/group?groupname=idx-3')).status).toBe(200);
    expect(await groupsOf('indexed')).toEqual(['idx-1', 'idx-2']);
    // A group created again under a deleted one's name starts empty.
    await call('POST', '/group', { name: 'idx-3' });
    expect(await groupsOf('indexed')).toEqual(['idx-1', 'idx-2']);
    expect((await call('DELETE', '/user?username=indexed')).status).toBe(204);
    expect(((await call('GET', '/group/member?groupname=idx-1')).body as Json).total).toBe(1);
    expect(await groupsOf('other')).toEqual(['idx-1']);
    expect(jira.control.groups().find((g) => g.name === 'idx-2')?.members).toEqual([]);
  });
});

describe('Jira emulator: rate limiting, faults, control', () => {
  it('sends the X-RateLimit headers on every answer and 429 with Retry-After once the bucket is empty', async () => {
    jira.control.setRateLimit({ limit: 3, fillRate: 2, intervalSeconds: 1 });
    try {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const a = await call('GET', '/myself');
        expect(a.status).toBe(200);
        expect(a.headers.get('x-ratelimit-limit')).toBe('3');
        expect(a.headers.get('x-ratelimit-fillrate')).toBe('2');
        expect(a.headers.get('x-ratelimit-interval-seconds')).toBe('1');
        remaining.push(a.headers.get('x-ratelimit-remaining') as string);
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const refused = await call('GET', '/myself');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      offsetMs += 500;
      const after = await call('GET', '/myself');
      expect(after.status).toBe(200);
      expect(after.headers.get('retry-after')).toBe('1');
    } finally {
      jira.control.setRateLimit(null);
    }
    expect((await call('GET', '/myself')).headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('injects faults at chosen requests and counts requests', async () => {
    jira.control.resetCounters();
    jira.control.setFaults({ atRequest: { 2: '503' }, retryAfterSeconds: 3 });
    expect((await call('GET', '/myself')).status).toBe(200);
    const faulted = await call('GET', '/myself');
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('3');
    jira.control.clearFaults();
    expect(jira.control.counters()).toMatchObject({ requests: { 'GET /myself': 2 }, faults: 1, statuses: { 200: 1, 503: 1 } });
  });

  it('serves the control API over HTTPS with its own token only', async () => {
    const post = (token: string) =>
      transport.fetch(`${jira.info.controlUrl}/user`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args: ['jsmith'] }),
      });
    const refused = await post(jira.info.adminToken);
    expect(refused.status).toBe(401);
    await refused.text();
    const ok = await post(jira.info.controlToken);
    expect(((await ok.json()) as Json).result).toMatchObject({ key: 'jsmith', readOnlyDirectory: false });
  });
});

describe('Jira emulator: an older version', () => {
  it('has no user/list before 10.3, and pages the bare-array user/search instead', async () => {
    const old = await startJiraEmulator({ version: '9.12.0', contextPath: '', clock });
    const t = createHttpTransport({ extraCaPem: old.info.caCertPem, env: {} });
    try {
      const get = async (path: string) =>
        t.fetch(`${old.info.baseUrl}/rest/api/2${path}`, { headers: { authorization: `Bearer ${old.info.adminToken}` } });
      const list = await get('/user/list');
      expect(list.status).toBe(404);
      await list.text();
      const page1 = (await (await get('/user/search?username=.&startAt=0&maxResults=3&includeInactive=true')).json()) as Json[];
      const page2 = (await (await get('/user/search?username=.&startAt=3&maxResults=3&includeInactive=true')).json()) as Json[];
      expect(Array.isArray(page1)).toBe(true);
      expect([...page1, ...page2].map((u) => u.name)).toEqual(old.control.users().map((u) => u.name));
    } finally {
      await t.close();
      await old.close();
    }
  });
});
