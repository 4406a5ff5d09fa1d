import { describe, expect, it } from 'vitest';
import { measureRisk, safetyDefaults, type SafetyPolicy } from '../../../shared/brake';
import {
  emptyPlanCounts,
  planItemKey,
  planItemKinds,
  type Plan,
  type PlanItem,
  type PlanItemKind,
  type SourceUser,
} from '../../../shared/sync';
import type { TargetCapabilities } from '../targets/directory-target';
import { checkPlan, crossedLimits } from './guard';
import { emptySourceDirectory, type TargetState } from './model';
import { createPlan } from './plan';
import { policyWith } from './test-support';

/**
 * The brake's boundaries, pinned exactly: each limit at, just below and just above, so a `>=` for `>`, a share
 * read as a count or a kind left out of the destructive set fails a test here.
 */

const reason = { code: 'left-scope', message: 'test' } as const;

/** One item of `kind` about object number `i` (keys differ per i). */
function item(kind: PlanItemKind, i: number): PlanItem {
  switch (kind) {
    case 'add-member':
    case 'remove-member':
      return { kind, groupExternalId: `g${i % 7}`, userExternalId: `u${i}`, groupName: 'g', username: 'u', reason };
    case 'create-user':
      return {
        kind,
        externalId: `u${i}`,
        active: true,
        after: { username: 'u', email: null, displayName: null, givenName: null, surname: null },
        reason,
      };
    case 'create-group':
      return { kind, externalId: `g${i}`, after: { name: 'g', description: null }, reason };
    case 'update-user':
      return { kind, externalId: `u${i}`, username: 'u', before: {}, after: {}, reason };
    case 'update-group':
      return { kind, externalId: `g${i}`, name: 'g', before: {}, after: {}, reason };
    case 'delete-group':
      return { kind, externalId: `g${i}`, name: 'g', reason };
    default:
      return { kind, externalId: `u${i}`, username: 'u', reason };
  }
}

/** A plan with `counts` items of each kind against a target holding `synced`; its risk is the planner's own. */
function planOf(
  counts: Partial<Record<PlanItemKind, number>>,
  synced: { users?: number; groups?: number; memberships?: number } = {},
  offset = 0,
): Plan {
  const all = { ...emptyPlanCounts(), ...counts };
  const items = planItemKinds.flatMap((kind) => Array.from({ length: all[kind] }, (_, i) => item(kind, offset + i)));
  return {
    items,
    counts: all,
    risk: measureRisk(all, { users: synced.users ?? 0, groups: synced.groups ?? 0, memberships: synced.memberships ?? 0 }),
    conflicts: [],
    warnings: [],
    scope: { sourceUsers: 0, sourceGroups: 0, usersInScope: 0, groupsInScope: 0, membershipsInScope: 0 },
  };
}

const defaults: SafetyPolicy = { ...safetyDefaults };
const off: SafetyPolicy = {
  maxShare: null,
  maxCount: null,
  maxGroupShare: null,
  maxGroupCount: null,
  maxMembershipShare: null,
  maxMembershipCount: null,
};
const held = (plan: Plan, safety: SafetyPolicy = defaults) => !checkPlan(plan, safety).allowed;

describe('guard: the defaults are what Sync settings shows', () => {
  it('10% or 50 users, 10% or 5 groups, 10% or 500 memberships', () => {
    expect(policyWith({}).safety).toEqual({
      maxShare: 0.1,
      maxCount: 50,
      maxGroupShare: 0.1,
      maxGroupCount: 5,
      maxMembershipShare: 0.1,
      maxMembershipCount: 500,
    });
  });
});

