import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import type { Clock } from '../../services/ports';
import { startConfluenceEmulator, type RunningConfluenceEmulator } from './confluence-emulator';

type Json = Record<string, unknown>;

let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.UTC(2025, 0, 1) + offsetMs), setTimeout: () => () => undefined };

let cf: RunningConfluenceEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  cf = await startConfluenceEmulator({ clock, deleteMs: 1_000, maxPageLimit: 2 });
  transport = createHttpTransport({ extraCaPem: cf.info.caCertPem, env: {} });
});
afterAll(async () => {
  await transport.close();
  await cf.close();
});

async function call(method: string, path: string, body?: unknown, token: string | null = cf.info.adminToken) {
  const response = await transport.fetch(`${cf.info.baseUrl}${path.startsWith('/rest/') ? '' : '/rest/api'}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

describe('Confluence emulator', () => {
  it('tells anyone it is Confluence and which version; refuses a wrong token and a non-admin', async () => {
    expect((await call('GET', '/rest/applinks/1.0/manifest', undefined, null)).body).toMatchObject({
      typeId: 'confluence',
      version: '9.2.1',
    });
    const wrong = await call('GET', '/user/current', undefined, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ statusCode: 401 });
    const plain = await call('POST', '/admin/group', { name: 'x' }, cf.info.userToken);
    expect(plain.status).toBe(403);
  });

  it('creates users by the rules: 201 {userKey}, 400 for bad names, 409 for an existing one, 402 without a seat', async () => {
    const ok = await call('POST', '/admin/user', {
      userName: 'new.one',
      fullName: 'New One',
      email: 'n@example.com',
      password: 'x'.repeat(20),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.userKey).toMatch(/^4028[0-9a-f]{28}$/);
    for (const userName of ['Upper', 'has space', 'a,b', 'anonymous', 'quote"d']) {
      const bad = await call('POST', '/admin/user', { userName, email: 'b@example.com', password: 'pw' });
      expect(bad.status, userName).toBe(400);
    }
    const both = await call('POST', '/admin/user', {
      userName: 'both',
      email: 'b@example.com',
      password: 'pw',
      notifyViaEmail: true,
    });
    expect(both.status).toBe(400);
    expect((await call('POST', '/admin/user', { userName: 'new.one', email: 'n@example.com', password: 'pw' })).status).toBe(409);
    cf.control.setUserLimit(cf.control.users().filter((u) => u.active).length);
    try {
      const full = await call('POST', '/admin/user', { userName: 'one.more', email: 'o@example.com', password: 'pw' });
      expect(full.status).toBe(402);
      expect((await call('PUT', '/admin/user/old.timer/enable')).status).toBe(402);
      expect((await call('PUT', '/admin/user/new.one/disable')).status).toBe(204);
      expect((await call('PUT', '/admin/user/new.one/disable')).status).toBe(204);
      expect(cf.control.user('new.one')?.active).toBe(false);
    } finally {
      cf.control.setUserLimit(null);
    }
  });

  it('deletes through a long task that finishes later, and pages with _links.next', async () => {
    await call('POST', '/admin/user', { userName: 'to.delete', email: 'd@example.com', password: 'pw' });
    const accepted = await call('DELETE', '/admin/user/to.delete');
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    expect((accepted.body.links as Json).status).toBe(`/confluence/rest/api/longtask/${id}`);
    expect((await call('GET', `/longtask/${id}`)).body).toMatchObject({ finished: false, successful: false });
    expect(cf.control.user('to.delete')).toBeDefined();
    offsetMs += 1_000;
    expect((await call('GET', `/longtask/${id}`)).body).toMatchObject({
      finished: true,
      successful: true,
      percentageComplete: 100,
    });
    expect(cf.control.user('to.delete')).toBeUndefined();
    // Three users' worth of pages at most 2 long (maxPageLimit): asking for 5 gets 2 and a next link.
    const first = await call('GET', '/user/list?limit=5');
    expect(first.body).toMatchObject({ start: 0, limit: 2, size: 2 });
    expect((first.body._links as Json).next).toMatch(/start=2/);
    const last = await call('GET', `/user/list?start=${cf.control.users().length - 1}&limit=2`);
    expect(last.body).toMatchObject({ size: 1 });
    expect((last.body._links as Json).next).toBeUndefined();
  });

  it('refuses writes to a read-only directory user and keeps membership writes idempotent', async () => {
    const ro = await call('PUT', '/admin/user/carol.ldap', { fullName: 'Changed' });
    expect(ro.status).toBe(403);
    expect(ro.body.message).toMatch(/read-only directory/);
    await call('POST', '/admin/group', { name: 'Team A' });
    expect(cf.control.groups().some((g) => g.name === 'team a')).toBe(true);
    expect((await call('PUT', '/user/jsmith/group/team%20a')).status).toBe(204);
    expect((await call('PUT', '/user/jsmith/group/team%20a')).status).toBe(204);
    expect((await call('DELETE', '/user/jsmith/group/team%20a')).status).toBe(204);
    expect((await call('DELETE', '/user/jsmith/group/team%20a')).status).toBe(204);
  });

  it('has no user admin API before 8.4', async () => {
    const old = await startConfluenceEmulator({ version: '8.3.4' });
    const t = createHttpTransport({ extraCaPem: old.info.caCertPem, env: {} });
    try {
      const r = await t.fetch(`${old.info.baseUrl}/rest/api/admin/user`, {
        method: 'POST',
        headers: { authorization: `Bearer ${old.info.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userName: 'x', email: 'x@example.com', password: 'pw' }),
      });
      expect(r.status).toBe(404);
      await r.text();
    } finally {
      await t.close();
      await old.close();
    }
  });
});
