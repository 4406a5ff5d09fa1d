import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../services/ports';
import type { HttpTransport } from '../services/http/transport';
import { startEmulator } from './emulator';
import { emulatorGraphClient, emulatorMsal, emulatorTransport, msalAuthProvider } from './test-support';
import type { RunningEmulator } from './types';

type Obj = Record<string, unknown>;

let offsetMs = 0;
const clock: Clock = {
  now: () => new Date(Date.now() + offsetMs),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

let emu: RunningEmulator;
let transport: HttpTransport;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ users: 1_300, groups: 10, seed: 3, clock, tokenLifetimeSeconds: 30 * 86_400 });
  transport = emulatorTransport(emu.info);
  client = emulatorGraphClient(emu.info, transport, msalAuthProvider(emulatorMsal(emu.info, transport), emu.info.scope));
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});

/** Follows nextLinks until the deltaLink, as a sync client does. */
async function drain(first: string): Promise<{ items: Obj[]; deltaLink: string; pages: number }> {
  const items: Obj[] = [];
  let url = first;
  for (let pages = 1; pages < 1_000; pages++) {
    const page = (await client.api(url).get()) as Obj;
    items.push(...(page.value as Obj[]));
    if (typeof page['@odata.deltaLink'] === 'string') return { items, deltaLink: page['@odata.deltaLink'], pages };
    url = page['@odata.nextLink'] as string;
    expect(url).toMatch(/\$skiptoken=/);
  }
  throw new Error('delta did not end');
}

describe('users delta', () => {
  it('lists everyone, then only what changed: added, updated, soft and hard deleted', async () => {
    const initial = await drain('/users/delta?$select=displayName,accountEnabled,mail');
    expect(initial.items).toHaveLength(1_300);
    expect(initial.pages).toBeGreaterThan(1);
    expect(Object.keys(initial.items[0] as Obj).sort()).toEqual(['accountEnabled', 'displayName', 'id', 'mail']);

    const [a, b] = emu.control.userIds({ limit: 2 }) as [string, string];
    const added = emu.control.addUser({ displayName: 'Zoë Ωμέγα', userPrincipalName: 'zoe.omega@demo-tenant.onmicrosoft.com' });
    emu.control.updateUser(a, { accountEnabled: false });
    emu.control.deleteUser(b);
    const hard = emu.control.addUser({ displayName: 'Short Lived', userPrincipalName: 'short@demo-tenant.onmicrosoft.com' });
    emu.control.deleteUser(hard.id as string, { hard: true });

    const round = await drain(initial.deltaLink);
    const byId = new Map(round.items.map((i) => [i.id, i]));
    expect(byId.get(added.id)).toMatchObject({ displayName: 'Zoë Ωμέγα' });
    expect(byId.get(a)).toMatchObject({ accountEnabled: false });
    expect(byId.get(b)).toEqual({ id: b, '@removed': { reason: 'changed' } });
    expect(byId.get(hard.id)).toEqual({ id: hard.id, '@removed': { reason: 'deleted' } });
    expect(round.items).toHaveLength(4);

    const quiet = await drain(round.deltaLink);
    expect(quiet.items).toHaveLength(0);
  });

  it('starts from now with $deltatoken=latest', async () => {
    const latest = (await client.api('/users/delta').query({ $deltatoken: 'latest' }).get()) as Obj;
    expect(latest.value).toEqual([]);
    const changed = emu.control.userIds({ limit: 1, offset: 10 })[0] as string;
    emu.control.updateUser(changed, { displayName: 'Renamed Łukasz' });
    const round = await drain(latest['@odata.deltaLink'] as string);
    expect(round.items.map((i) => i.id)).toEqual([changed]);
  });

  it('refuses $top on delta', async () => {
    const error = await client
      .api('/users/delta')
      .top(10)
      .get()
      .catch((e: unknown) => e);
    expect((error as GraphError).statusCode).toBe(400);
  });
});

describe('groups delta', () => {
  it('reports members@delta, splits a big group across pages, then reports member changes', async () => {
    const initial = await drain('/groups/delta?$select=displayName,members');
    const merged = new Map<string, Set<string>>();
    for (const g of initial.items) {
      const set = merged.get(g.id as string) ?? new Set<string>();
      for (const m of (g['members@delta'] as Obj[] | undefined) ?? []) set.add(m.id as string);
      merged.set(g.id as string, set);
    }
    const groups = emu.control.groups();
    expect(merged.size).toBe(groups.length);
    for (const g of groups) expect(merged.get(g.id)?.size).toBe(g.memberCount);
    const big = groups.find((g) => g.memberCount > 1_000);
    expect(initial.items.filter((g) => g.id === big?.id).length).toBeGreaterThan(1);

    const target = groups.find(
      (g) => g.displayName !== 'All Employees' && g.memberKinds.includes('user'),
    ) as (typeof groups)[number];
    const current = emu.control.getGroup(target.id) as { members: string[] };
    const leaving = current.members.find((m) => emu.control.getUser(m)) as string;
    const joining = emu.control.userIds().find((id) => !current.members.includes(id)) as string;
    emu.control.removeMember(target.id, leaving);
    emu.control.addMember(target.id, joining);
    const created = emu.control.addGroup({ displayName: 'Jira Administrators', members: [joining] });
    const doomed = groups.find((g) => g.memberCount < 50 && g.id !== target.id) as (typeof groups)[number];
    emu.control.deleteGroup(doomed.id);

    const round = await drain(initial.deltaLink);
    const byId = new Map(round.items.map((g) => [g.id, g]));
    expect(byId.get(target.id)?.['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: leaving, '@removed': { reason: 'deleted' } },
        { '@odata.type': '#microsoft.graph.user', id: joining },
      ]),
    );
    expect(byId.get(created.id)).toMatchObject({ displayName: 'Jira Administrators', 'members@delta': [{ id: joining }] });
    expect(byId.get(doomed.id)).toEqual({ id: doomed.id, '@removed': { reason: 'changed' } });
  });

  it('omits members@delta when members is not selected', async () => {
    const page = (await client.api('/groups/delta').select('displayName').get()) as Obj;
    expect((page.value as Obj[]).some((g) => 'members@delta' in g)).toBe(false);
  });
});

describe('expired delta tokens', () => {
  it('answers 410 resyncRequired with a Location to restart when tokens are expired', async () => {
    const { deltaLink } = await drain('/users/delta?$select=displayName');
    emu.control.expireDeltaTokens();
    const error = (await client
      .api(deltaLink)
      .get()
      .catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.statusCode).toBe(410);
    expect(error.code).toBe('resyncRequired');
    const location = error.headers?.get('location') ?? '';
    expect(location).toContain('/v1.0/users/delta?$select=displayName');
    const restarted = (await client.api(location).get()) as Obj;
    expect(restarted.value).not.toHaveLength(0);
  });

  it('expires tokens older than seven days (controlled clock)', async () => {
    const { deltaLink } = await drain('/users/delta?$select=id');
    offsetMs += 8 * 86_400_000;
    try {
      const error = (await client
        .api(deltaLink)
        .get()
        .catch((e: unknown) => e)) as GraphError;
      expect(error.statusCode).toBe(410);
    } finally {
      offsetMs = 0;
    }
  });
});