describe('guard: users', () => {
  it.each([
    [9, false],
    [10, false],
    [11, true],
  ])('share: %i of 100 synced users disabled → held %s', (n, expected) => {
    expect(held(planOf({ 'disable-user': n }, { users: 100 }))).toBe(expected);
  });

  it.each([
    [49, false],
    [50, false],
    [51, true],
  ])('count: %i of 1,000 synced users disabled (under 10%) → held %s', (n, expected) => {
    expect(held(planOf({ 'disable-user': n }, { users: 1000 }))).toBe(expected);
  });

  it('counts deletions together with disables, for the share and for the count', () => {
    // 6 + 5 of 100 is 11%: neither alone crosses 10%.
    expect(held(planOf({ 'disable-user': 6 }, { users: 100 }))).toBe(false);
    expect(held(planOf({ 'delete-user': 5 }, { users: 100 }))).toBe(false);
    expect(held(planOf({ 'disable-user': 6, 'delete-user': 5 }, { users: 100 }))).toBe(true);
    // 26 + 25 of 1,000 is 51 users but 5.1%.
    expect(held(planOf({ 'disable-user': 26, 'delete-user': 25 }, { users: 1000 }))).toBe(true);
    expect(crossedLimits(planOf({ 'disable-user': 26, 'delete-user': 25 }, { users: 1000 }).risk, defaults)).toEqual([
      { subject: 'users', by: 'count', limit: 50, actual: 51 },
    ]);
  });
});

describe('guard: groups', () => {
  it.each([
    [1, false],
    [2, false],
    [3, true],
  ])('share: %i of 20 synced groups deleted (under 5) → held %s', (n, expected) => {
    expect(held(planOf({ 'delete-group': n }, { groups: 20 }))).toBe(expected);
  });

  it.each([
    [4, false],
    [5, false],
    [6, true],
  ])('count: %i of 100 synced groups deleted (under 10%) → held %s', (n, expected) => {
    expect(held(planOf({ 'delete-group': n }, { groups: 100 }))).toBe(expected);
  });
});

describe('guard: memberships', () => {
  it.each([
    [99, false],
    [100, false],
    [101, true],
  ])('share: %i of 1,000 synced memberships removed (under 500) → held %s', (n, expected) => {
    expect(held(planOf({ 'remove-member': n }, { memberships: 1000 }))).toBe(expected);
  });

  it.each([
    [499, false],
    [500, false],
    [501, true],
  ])('count: %i of 10,000 synced memberships removed (under 10%) → held %s', (n, expected) => {
    expect(held(planOf({ 'remove-member': n }, { memberships: 10_000 }))).toBe(expected);
  });
});

describe('guard: limits turned off', () => {
  const big = planOf(
    { 'disable-user': 900, 'delete-user': 100, 'delete-group': 100, 'remove-member': 10_000 },
    { users: 1000, groups: 100, memberships: 10_000 },
  );

  it('every limit off: even removing everything passes', () => {
    expect(checkPlan(big, off)).toEqual({ allowed: true });
  });

  it.each([
    ['maxShare', { 'disable-user': 11 }, { users: 100 }],
    ['maxCount', { 'disable-user': 51 }, { users: 1000 }],
    ['maxGroupShare', { 'delete-group': 3 }, { groups: 20 }],
    ['maxGroupCount', { 'delete-group': 6 }, { groups: 100 }],
    ['maxMembershipShare', { 'remove-member': 101 }, { memberships: 1000 }],
    ['maxMembershipCount', { 'remove-member': 501 }, { memberships: 10_000 }],
  ] as const)('only %s off: the plan that crosses only it passes', (key, counts, synced) => {
    const plan = planOf(counts, synced);
    expect(held(plan)).toBe(true);
    expect(held(plan, { ...defaults, [key]: null })).toBe(false);
  });

  it('a limit of 0 holds any removal of that kind, and nothing else', () => {
    expect(held(planOf({ 'delete-group': 1 }, { groups: 1000 }), { ...off, maxGroupCount: 0 })).toBe(true);
    expect(held(planOf({ 'remove-member': 1 }, { memberships: 1000 }), { ...off, maxGroupCount: 0 })).toBe(false);
    expect(held(planOf({ 'create-user': 10, 'add-member': 10 }, {}), { ...off, maxCount: 0, maxShare: 0 })).toBe(false);
  });
});

