import { describe, expect, it } from 'vitest';
import { generateDataset } from './dataset';
import { Directory } from './directory';
import { createPrng } from './prng';

function build(users: number, groups: number, seed: number, membershipScale?: number) {
  const prng = createPrng(seed);
  const dir = new Directory(
    () => prng.guid(),
    () => new Date('2026-01-01T00:00:00Z'),
  );
  generateDataset(dir, prng, {
    users,
    groups,
    tenantDomain: 'demo.onmicrosoft.com',
    now: new Date('2026-01-01T00:00:00Z'),
    ...(membershipScale !== undefined ? { membershipScale } : {}),
  });
  return dir;
}

describe('generateDataset', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = build(500, 20, 9);
    const b = build(500, 20, 9);
    const c = build(500, 20, 10);
    expect(a.users.map((u) => u.id)).toEqual(b.users.map((u) => u.id));
    expect(a.groups.map((g) => g.members.join())).toEqual(b.groups.map((g) => g.members.join()));
    expect(c.users[0]?.id).not.toBe(a.users[0]?.id);
  });

  it('scales the memberships: 10,000 users and 500 groups make about 177,000, a quarter of the group sizes about 50,000', () => {
    const count = (d: Directory) => d.groups.reduce((sum, g) => sum + g.members.length, 0);
    const full = count(build(10_000, 500, 4));
    const quarter = count(build(10_000, 500, 4, 0.25));
    expect(full).toBeGreaterThan(150_000);
    expect(quarter).toBeGreaterThan(40_000);
    expect(quarter).toBeLessThan(60_000);
    expect(() => build(10, 2, 1, 0)).toThrow(RangeError);
  });

  it('contains the awkward cases a sync must handle', () => {
    const dir = build(2_000, 30, 1);
    const names = dir.users.map((u) => u.displayName).join(' ');
    for (const ch of ['ä', 'ø', 'ł', '李', 'Ωμέγα']) expect(names).toContain(ch);
    const guests = dir.users.filter((u) => u.userType === 'Guest');
    expect(guests.length).toBeGreaterThan(20);
    expect(guests.every((g) => g.userPrincipalName.includes('#EXT#@demo.onmicrosoft.com') && g.mail)).toBe(true);
    expect(dir.users.some((u) => !u.accountEnabled)).toBe(true);
    expect(dir.users.some((u) => u.mail === null)).toBe(true);
    expect(dir.users.some((u) => u.onPremisesSamAccountName !== null)).toBe(true);
    expect(new Set(dir.users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(2_000);
    expect(dir.users.every((u) => /^[\x21-\x7e]+$/.test(u.mailNickname))).toBe(true);

    const kinds = (members: string[]) => new Set(members.map((m) => dir.get(m)?.kind));
    expect(dir.groups.some((g) => kinds(g.members).has('group'))).toBe(true);
    const mixed = dir.groups.find((g) => kinds(g.members).has('device'));
    expect(kinds(mixed?.members ?? [])).toEqual(new Set(['user', 'device', 'orgContact', 'servicePrincipal']));
    expect(dir.groups.some((g) => g.members.length > 1_000)).toBe(true);
    const names2 = dir.groups.map((g) => g.displayName);
    expect(names2.length - new Set(names2).size).toBeGreaterThan(0);
  });

  it('gives even a 10-user tenant a guest, a disabled user and a user without mail', () => {
    const dir = build(10, 8, 2);
    expect(dir.users.some((u) => u.userType === 'Guest')).toBe(true);
    expect(dir.users.some((u) => !u.accountEnabled)).toBe(true);
    expect(dir.users.some((u) => u.mail === null)).toBe(true);
  });

  it('keeps transitive membership finite with nested groups (diamond)', () => {
    const dir = build(300, 10, 4);
    const parent = dir.groups.find((g) => g.members.some((m) => dir.get(m)?.kind === 'group'));
    const flat = dir.transitiveMembers(parent?.id ?? '');
    expect(new Set(flat.map((r) => r.id)).size).toBe(flat.length);
  });
});
