import { describe, expect, it } from 'vitest';
import { entraObjectUrl, overrideProblem, shortId } from '../../../shared/name-rules';
import type { PlanItem, SourceUser } from '../../../shared/sync';
import type { TargetCapabilities } from '../targets/directory-target';
import { emptySourceDirectory, type MutableSourceDirectory, type TargetState } from './model';
import { createPlan } from './plan';
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

const idA = '5a1b2c3d-0000-4000-8000-000000000001';
const idB = '9f8e7d6c-0000-4000-8000-000000000002';
const idC = '0c0c0c0c-0000-4000-8000-000000000003';

function user(id: string, upn: string): SourceUser {
  const local = upn.split('@')[0]!;
  return {
    id,
    upn,
    mail: upn,
    mailNickname: local,
    onPremisesSamAccountName: null,
    displayName: `User ${local}`,
    givenName: null,
    surname: null,
    accountEnabled: true,
    userType: 'Member',
  };
}

/** Two groups named "Marketing" (A with u1, B with u1 and u2) and one "Sales". */
function tenant(): MutableSourceDirectory {
  const s = emptySourceDirectory();
  s.users.set('u1', user('u1', 'sam@a.com'));
  s.users.set('u2', user('u2', 'sam@b.com'));
  s.groups.set(idA, { id: idA, displayName: 'Marketing', description: 'Marketing EMEA' });
  s.groups.set(idB, { id: idB, displayName: 'Marketing', description: null });
  s.groups.set(idC, { id: idC, displayName: 'Sales', description: null });
  s.members.set(idA, ['u1']);
  s.members.set(idB, ['u1', 'u2']);
  s.members.set(idC, []);
  return s;
}