describe('guard: confirmations of plans that mix kinds', () => {
  const mixed = planOf(
    { 'create-user': 3, 'disable-user': 60, 'delete-user': 2, 'delete-group': 6, 'add-member': 4, 'remove-member': 600 },
    { users: 1000, groups: 100, memberships: 10_000 },
  );
  // Spelled out rather than read from destructivePlanItemKinds, so a kind missing there fails here.
  const takesAway: readonly PlanItemKind[] = ['disable-user', 'delete-user', 'delete-group', 'remove-member'];
  const destructiveKeys = new Set(mixed.items.filter((i) => takesAway.includes(i.kind)).map(planItemKey));
  const confirmation = { runId: 'held-1', keys: destructiveKeys };

  it('the held plan says every count and every limit it crosses', () => {
    const verdict = checkPlan(mixed, defaults);
    expect(verdict).toMatchObject({ allowed: false, code: 'threshold-exceeded' });
    if (verdict.allowed) return;
    expect(verdict.crossed.map((c) => `${c.subject}:${c.by}`)).toEqual(['users:count', 'groups:count', 'memberships:count']);
    expect(verdict.message).toContain('disable 60 users and delete 2 users (6.2% of 1,000 synced users)');
    expect(verdict.message).toContain('delete 6 groups (6% of 100 synced groups)');
    expect(verdict.message).toContain('remove 600 memberships (6% of 10,000 synced memberships)');
    expect(verdict.message).toContain('users disabled or deleted: 62, more than the limit of 50 users');
    expect(verdict.message).toContain('groups deleted: 6, more than the limit of 5 groups');
    expect(verdict.message).toContain('memberships removed: 600, more than the limit of 500 memberships');
    expect(verdict.message).not.toMatch(/threshold-exceeded|\(\w+-\w+\)/);
  });

  it('names one crossed limit in the singular and several in the plural', () => {
    const one = checkPlan(planOf({ 'delete-group': 6 }, { groups: 100 }), defaults);
    const two = checkPlan(planOf({ 'delete-group': 6 }, { groups: 20 }), defaults);
    if (one.allowed || two.allowed) throw new Error('both plans should be held');
    expect(one.crossed).toHaveLength(1);
    expect(one.message).toContain('It crosses the safety limit: groups deleted');
    expect(two.crossed).toHaveLength(2);
    expect(two.message).toContain('It crosses the safety limits: groups deleted');
  });

  it('covers exactly the destructive items: the same plan passes once, bound to the run', () => {
    expect(checkPlan(mixed, defaults, confirmation)).toEqual({ allowed: true, confirmedRunId: 'held-1' });
  });

  it('a plan with fewer of the confirmed removals, or more creates and adds, still passes', () => {
    const fewer = planOf(
      { 'create-user': 50, 'disable-user': 55, 'delete-group': 6, 'add-member': 900, 'remove-member': 599 },
      { users: 1000, groups: 100, memberships: 10_000 },
    );
    expect(checkPlan(fewer, defaults, confirmation)).toEqual({ allowed: true, confirmedRunId: 'held-1' });
  });

  it.each(takesAway)('one more "%s" than confirmed: held again, and the message says which', (kind) => {
    const extra = planOf({ [kind]: 1 }, {}, 100_000).items[0]!;
    const worse: Plan = { ...mixed, items: [...mixed.items, extra] };
    const verdict = checkPlan(worse, defaults, confirmation);
    expect(verdict).toMatchObject({ allowed: false, code: 'confirmation-mismatch', unconfirmed: { [kind]: 1 } });
    if (verdict.allowed) return;
    expect(Object.values(verdict.unconfirmed!).reduce((a, b) => a + b, 0)).toBe(1);
    expect(verdict.message).toMatch(
      /It also has 1 (user|group|membership) to (disable|delete|remove) that were not in the plan you confirmed/,
    );
  });

  it('a confirmation of another run does not carry over to a plan of the same size', () => {
    const other = planOf(
      { 'disable-user': 60, 'delete-user': 2, 'delete-group': 6, 'remove-member': 600 },
      { users: 1000, groups: 100, memberships: 10_000 },
      5_000,
    );
    expect(checkPlan(other, defaults, confirmation)).toMatchObject({ allowed: false, code: 'confirmation-mismatch' });
  });
});

