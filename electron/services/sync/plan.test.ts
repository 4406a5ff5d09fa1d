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

describe('plan: what the target cannot do, and the details a run relies on', () => {
  const group = (id: string, name: string, description: string | null = null) => ({ externalId: id, name, description });

  it('enables a re-enabled user and disables a disabled one, or warns by name when the target cannot', () => {
    const s = source([user('on', 'on@x.com'), user('off', 'off@x.com', { accountEnabled: false })]);
    const users = new Map([
      ['on', targetUser('on', 'on@x.com', false)],
      ['off', targetUser('off', 'off@x.com')],
    ]);
    const plan = createPlan(s, emptyTarget({ users }), policyWith({}));
    expect(plan.items).toEqual([
      {
        kind: 'enable-user',
        externalId: 'on',
        username: 'on@x.com',
        reason: expect.objectContaining({ code: 'enabled-in-entra' }),
      },
      {
        kind: 'disable-user',
        externalId: 'off',
        username: 'off@x.com',
        reason: expect.objectContaining({ code: 'disabled-in-entra' }),
      },
    ]);
    const gone = targetUser('gone', 'gone@x.com');
    const cannot = createPlan(
      s,
      emptyTarget({ capabilities: { ...caps, canDisable: false }, users: new Map([...users, ['gone', gone]]) }),
      policyWith({}),
    );
    expect(kinds(cannot.items)).toEqual(['enable-user:on']);
    expect(cannot.warnings).toEqual([
      {
        code: 'disable-unsupported',
        externalId: 'off',
        message: 'off@x.com is disabled in Entra but the target cannot deactivate users.',
      },
      {
        code: 'disable-unsupported',
        externalId: 'gone',
        message: 'gone@x.com left scope but the target cannot deactivate users.',
      },
    ]);
  });

  it('keeps the old name when the target cannot rename, says so, and still updates the other fields', () => {
    const s = source([user('u1', 'new@x.com', { displayName: 'New Name' })], { g1: [] });
    s.groups.set('g1', { id: 'g1', displayName: 'Renamed', description: '  About  ' });
    const target = emptyTarget({
      capabilities: { ...caps, canRenameUsers: false, canRenameGroups: false },
      users: new Map([['u1', targetUser('u1', 'old@x.com')]]),
      groups: new Map([['g1', group('g1', 'Old')]]),
    });
    const plan = createPlan(s, target, policyWith({}));
    expect(plan.warnings.map((w) => [w.code, w.message])).toEqual([
      ['rename-unsupported', 'The target cannot rename old@x.com to new@x.com.'],
      ['group-rename-unsupported', 'The target cannot rename group Old to Renamed.'],
    ]);
    expect(plan.items).toEqual([
      expect.objectContaining({ kind: 'update-group', name: 'Old', after: { description: 'About' } }),
      expect.objectContaining({
        kind: 'update-user',
        username: 'old@x.com',
        after: { email: 'new@x.com', displayName: 'New Name' },
      }),
    ]);
    const renamed = createPlan(s, emptyTarget({ groups: new Map([['g1', group('g1', 'Old', 'About')]]) }), policyWith({}));
    expect(renamed.items[0]).toMatchObject({
      kind: 'update-group',
      after: { name: 'Renamed' },
      reason: { code: 'group-renamed', message: 'Changed in Entra: name.' },
    });
  });

  it('compares only the fields the target stores', () => {
    const s = source([user('u1', 'a@x.com', { displayName: 'Changed', givenName: 'G' })], { g1: [] });
    s.groups.set('g1', { id: 'g1', displayName: 'Group g1', description: 'new text' });
    const target = emptyTarget({
      capabilities: { ...caps, userFields: ['username', 'email'], groupFields: ['name'] },
      users: new Map([['u1', targetUser('u1', 'a@x.com')]]),
      groups: new Map([['g1', group('g1', 'Group g1', 'old text')]]),
    });
    expect(createPlan(s, target, policyWith({})).items).toEqual([]);
    const all = createPlan(s, emptyTarget({ users: target.users, groups: target.groups }), policyWith({}));
    expect(kinds(all.items)).toEqual(['update-group:g1', 'update-user:u1']);
    // Only the description changed: no rename, so nothing to warn about, and the reason names that field.
    expect(all.warnings).toEqual([]);
    expect(all.items[0]!.reason).toEqual({ code: 'group-renamed', message: 'Changed in Entra: description.' });
  });

  it('reports a user without the mapped attribute and leaves their account alone (not a leaver)', () => {
    const s = source([user('u1', 'a@x.com')]);
    const target = emptyTarget({ users: new Map([['u1', targetUser('u1', 'a@x.com')]]) });
    const plan = createPlan(s, target, policyWith({ mapping: { username: 'onPremisesSamAccountName' } }));
    expect(plan.items).toEqual([]);
    expect(plan.conflicts).toMatchObject([
      {
        code: 'username-missing',
        kind: 'user',
        name: 'a@x.com',
        externalIds: ['u1'],
        message: 'a@x.com has no onPremisesSamAccountName, so no username can be derived; the user is not synced.',
      },
    ]);
  });

  it('lets a deleted leaver free its name for a new user, but not a disabled one', () => {
    const s = source([user('new', 'a@x.com')]);
    const target = emptyTarget({ users: new Map([['old', targetUser('old', 'a@x.com')]]) });
    expect(kinds(createPlan(s, target, policyWith({ cleanup: { leavers: 'delete' } })).items)).toEqual([
      'delete-user:old', // first: the new user takes its name
      'create-user:new',
    ]);
    const disabled = createPlan(s, target, policyWith({}));
    expect(kinds(disabled.items)).toEqual(['disable-user:old']);
    expect(disabled.conflicts).toHaveLength(1);
    const cannotDelete = createPlan(
      s,
      emptyTarget({ ...target, capabilities: { ...caps, canDeleteUsers: false } }),
      policyWith({ cleanup: { leavers: 'delete' } }),
    );
    expect(kinds(cannotDelete.items)).toEqual(['disable-user:old']);
  });

  it('warns about a required group missing in Entra only when a scope uses required groups', () => {
    const s = source([user('u1', 'a@x.com')], { top: ['u1'] });
    const required = { scope: 'requiredGroups' as const, requiredGroupIds: ['top', 'lost'] };
    expect(createPlan(s, emptyTarget(), policyWith({ users: required })).warnings).toEqual([
      { code: 'required-group-missing', externalId: 'lost', message: 'Required group lost was not found in Entra.' },
    ]);
    expect(createPlan(s, emptyTarget(), policyWith({ users: { ...required, scope: 'all' } })).warnings).toEqual([]);
    const byGroups = policyWith({ users: { ...required, scope: 'all' }, groups: { scope: 'requiredGroups' } });
    expect(createPlan(s, emptyTarget(), byGroups).warnings.map((w) => w.externalId)).toEqual(['lost']);
  });

  it('deletes vanished groups last, except one whose name a new group wants: that one goes first', () => {
    const s = source([], { fresh: [], moved: [] });
    s.groups.set('fresh', { id: 'fresh', displayName: 'Team', description: null });
    s.groups.set('moved', { id: 'moved', displayName: 'Ops', description: null });
    s.users.set('u1', user('u1', 'a@x.com'));
    const target = emptyTarget({
      groups: new Map([
        ['old-team', group('old-team', 'team')],
        ['moved', group('moved', 'Moved before')],
        ['old-ops', group('old-ops', 'Ops')],
        ['other', group('other', 'Other')],
      ]),
    });
    const plan = createPlan(s, target, policyWith({}));
    expect(kinds(plan.items)).toEqual([
      'delete-group:old-team',
      'delete-group:old-ops',
      'create-group:fresh',
      'update-group:moved',
      'create-user:u1',
      'delete-group:other',
    ]);
    expect(plan.counts['delete-group']).toBe(3);
    // The name-freeing deletes count as deletes, and only there.
    expect(plan.counts).toMatchObject({ 'create-group': 1, 'update-group': 1, 'create-user': 1, 'delete-group': 3 });
    expect(Object.values(plan.counts).reduce((a, b) => a + b, 0)).toBe(plan.items.length);
    expect(plan.items[0]).toMatchObject({ name: 'team', reason: { code: 'group-vanished', message: 'Deleted in Entra.' } });
    for (const policy of [policyWith({ cleanup: { vanishedGroups: 'keep' } }), policyWith({})]) {
      const t =
        policy.cleanup.vanishedGroups === 'keep'
          ? target
          : emptyTarget({ ...target, capabilities: { ...caps, canDeleteGroups: false } });
      const kept = createPlan(s, t, policy);
      expect(kinds(kept.items).filter((k) => k.startsWith('delete-group'))).toEqual([]);
      expect(kept.counts['delete-group']).toBe(0);
    }
  });

  it('diffs interleaved memberships exactly and counts a duplicate member once', () => {
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'].map((id) => user(id, `${id}@x.com`));
    const s = source(users, { g1: ['u2', 'u3', 'u5', 'u5'] });
    const target = emptyTarget({
      users: new Map(users.map((u) => [u.id, targetUser(u.id, u.upn)])),
      groups: new Map([['g1', group('g1', 'Group g1')]]),
      members: new Map([['g1', ['u1', 'u3', 'u4', 'u1']]]),
    });
    const plan = createPlan(s, target, policyWith({}));
    expect(kinds(plan.items)).toEqual(['add-member:g1:u2', 'add-member:g1:u5', 'remove-member:g1:u1', 'remove-member:g1:u4']);
    expect(plan.items.map((i) => i.reason.code)).toEqual([
      'membership-added',
      'membership-added',
      'membership-removed',
      'membership-removed',
    ]);
    expect(plan.scope.membershipsInScope).toBe(3);
    expect(plan.risk.syncedMemberships).toBe(4);
  });

  it('yields about every thousand objects of work, never going back (the progress shows it)', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => user(`u${i}`, `u${i}@x.com`));
    const s = source(users, { g: users.map((u) => u.id) });
    const steps = planSteps(s, emptyTarget(), policyWith({}));
    const yielded: number[] = [];
    let step = steps.next();
    while (!step.done) {
      yielded.push(step.value);
      step = steps.next();
    }
    expect(yielded).toEqual([...yielded].sort((a, b) => a - b));
    // 10,000 users, one group of all of them: 72 yields, about one per 1,024 objects a loop goes through (the
    // bulk steps count their work at once). Far fewer blocks the event loop; far more slows planning down.
    expect(yielded.length).toBeGreaterThanOrEqual(68);
    expect(yielded.length).toBeLessThanOrEqual(80);
  });

  it('yields while it walks the users the target already holds, even when none left (a delta after a full sync)', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => user(`u${i}`, `u${i}@x.com`));
    // The target's users, counting how many of them any walk over the map has gone through.
    let walked = 0;
    const counted = <T>(it: IterableIterator<T>): IterableIterator<T> => ({
      next: () => {
        walked++;
        return it.next();
      },
      [Symbol.iterator]() {
        return this;
      },
    });
    class CountingMap extends Map<string, TargetUserState> {
      override values() {
        return counted(super.values());
      }
      override entries() {
        return counted(super.entries());
      }
      override [Symbol.iterator]() {
        return this.entries();
      }
    }
    const held = new CountingMap(users.map((u) => [u.id, targetUser(u.id, u.mailNickname!)]));
    const steps = planSteps(source(users), emptyTarget({ users: held }), policyWith({}));
    let most = 0;
    for (let before = walked; !steps.next().done; before = walked) most = Math.max(most, walked - before);
    // Every held user is still wanted, so the leavers pass skips each one; skipped or not, each counts as work, or
    // 100k users went by in one slice of the event loop (60 ms of a cold delta's planning).
    expect(walked).toBeGreaterThanOrEqual(10_000);
    expect(most).toBeLessThanOrEqual(2_100);
  });
  it('frees a vanished group’s name for a new group only when vanished groups are deleted and the target can delete', () => {
    const s = source([], { fresh: [] });
    s.groups.set('fresh', { id: 'fresh', displayName: 'Team', description: null });
    const held = emptyTarget({ groups: new Map([['old-team', group('old-team', 'Team')]]) });
    const freed = createPlan(s, held, policyWith({}));
    expect(kinds(freed.items)).toEqual(['delete-group:old-team', 'create-group:fresh']);
    expect(freed.conflicts).toEqual([]);
    const kept = [
      createPlan(s, held, policyWith({ cleanup: { vanishedGroups: 'keep' } })),
      createPlan(s, emptyTarget({ ...held, capabilities: { ...caps, canDeleteGroups: false } }), policyWith({})),
    ];
    for (const plan of kept) {
      // The old group stays and keeps its name: the new one is reported, not created (its create would fail).
      expect(plan.items).toEqual([]);
      expect(plan.conflicts).toMatchObject([{ code: 'group-name-taken', kind: 'group', externalIds: ['fresh', 'old-team'] }]);
      expect(plan.scope.groupsInScope).toBe(0);
    }
  });

  it('says which fields of a group changed in Entra, all of them', () => {
    const s = source([], { g1: [] });
    s.groups.set('g1', { id: 'g1', displayName: 'Renamed', description: 'New text' });
    const plan = createPlan(s, emptyTarget({ groups: new Map([['g1', group('g1', 'Old', 'Old text')]]) }), policyWith({}));
    expect(plan.items).toEqual([
      expect.objectContaining({
        kind: 'update-group',
        after: { name: 'Renamed', description: 'New text' },
        reason: { code: 'group-renamed', message: 'Changed in Entra: name, description.' },
      }),
    ]);
    expect(plan.scope.groupsInScope).toBe(1);
  });

  /** Runs the planner step by step and returns what it yielded. */
  const yieldsOf = (s: MutableSourceDirectory, target: TargetState): number[] => {
    const steps = planSteps(s, target, policyWith({}));
    const yielded: number[] = [];
    for (let step = steps.next(); !step.done; step = steps.next()) yielded.push(step.value);
    return yielded;
  };
  const increasing = (values: readonly number[]) => values.every((v, k) => k === 0 || v > values[k - 1]!);

  it('yields about every thousand groups, moving on at every yield (10,000 groups and no users)', () => {
    const s = source([]);
    for (let k = 0; k < 10_000; k++) {
      s.groups.set(`g${k}`, { id: `g${k}`, displayName: `Group ${k}`, description: null });
      s.members.set(`g${k}`, []);
    }
    const yielded = yieldsOf(s, emptyTarget());
    // Each yield shows more work done than the one before: never back, never standing still.
    expect(increasing(yielded)).toBe(true);
    // 71 yields: about one per 1,024 objects each pass goes through (the groups read, their names resolved, the
    // groups planned, their memberships compared; the bulk steps count their work at once). Without the yields of
    // any one pass, a group-heavy tenant blocks the event loop; yielding per group slows planning down.
    expect(yielded.length).toBeGreaterThanOrEqual(66);
    expect(yielded.length).toBeLessThanOrEqual(76);
  });

  it('yields about every thousand held users and memberships in a delta that removes every membership', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => user(`u${i}`, `u${i}@x.com`));
    const s = source(users, { g: [] });
    const target = emptyTarget({
      users: new Map(users.map((u) => [u.id, targetUser(u.id, u.upn)])),
      groups: new Map([['g', group('g', 'Group g')]]),
      members: new Map([['g', users.map((u) => u.id)]]),
    });
    const yielded = yieldsOf(s, target);
    expect(increasing(yielded)).toBe(true);
    // 90 yields: the users mapped, their names resolved, the wanted and the held ones walked, the 10,000 removals.
    expect(yielded.length).toBeGreaterThanOrEqual(85);
    expect(yielded.length).toBeLessThanOrEqual(95);
  });
});
