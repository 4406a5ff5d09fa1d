import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import { VirtualClock } from '../../services/targets/remote/virtual-clock';
import { startAtlassianScim, type RunningAtlassianScim } from './atlassian-scim-emulator';

/** The demo Atlassian Cloud SCIM API's rules, over HTTPS as a client sees them. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read loosely in assertions
type Body = Record<string, any>;

let cloud: RunningAtlassianScim;
let transport: HttpTransport;

beforeEach(async () => {
  cloud = await startAtlassianScim();
  transport = createHttpTransport({ extraCaPem: cloud.info.caCertPem, env: {}, timeoutMs: 10_000 });
});
afterEach(async () => {
  await transport.close();
  await cloud.close();
});

async function call(method: string, path: string, body?: unknown, token = cloud.info.token) {
  const res = await transport.fetch(`${cloud.info.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Body, headers: res.headers };
}
const user = (n: string) => ({ userName: n, emails: [{ value: `${n}@x.example`, primary: true }], displayName: n });

describe('demo Atlassian Cloud SCIM API', () => {
  it('hides deactivated users from lists and filters, still reads them by id; DELETE deactivates, then 404', async () => {
    const a = (await call('POST', '/Users', user('a'))).body;
    await call('POST', '/Users', user('b'));
    await call('PATCH', `/Users/${a.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect((await call('GET', '/Users')).body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['b']);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq "a"')}`)).body.totalResults).toBe(0);
    expect((await call('GET', `/Users/${a.id}`)).body).toMatchObject({ userName: 'a', active: false });
    // Still there: the name is taken (a 409 with the status as a string).
    expect((await call('POST', '/Users', user('a'))).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect((await call('DELETE', `/Users/${a.id}`)).status).toBe(204);
    expect((await call('GET', `/Users/${a.id}`)).status).toBe(404);
  });

  it('PUT clears what it leaves out; filters are a single eq on userName or externalId; at most 100 per page', async () => {
    const a = (await call('POST', '/Users', { ...user('a'), title: 'T', name: { givenName: 'G' } })).body;
    const put = (await call('PUT', `/Users/${a.id}`, { userName: 'a', emails: a.emails })).body;
    expect(put.title).toBeUndefined();
    expect(put.name).toBeUndefined();
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName sw "a"')}`)).body).toMatchObject({
      status: '400',
      scimType: 'invalidFilter',
    });
    expect((await call('GET', `/Groups?filter=${encodeURIComponent('externalId eq "x"')}`)).status).toBe(400);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq "A"')}`)).body.totalResults).toBe(1);
    for (let n = 0; n < 120; n++) cloud.directory.createUser(user(`u${n}`));
    const page = (await call('GET', '/Users?startIndex=101&count=500')).body;
    expect(page).toMatchObject({ totalResults: 121, startIndex: 101, itemsPerPage: 21 });
    expect((await call('GET', '/Users?count=500')).body.itemsPerPage).toBe(100);
  });

  it('refuses a wrong key with 401 and answers 429 with Retry-After under its rate limit', async () => {
    expect((await call('GET', '/Users', undefined, 'wrong')).status).toBe(401);
    const clock = new VirtualClock();
    const limited = await startAtlassianScim({ clock, ratePerSecond: 2 });
    const t = createHttpTransport({ extraCaPem: limited.info.caCertPem, env: {}, timeoutMs: 10_000 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res = await t.fetch(`${limited.info.baseUrl}/Users`, {
          headers: { authorization: `Bearer ${limited.info.token}` },
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
        await res.text();
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(limited.counters().throttled429).toBe(1);
    } finally {
      await t.close();
      await limited.close();
    }
  });
});