describe('guard on real plans', () => {
  const caps: TargetCapabilities = {
    canDisable: true,
    canDeleteUsers: true,
    canRenameUsers: true,
    canRenameGroups: true,
    canDeleteGroups: true,
    storesExternalId: true,
    maxConcurrency: 1,
  };
  const sourceUser = (id: string, accountEnabled = true): SourceUser => ({
    id,
    upn: `${id}@x.com`,
    mail: `${id}@x.com`,
    mailNickname: id,
    onPremisesSamAccountName: null,
    displayName: id,
    givenName: null,
    surname: null,
    accountEnabled,
    userType: 'Member',
  });
  const userIds = Array.from({ length: 100 }, (_, i) => `u${i}`);
  /** 40 jira-* groups of 25 members each, all synced already. */
  const groupIds = Array.from({ length: 40 }, (_, i) => `g${i}`);
  const membersOf = (g: number) => userIds.slice((g * 5) % 75, ((g * 5) % 75) + 25);
  const target = (): TargetState => ({
    capabilities: caps,
    users: new Map(
      userIds.map((id) => [
        id,
        {
          externalId: id,
          username: `${id}@x.com`,
          email: `${id}@x.com`,
          displayName: id,
          givenName: null,
          surname: null,
          active: true,
        },
      ]),
    ),
    groups: new Map(groupIds.map((id, g) => [id, { externalId: id, name: `jira-team-${g}`, description: null }])),
    members: new Map(groupIds.map((id, g) => [id, membersOf(g)])),
    unmanagedUsernames: new Set(),
    unmanagedGroupNames: new Set(),
  });
  const source = (options: { disabled?: number; gone?: number; keepMembers?: number } = {}) => {
    const s = emptySourceDirectory();
    userIds.forEach((id, i) => {
      if (i >= 100 - (options.gone ?? 0)) return;
      s.users.set(id, sourceUser(id, i >= (options.disabled ?? 0)));
    });
    groupIds.forEach((id, g) => {
      s.groups.set(id, { id, displayName: `jira-team-${g}`, description: null });
      s.members.set(id, membersOf(g).slice(0, options.keepMembers ?? 25));
    });
    return s;
  };
  const namePattern = (pattern: string) =>
    policyWith({ groups: { scope: 'namePattern', namePattern: pattern, membership: 'direct' } });

  it('holds a group-name pattern typo (jria-*) that would delete all 40 synced groups', () => {
    const typo = createPlan(source(), target(), namePattern('jria-*'));
    expect(typo.counts['delete-group']).toBe(40);
    expect(typo.risk).toMatchObject({ syncedGroups: 40, deletingGroups: 40, groupShare: 1 });
    const verdict = checkPlan(typo, policyWith({}).safety);
    expect(verdict).toMatchObject({ allowed: false, code: 'threshold-exceeded' });
    if (!verdict.allowed)
      expect(verdict.message).toContain('groups deleted: 40 (100% of synced groups), more than the limits of 5 groups and 10%');
    expect(checkPlan(createPlan(source(), target(), namePattern('jira-*')), policyWith({}).safety)).toEqual({ allowed: true });
  });

  it("the users' share counts those disabled in Entra and those deleted as leavers", () => {
    const policy = policyWith({ cleanup: { leavers: 'delete', vanishedGroups: 'delete' } });
    const plan = createPlan(source({ disabled: 6, gone: 5 }), target(), policy);
    expect(plan.risk).toMatchObject({ syncedUsers: 100, disabling: 6, deleting: 5, share: 0.11 });
    expect(checkPlan(plan, policy.safety).allowed).toBe(false);
    expect(checkPlan(createPlan(source({ disabled: 5, gone: 5 }), target(), policy), policy.safety).allowed).toBe(true);
  });

  it('measures removed memberships against every membership the sync manages', () => {
    // 40 groups × 25 = 1,000 memberships; keeping 22 of 25 removes 120 (12%), keeping 23 removes 80 (8%).
    const over = createPlan(source({ keepMembers: 22 }), target(), policyWith({}));
    expect(over.risk).toMatchObject({ syncedMemberships: 1000, removingMembers: 120, membershipShare: 0.12 });
    expect(checkPlan(over, policyWith({}).safety).allowed).toBe(false);
    expect(checkPlan(createPlan(source({ keepMembers: 23 }), target(), policyWith({})), policyWith({}).safety).allowed).toBe(
      true,
    );
  });
});
