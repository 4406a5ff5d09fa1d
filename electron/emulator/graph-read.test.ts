import { GraphError, PageIterator, type Client, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTransport } from '../services/http/transport';
import { startEmulator } from './emulator';
import { GRAPH_APP_ID } from './permissions';
import { emulatorGraphClient, emulatorMsal, emulatorTransport, msalAuthProvider } from './test-support';
import type { RunningEmulator } from './types';

let emu: RunningEmulator;
let transport: HttpTransport;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ users: 1_500, groups: 12, seed: 42 });
  transport = emulatorTransport(emu.info);
  client = emulatorGraphClient(emu.info, transport, msalAuthProvider(emulatorMsal(emu.info, transport), emu.info.scope));
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});

type Obj = Record<string, unknown>;

/** Follows every nextLink with the Graph client's PageIterator and returns all items. */
async function iterate(first: PageCollection): Promise<{ items: Obj[] }> {
  const items: Obj[] = [];
  const iterator = new PageIterator(client, first, (item: Obj) => {
    items.push(item);
    return true;
  });
  await iterator.iterate();
  return { items };
}

async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

describe('Graph reads through @microsoft/microsoft-graph-client', () => {
  it('pages all users with $top and $select, following opaque nextLinks', async () => {
    const before = emu.control.counters().requests['GET /users'] ?? 0;
    const first = (await client.api('/users').select('id,displayName,userPrincipalName').top(400).get()) as PageCollection;
    expect(first.value).toHaveLength(400);
    expect(first['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const { items } = await iterate(first);
    expect(items).toHaveLength(1_500);
    expect(new Set(items.map((u) => u.id)).size).toBe(1_500);
    expect(Object.keys(items[0] as Obj).sort()).toEqual(['displayName', 'id', 'userPrincipalName']);
    expect((emu.control.counters().requests['GET /users'] ?? 0) - before).toBe(4);
  });

  it('returns the default property set without $select and 100 per page', async () => {
    const page = (await client.api('/users').get()) as PageCollection;
    expect(page.value).toHaveLength(100);
    expect(Object.keys(page.value[0] as Obj)).toContain('businessPhones');
    expect(Object.keys(page.value[0] as Obj)).not.toContain('accountEnabled');
  });

  it('refuses $top outside 1..999 and unknown $select properties with 400', async () => {
    for (const top of [0, 1000]) {
      const e = await graphError(client.api('/users').top(top).get());
      expect(e.statusCode).toBe(400);
      expect(e.code).toBe('Request_BadRequest');
      expect(e.message).toContain('Must be between 1 and 999');
    }
    const e = await graphError(client.api('/users').select('id,favouriteColour').get());
    expect(e.statusCode).toBe(400);
    expect(e.message).toContain('favouriteColour');
  });

  it('rejects a tampered skiptoken', async () => {
    const e = await graphError(client.api('/users').query({ $skiptoken: 'eyJrIjoidXNlcnMiLCJwb3MiOjV9.AAAA' }).get());
    expect(e.statusCode).toBe(400);
  });

  it('evaluates the $filter forms the app uses', async () => {
    const guests = (await client
      .api('/users')
      .filter("userType eq 'Guest'")
      .select('id,userPrincipalName,userType')
      .top(999)
      .get()) as PageCollection;
    expect(guests.value.length).toBeGreaterThan(10);
    for (const g of guests.value as Obj[]) {
      expect(g.userType).toBe('Guest');
      expect(g.userPrincipalName).toMatch(/#EXT#@demo-tenant\.onmicrosoft\.com$/);
    }
    const disabled = (await client
      .api('/users')
      .filter('accountEnabled eq false')
      .select('id,accountEnabled')
      .top(999)
      .get()) as PageCollection;
    expect(disabled.value.length).toBeGreaterThan(10);
    expect((disabled.value as Obj[]).every((u) => u.accountEnabled === false)).toBe(true);

    const ids = emu.control.userIds({ limit: 3 });
    const byId = (await client
      .api('/users')
      .filter(`id in ('${ids.join("','")}')`)
      .select('id')
      .get()) as PageCollection;
    expect((byId.value as Obj[]).map((u) => u.id).sort()).toEqual([...ids].sort());

    const some = emu.control.getUser(ids[0] as string) as Obj;
    const prefix = String(some.displayName).slice(0, 3);
    const started = (await client
      .api('/users')
      .filter(`startswith(displayName,'${prefix.toLowerCase()}')`)
      .select('id,displayName')
      .top(999)
      .get()) as PageCollection;
    expect(started.value.length).toBeGreaterThan(0);
    expect((started.value as Obj[]).every((u) => String(u.displayName).toLowerCase().startsWith(prefix.toLowerCase()))).toBe(
      true,
    );

    const combined = (await client
      .api('/users')
      .filter("userType eq 'Member' and accountEnabled eq true")
      .select('id')
      .top(1)
      .get()) as PageCollection;
    expect(combined.value).toHaveLength(1);
  });

  it('requires ConsistencyLevel: eventual for $count, ne and /users/$count', async () => {
    expect((await graphError(client.api('/users').count(true).get())).statusCode).toBe(400);
    expect((await graphError(client.api('/users').filter("userType ne 'Guest'").get())).code).toBe('Request_UnsupportedQuery');
    const counted = (await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter("userType ne 'Guest'")
      .select('id')
      .top(999)
      .get()) as PageCollection;
    const members = counted['@odata.count'] as number;
    expect(members).toBeGreaterThan(1_000);
    const next = (await client
      .api(counted['@odata.nextLink'] as string)
      .header('ConsistencyLevel', 'eventual')
      .get()) as PageCollection;
    expect(next['@odata.count']).toBeUndefined();
    const raw = await client
      .api('/users/$count')
      .header('ConsistencyLevel', 'eventual')
      .responseType('text' as never)
      .get();
    expect(Number(raw)).toBe(1_500);
    expect((await graphError(client.api('/users/$count').get())).statusCode).toBe(400);
  });

  it('gets a user by id and by UPN, and answers 404 like Graph', async () => {
    const id = emu.control.userIds({ limit: 1 })[0] as string;
    const user = (await client
      .api(`/users/${id}`)
      .select('id,userPrincipalName,onPremisesSamAccountName,mailNickname')
      .get()) as Obj;
    expect(user.id).toBe(id);
    const byUpn = (await client
      .api(`/users/${encodeURIComponent(String(user.userPrincipalName))}`)
      .select('id')
      .get()) as Obj;
    expect(byUpn.id).toBe(id);
    const e = await graphError(client.api('/users/00000000-0000-0000-0000-000000000000').get());
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('Request_ResourceNotFound');
  });

  it('lists direct members with casts, and big groups over several pages', async () => {
    const groups = emu.control.groups();
    const all = groups.find((g) => g.displayName === 'All Employees');
    expect(all?.memberCount).toBeGreaterThan(1_000);
    const first = (await client
      .api(`/groups/${all?.id}/members/microsoft.graph.user`)
      .select('id,displayName')
      .top(500)
      .get()) as PageCollection;
    const { items } = await iterate(first);
    expect(items).toHaveLength(all?.memberCount as number);
    expect(items.every((m) => m['@odata.type'] === '#microsoft.graph.user')).toBe(true);

    const mixed = groups.find((g) => g.memberKinds.includes('device'));
    expect(mixed?.memberKinds).toEqual(expect.arrayContaining(['user', 'device', 'orgContact', 'servicePrincipal']));
    const members = (await client.api(`/groups/${mixed?.id}/members`).top(999).get()) as PageCollection;
    const types = new Set((members.value as Obj[]).map((m) => m['@odata.type']));
    expect(types).toEqual(
      new Set([
        '#microsoft.graph.user',
        '#microsoft.graph.device',
        '#microsoft.graph.orgContact',
        '#microsoft.graph.servicePrincipal',
      ]),
    );
    const usersOnly = (await client.api(`/groups/${mixed?.id}/members/microsoft.graph.user`).top(999).get()) as PageCollection;
    expect(usersOnly.value.length).toBe(mixed?.memberKinds.includes('user') ? mixed.memberCount - 4 : 0);
  });

  it('flattens nested groups in transitiveMembers, each member once', async () => {
    const parent = emu.control.groups().find((g) => g.memberKinds.includes('group'));
    expect(parent).toBeDefined();
    const direct = (await client.api(`/groups/${parent?.id}/members`).top(999).get()) as PageCollection;
    const transitive = await iterate(
      (await client.api(`/groups/${parent?.id}/transitiveMembers`).top(999).get()) as PageCollection,
    );
    const ids = transitive.items.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(direct.value.length);
  });

  it('has duplicate group display names', async () => {
    const named = (await client
      .api('/groups')
      .filter("displayName eq 'Marketing'")
      .select('id,displayName')
      .get()) as PageCollection;
    expect(named.value.length).toBe(2);
  });

  it('shows the app with its passwordCredentials and the Graph service principal with app roles', async () => {
    const app = (await client
      .api(`/applications(appId='${emu.info.clientId}')`)
      .select('displayName,passwordCredentials')
      .get()) as Obj;
    const creds = app.passwordCredentials as Obj[];
    const mine = creds.find((c) => c.keyId === emu.info.secretId) as Obj;
    expect(mine.hint).toBe(emu.info.clientSecret.slice(0, 3));
    expect(mine.endDateTime).toBe(emu.info.secretExpiresAt);
    expect(mine.secretText).toBeNull();
    expect(JSON.stringify(app)).not.toContain(emu.info.clientSecret);
    const sp = (await client.api(`/servicePrincipals(appId='${GRAPH_APP_ID}')`).select('id,appRoles').get()) as Obj;
    expect((sp.appRoles as Obj[]).find((r) => r.value === 'Directory.Read.All')?.id).toBe('7ab1d382-f21e-4acd-a863-ba3e13f7da61');
  });
});

describe('Graph authorisation failures', () => {
  const raw = (path: string, authorization?: string) =>
    transport.fetch(`${emu.info.graphBaseUrl}/v1.0${path}`, { headers: authorization ? { authorization } : {} });

  it('answers 401 InvalidAuthenticationToken for missing, malformed and forged tokens', async () => {
    for (const auth of [undefined, 'Bearer nonsense', 'Bearer a.b.c']) {
      const res = await raw('/users?$top=1', auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = (await res.json()) as { error: Obj };
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(body.error.innerError).toHaveProperty('request-id');
    }
  });

  it('answers 401 for an expired token (controlled clock)', async () => {
    let offset = 0;
    const clock = {
      now: () => new Date(Date.now() + offset),
      setTimeout: (fn: () => void, ms: number) => {
        const h = setTimeout(fn, ms);
        return () => clearTimeout(h);
      },
    };
    const timed = await startEmulator({ users: 10, groups: 1, clock });
    const t = emulatorTransport(timed.info);
    try {
      const token = await emulatorMsal(timed.info, t).acquireTokenByClientCredential({ scopes: [timed.info.scope] });
      const call = () =>
        t.fetch(`${timed.info.graphBaseUrl}/v1.0/users?$top=1`, { headers: { authorization: `Bearer ${token?.accessToken}` } });
      expect((await call()).status).toBe(200);
      offset = 3_600_000;
      const res = await call();
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: Obj }).error.message).toContain('expired');
    } finally {
      await t.close();
      await timed.close();
    }
  });

  it('answers 403 AccessDenied without roles and Authorization_RequestDenied with the wrong role', async () => {
    const locked = await startEmulator({ users: 10, groups: 2, consent: false });
    const t = emulatorTransport(locked.info);
    try {
      const c = emulatorGraphClient(locked.info, t, msalAuthProvider(emulatorMsal(locked.info, t), locked.info.scope));
      const none = await graphError(c.api('/users').top(1).select('id').get());
      expect(none.statusCode).toBe(403);
      expect(none.code).toBe('AccessDenied');
      expect(none.message).toBe('Either scp or roles claim need to be present in the token.');
      locked.control.grantConsent(['User.Read.All']);
      const c2 = emulatorGraphClient(locked.info, t, msalAuthProvider(emulatorMsal(locked.info, t), locked.info.scope));
      expect(((await c2.api('/users').top(1).select('id').get()) as PageCollection).value).toHaveLength(1);
      const wrong = await graphError(c2.api('/groups').get());
      expect(wrong.statusCode).toBe(403);
      expect(wrong.code).toBe('Authorization_RequestDenied');
      expect(wrong.message).toBe('Insufficient privileges to complete the operation.');
    } finally {
      await t.close();
      await locked.close();
    }
  });
});
