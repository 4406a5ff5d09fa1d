import { describe, expect, it } from 'vitest';
import { planItemKey, type PlanItem, type SourceUser } from '../../../shared/sync';
import type { TargetCapabilities } from '../targets/directory-target';
import { emptySourceDirectory, type MutableSourceDirectory, type TargetState, type TargetUserState } from './model';
import { createPlan, planSteps } from './plan';
import { policyWith } from './test-support';

const caps: TargetCapabilities = {
  canDisable: true,
  canDeleteUsers: true,
  canRenameUsers: true,
  canRenameGroups: true,
  canDeleteGroups: true,
  storesExternalId: true,
  maxConcurrency: 1,
};

function user(id: string, upn: string, extra: Partial<SourceUser> = {}): SourceUser {
  return {
    id,
    upn,
    mail: upn,
    mailNickname: upn.split('@')[0]!,
    onPremisesSamAccountName: null,
    displayName: id.toUpperCase(),
    givenName: null,
    surname: null,
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

function source(users: SourceUser[], groups: Record<string, string[]> = {}): MutableSourceDirectory {
  const s = emptySourceDirectory();
  for (const u of users) s.users.set(u.id, u);
  for (const [id, members] of Object.entries(groups)) {
    s.groups.set(id, { id, displayName: `Group ${id}`, description: null });
    s.members.set(id, [...members]);
  }
  return s;
}

function emptyTarget(overrides: Partial<TargetState> = {}): TargetState {
  return {
    capabilities: caps,
    users: new Map(),
    groups: new Map(),
    members: new Map(),
    unmanagedUsernames: new Set(),
    unmanagedGroupNames: new Set(),
    ...overrides,
  };
}

function targetUser(id: string, username: string, active = true): TargetUserState {
  return { externalId: id, username, email: username, displayName: id.toUpperCase(), givenName: null, surname: null, active };
}

const kinds = (items: readonly PlanItem[]) => items.map((i) => planItemKey(i));

describe('plan', () => {
  it('creates groups before users before memberships and reports counts', () => {
    const plan = createPlan(
      source([user('u1', 'a@x.com'), user('u2', 'b@x.com')], { g1: ['u1', 'u2'] }),
      emptyTarget(),
      policyWith({}),
    );
    expect(kinds(plan.items)).toEqual([
      'create-group:g1',
      'create-user:u1',
      'create-user:u2',
      'add-member:g1:u1',
      'add-member:g1:u2',
    ]);
    expect(plan.counts['create-user']).toBe(2);
    expect(plan.risk.share).toBe(0);
  });

  it('keys users by Entra id: a changed UPN is an update, not a new account', () => {
    const plan = createPlan(
      source([user('u1', 'new@x.com')]),
      emptyTarget({ users: new Map([['u1', targetUser('u1', 'old@x.com')]]) }),
      policyWith({}),
    );
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]).toMatchObject({
      kind: 'update-user',
      before: { username: 'old@x.com', email: 'old@x.com' },
      after: { username: 'new@x.com', email: 'new@x.com' },
    });
  });

  it('says a rename comes from the username rule when the old name is what another rule still derives', () => {
    const entra = user('u1', 'alice@x.com', { mailNickname: 'ally', displayName: 'Alice New' });
    const held = emptyTarget({
      users: new Map([['u1', { ...targetUser('u1', 'alice@x.com'), email: 'alice@x.com', displayName: 'U1' }]]),
    });
    const byRule = createPlan(source([entra]), held, policyWith({ mapping: { username: 'mailNickname' } }));
    expect(byRule.items[0]).toMatchObject({ kind: 'update-user', after: { username: 'ally' } });
    expect(byRule.items[0]!.reason.code).toBe('mapping-changed');
    expect(byRule.items[0]!.reason.message).toBe(
      'Sync settings: username rule changed (now from the mail nickname, lower-cased). Changed in Entra: displayName.',
    );
    // The same rename with the rule unchanged is a change in Entra.
    const inEntra = createPlan(source([user('u1', 'new@x.com')]), held, policyWith({}));
    expect(inEntra.items[0]!.reason).toMatchObject({ code: 'attributes-changed' });
    expect(inEntra.items[0]!.reason.message).toMatch(/^Changed in Entra: username, email/);
  });

  it('reports two users mapping to one username and syncs neither, or only the one already holding it', () => {
    const s = source([user('u1', 'sam@a.com'), user('u2', 'sam@b.com')]);
    const policy = policyWith({ mapping: { username: 'upnLocalPart' } });
    const fresh = createPlan(s, emptyTarget(), policy);
    expect(fresh.items).toEqual([]);
    expect(fresh.conflicts).toMatchObject([{ code: 'username-conflict', name: 'sam', externalIds: ['u1', 'u2'] }]);
    const held = createPlan(s, emptyTarget({ users: new Map([['u2', targetUser('u2', 'sam')]]) }), policy);
    expect(held.items.filter((i) => i.kind !== 'update-user')).toEqual([]);
    expect(held.conflicts[0]?.message).toContain('u2');
  });

  it('does not let a new user take a name an unmanaged or kept account holds', () => {
    const s = source([user('u1', 'admin@x.com')]);
    const plan = createPlan(s, emptyTarget({ unmanagedUsernames: new Set(['admin@x.com']) }), policyWith({}));
    expect(plan.items).toEqual([]);
    expect(plan.conflicts[0]).toMatchObject({ code: 'username-taken' });
  });

  it('applies the leaver policy: disable (default), delete, keep', () => {
    const target = emptyTarget({ users: new Map([['gone', targetUser('gone', 'gone@x.com')]]) });
    const s = source([]);
    expect(kinds(createPlan(s, target, policyWith({})).items)).toEqual(['disable-user:gone']);
    expect(kinds(createPlan(s, target, policyWith({ cleanup: { leavers: 'delete' } })).items)).toEqual(['delete-user:gone']);
    expect(createPlan(s, target, policyWith({ cleanup: { leavers: 'keep' } })).items).toEqual([]);
    expect(createPlan(s, target, policyWith({})).risk).toMatchObject({ syncedUsers: 1, disabling: 1, share: 1 });
  });

  it('leaves memberships of users outside the scope alone and removes those of in-scope users', () => {
    const s = source([user('u1', 'a@x.com')], { g1: [] });
    const target = emptyTarget({
      users: new Map([
        ['u1', targetUser('u1', 'a@x.com')],
        ['u2', targetUser('u2', 'b@x.com', false)],
      ]),
      groups: new Map([['g1', { externalId: 'g1', name: 'Group g1', description: null }]]),
      members: new Map([['g1', ['u1', 'u2']]]),
    });
    expect(kinds(createPlan(s, target, policyWith({})).items)).toEqual(['remove-member:g1:u1']);
  });

  it('resolves nested required groups, drops guests and disabled accounts when asked', () => {
    const s = source(
      [
        user('u1', 'a@x.com'),
        user('u2', 'b@x.com'),
        user('g', 'g_y.com#EXT#@x.com', { userType: 'Guest' }),
        user('d', 'd@x.com', { accountEnabled: false }),
        user('out', 'o@x.com'),
      ],
      { top: ['u1', 'mid'], mid: ['u2', 'g', 'd', 'top', 'device-1'] },
    );
    const base = { users: { scope: 'requiredGroups' as const, requiredGroupIds: ['top'] } };
    const plan = createPlan(s, emptyTarget(), policyWith(base));
    expect(plan.items.filter((i) => i.kind === 'create-user').map((i) => i.kind === 'create-user' && i.externalId)).toEqual([
      'u1',
      'u2',
      'g',
      'd',
    ]);
    expect(plan.items.find((i) => i.kind === 'create-user' && i.externalId === 'd')).toMatchObject({ active: false });
    const strict = createPlan(
      s,
      emptyTarget(),
      policyWith({ users: { ...base.users, guests: 'exclude', disabledAccounts: 'exclude' } }),
    );
    expect(strict.scope.usersInScope).toBe(2);
    // The device member and the nested group itself never become target members.
    expect(kinds(strict.items).filter((k) => k.startsWith('add-member'))).toEqual(['add-member:top:u1', 'add-member:mid:u2']);
  });

  it('selects groups by name pattern and can flatten nested membership', () => {
    const s = source([user('u1', 'a@x.com'), user('u2', 'b@x.com')], { jira: ['u1', 'sub'], sub: ['u2'] });
    s.groups.set('jira', { id: 'jira', displayName: 'jira-users', description: null });
    s.groups.set('sub', { id: 'sub', displayName: 'Confluence', description: null });
    const plan = createPlan(
      s,
      emptyTarget(),
      policyWith({ groups: { scope: 'namePattern', namePattern: 'JIRA-*, nothing', membership: 'flatten' } }),
    );
    expect(kinds(plan.items).filter((k) => !k.startsWith('create-user'))).toEqual([
      'create-group:jira',
      'add-member:jira:u1',
      'add-member:jira:u2',
    ]);
  });

  it('maps e-mail with a fallback, never to a guest UPN', () => {
    const s = source([user('u1', 'a@x.com', { mail: null }), user('g', 'g_y.com#EXT#@x.com', { mail: null, userType: 'Guest' })]);
    const plan = createPlan(s, emptyTarget(), policyWith({}));
    const emails = plan.items.map((i) => (i.kind === 'create-user' ? i.after.email : undefined));
    expect(emails).toEqual(['a@x.com', null]);
  });

  it('turns a missing capability into a warning instead of an item', () => {
    const target = emptyTarget({
      capabilities: { ...caps, canDisable: false },
      users: new Map([['gone', targetUser('gone', 'gone@x.com')]]),
    });
    const plan = createPlan(source([]), target, policyWith({}));
    expect(plan.items).toEqual([]);
    expect(plan.warnings[0]?.code).toBe('disable-unsupported');
  });

  it('yields while planning and returns the same plan', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => user(`u${i}`, `u${i}@x.com`));
    const s = source(users, { g: users.map((u) => u.id) });
    const steps = planSteps(s, emptyTarget(), policyWith({}));
    let yields = 0;
    let step = steps.next();
    while (!step.done) {
      yields++;
      step = steps.next();
    }
    expect(yields).toBeGreaterThan(3);
    expect(step.value.items).toEqual(createPlan(s, emptyTarget(), policyWith({})).items);
  });
});