function target(overrides: Partial<TargetState> = {}): TargetState {
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

const createdGroups = (items: readonly PlanItem[]) =>
  items.flatMap((i) => (i.kind === 'create-group' ? [`${i.externalId.slice(0, 1)}:${i.after.name}`] : [])).sort();
const createdUsers = (items: readonly PlanItem[]) =>
  items.flatMap((i) => (i.kind === 'create-user' ? [`${i.externalId}:${i.after.username}`] : [])).sort();

describe('name rules and overrides in the planner', () => {
  it('skips both groups of a duplicate name by default, and tells them apart in the conflict', () => {
    const plan = createPlan(tenant(), target(), policyWith({}));
    expect(createdGroups(plan.items)).toEqual(['0:Sales']);
    const conflict = plan.conflicts.find((c) => c.code === 'group-name-conflict')!;
    expect(conflict).toMatchObject({ kind: 'group', name: 'marketing', externalIds: [idA, idB] });
    expect(conflict.keeperId).toBeUndefined();
    expect(conflict.objects).toEqual([
      { id: idA, displayName: 'Marketing', detail: 'Marketing EMEA', memberCount: 1 },
      { id: idB, displayName: 'Marketing', detail: null, memberCount: 2 },
    ]);
    expect(conflict.message).toContain('Sync settings → Name conflicts');
    expect(conflict.message).not.toContain('mapping');
  });

  it('without the rule, the group already holding the name keeps it and is named as the keeper', () => {
    const held = target({ groups: new Map([[idB, { externalId: idB, name: 'Marketing', description: null }]]) });
    const plan = createPlan(tenant(), held, policyWith({}));
    expect(createdGroups(plan.items)).toEqual(['0:Sales']);
    expect(plan.conflicts).toMatchObject([{ code: 'group-name-conflict', keeperId: idB, externalIds: [idA, idB] }]);
  });

  it('appends a short id to every duplicate under the rule, and creates both', () => {
    const plan = createPlan(tenant(), target(), policyWith({ names: { duplicateGroups: 'appendShortId' } }));
    expect(plan.conflicts).toEqual([]);
    expect(createdGroups(plan.items)).toEqual(['0:Sales', '5:Marketing (5a1b2c3d)', '9:Marketing (9f8e7d6c)']);
    // Memberships follow the new names.
    const adds = plan.items.filter((i) => i.kind === 'add-member' && i.groupExternalId === idB);
    expect(adds.map((i) => (i.kind === 'add-member' ? i.groupName : ''))).toEqual([
      'Marketing (9f8e7d6c)',
      'Marketing (9f8e7d6c)',
    ]);
  });

  it('under the rule, lets the group already holding the plain name keep it (no rename)', () => {
    const held = target({ groups: new Map([[idB, { externalId: idB, name: 'Marketing', description: null }]]) });
    const plan = createPlan(tenant(), held, policyWith({ names: { duplicateGroups: 'appendShortId' } }));
    expect(plan.conflicts).toEqual([]);
    expect(createdGroups(plan.items)).toEqual(['0:Sales', '5:Marketing (5a1b2c3d)']);
    expect(plan.items.some((i) => i.kind === 'update-group')).toBe(false);
  });

  it('gives a group the name set for it, which resolves the duplicate', () => {
    const plan = createPlan(tenant(), target(), policyWith({ names: { groupOverrides: { [idA]: '  Marketing EMEA ' } } }));
    expect(plan.conflicts).toEqual([]);
    expect(createdGroups(plan.items)).toEqual(['0:Sales', '5:Marketing EMEA', '9:Marketing']);
  });

  it('renames a synced group to its override and says the settings did it', () => {
    const held = target({ groups: new Map([[idC, { externalId: idC, name: 'Sales', description: null }]]) });
    const plan = createPlan(tenant(), held, policyWith({ names: { groupOverrides: { [idC]: 'Sales DE' } } }));
    const update = plan.items.find((i) => i.kind === 'update-group')!;
    expect(update).toMatchObject({ externalId: idC, after: { name: 'Sales DE' }, reason: { code: 'mapping-changed' } });
  });

  it('never lets a group override take a name another group wants: the override loses', () => {
    const plan = createPlan(
      tenant(),
      target(),
      policyWith({ names: { groupOverrides: { [idA]: 'sales', [idB]: 'Marketing B' } } }),
    );
    expect(createdGroups(plan.items)).toEqual(['0:Sales', '9:Marketing B']);
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.conflicts[0]).toMatchObject({ code: 'override-conflict', kind: 'group', name: 'sales', externalIds: [idA, idC] });
    expect(plan.conflicts[0]!.message).toContain('Sync settings → Name conflicts');
  });

  it('never lets a group override take a name an unmanaged group holds', () => {
    const held = target({ unmanagedGroupNames: new Set(['jira-administrators']) });
    const plan = createPlan(tenant(), held, policyWith({ names: { groupOverrides: { [idA]: 'Jira-Administrators' } } }));
    expect(plan.conflicts.map((c) => c.code)).toContain('override-conflict');
    expect(createdGroups(plan.items)).toEqual(['0:Sales', '9:Marketing']);
  });

  it('gives a user the username set for them (lower-cased like the mapping), which resolves a username conflict', () => {
    const policy = policyWith({ mapping: { username: 'upnLocalPart' }, names: { usernameOverrides: { u2: 'Sam.B' } } });
    const plan = createPlan(tenant(), target(), policy);
    expect(plan.conflicts.filter((c) => c.kind === 'user')).toEqual([]);
    expect(createdUsers(plan.items)).toEqual(['u1:sam', 'u2:sam.b']);
  });

  it('never lets a username override take a username another user has: the override loses, the other keeps it', () => {
    const s = tenant();
    s.users.set('u3', user('u3', 'kim@a.com'));
    const policy = policyWith({ mapping: { username: 'upn' }, names: { usernameOverrides: { u3: 'SAM@a.com' } } });
    const plan = createPlan(s, target(), policy);
    expect(createdUsers(plan.items)).toEqual(['u1:sam@a.com', 'u2:sam@b.com']);
    const users = plan.conflicts.filter((c) => c.kind === 'user');
    expect(users).toMatchObject([{ code: 'override-conflict', name: 'sam@a.com', externalIds: ['u3', 'u1'] }]);
    expect(users[0]!.objects).toEqual([
      { id: 'u3', displayName: 'User kim', detail: 'kim@a.com' },
      { id: 'u1', displayName: 'User sam', detail: 'sam@a.com' },
    ]);
  });

  it('a losing username override on a synced user keeps the user as they are (not treated as a leaver)', () => {
    const s = tenant();
    const held = target({
      users: new Map([
        [
          'u2',
          {
            externalId: 'u2',
            username: 'sam@b.com',
            email: 'sam@b.com',
            displayName: 'User sam',
            givenName: null,
            surname: null,
            active: true,
          },
        ],
      ]),
    });
    const plan = createPlan(s, held, policyWith({ names: { usernameOverrides: { u2: 'sam@a.com' } } }));
    expect(plan.items.filter((i) => 'externalId' in i && i.externalId === 'u2')).toEqual([]);
    expect(plan.conflicts.filter((c) => c.kind === 'user').map((c) => c.code)).toEqual(['override-conflict']);
  });

  it('renames a held user to the username set for them and says the settings did it; other changes are Entra’s', () => {
    const heldUser = (username: string) => ({
      externalId: 'u1',
      username,
      email: 'sam@a.com',
      displayName: 'User sam',
      givenName: null,
      surname: null,
      active: true,
    });
    const s = emptySourceDirectory();
    s.users.set('u1', user('u1', 'sam@a.com'));
    // Set with spaces around it (trimmed like a group's name) and upper case (lower-cased like the mapping).
    const policy = policyWith({ names: { usernameOverrides: { u1: '  Sam.Smith ' } } });
    const renamed = createPlan(s, target({ users: new Map([['u1', heldUser('sam@a.com')]]) }), policy);
    expect(renamed.items).toEqual([
      expect.objectContaining({
        kind: 'update-user',
        username: 'sam@a.com',
        after: { username: 'sam.smith' },
        reason: { code: 'mapping-changed', message: 'Sync settings: username set for this user (Name conflicts).' },
      }),
    ]);
    // Already under the name set: a display name changed in Entra is Entra's change, not the settings'.
    s.users.set('u1', { ...user('u1', 'sam@a.com'), displayName: 'Sam Smith' });
    const changed = createPlan(s, target({ users: new Map([['u1', heldUser('sam.smith')]]) }), policy);
    expect(changed.items).toEqual([
      expect.objectContaining({
        kind: 'update-user',
        after: { displayName: 'Sam Smith' },
        reason: expect.objectContaining({ code: 'attributes-changed' }),
      }),
    ]);
  });

  it('says whether a held group was renamed by the name set for it or by the duplicate name rule', () => {
    const held = target({
      groups: new Map([
        [idB, { externalId: idB, name: 'Old B', description: null }],
        [idC, { externalId: idC, name: 'Sales', description: null }],
      ]),
    });
    const policy = policyWith({ names: { duplicateGroups: 'appendShortId', groupOverrides: { [idC]: 'Sales DE' } } });
    const plan = createPlan(tenant(), held, policy);
    const updates = plan.items.flatMap((i) => (i.kind === 'update-group' ? [[i.externalId, i.after.name, i.reason]] : []));
    expect(updates).toEqual([
      [
        idB,
        'Marketing (9f8e7d6c)',
        { code: 'mapping-changed', message: 'Sync settings: duplicate group names get a short id (Name conflicts).' },
      ],
      [idC, 'Sales DE', { code: 'mapping-changed', message: 'Sync settings: name set for this group (Name conflicts).' }],
    ]);
    expect(plan.scope.groupsInScope).toBe(3);
    // Under the name set already, a description changed in Entra is Entra's change.
    const s = tenant();
    s.groups.set(idC, { id: idC, displayName: 'Sales', description: 'Sales DACH' });
    const underName = target({ groups: new Map([[idC, { externalId: idC, name: 'Sales DE', description: null }]]) });
    const described = createPlan(s, underName, policy).items.find((i) => i.kind === 'update-group')!;
    expect(described).toMatchObject({ after: { description: 'Sales DACH' } });
    expect(described.reason).toEqual({ code: 'group-renamed', message: 'Changed in Entra: description.' });
  });

  it('checks an override before saving: empty, too long, or a name another object has', () => {
    expect(overrideProblem(' ', [])).toMatch(/Enter a name/);
    expect(overrideProblem('x'.repeat(256), [])).toMatch(/255/);
    expect(overrideProblem('marketing', ['Sales', 'Marketing'])).toMatch(/already taken/);
    expect(overrideProblem('Marketing EMEA', ['Marketing'])).toBeUndefined();
  });

  it('links each object to its page in the admin center of the connection’s cloud', () => {
    expect(shortId(idA)).toBe('5a1b2c3d');
    expect(entraObjectUrl('global', 'group', idA)).toBe(
      `https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${idA}`,
    );
    expect(entraObjectUrl('usgov', 'user', 'u1')).toBe(
      'https://entra.microsoft.us/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/u1',
    );
    expect(entraObjectUrl('custom', 'user', 'u1')).toMatch(/^https:\/\/entra\.microsoft\.com\//);
  });
});
