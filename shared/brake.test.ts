import { describe, expect, it } from 'vitest';
import { describeCrossing, describeCrossingsBySubject, describeKindCounts, describeRisk, measureRisk } from './brake';
import { settingsSchema } from './settings';
import { syncPolicySchema } from './sync';

describe('safety limits in the settings', () => {
  it('a settings file written before the group and membership limits keeps its user limits and gains the defaults', () => {
    const older = settingsSchema.parse({ schemaVersion: 1, sync: { safety: { maxShare: 0.25, maxCount: null } } });
    expect(older.sync.safety).toEqual({
      maxShare: 0.25,
      maxCount: null,
      maxGroupShare: 0.1,
      maxGroupCount: 5,
      maxMembershipShare: 0.1,
      maxMembershipCount: 500,
    });
  });

  it('refuses a share over 100% and a negative or fractional count', () => {
    expect(syncPolicySchema.safeParse({ safety: { maxGroupShare: 1.5 } }).success).toBe(false);
    expect(syncPolicySchema.safeParse({ safety: { maxMembershipCount: -1 } }).success).toBe(false);
    expect(syncPolicySchema.safeParse({ safety: { maxGroupCount: 2.5 } }).success).toBe(false);
    expect(syncPolicySchema.safeParse({ safety: { maxGroupCount: null, maxMembershipShare: 0 } }).success).toBe(true);
  });
});

describe('the brake in words', () => {
  const zero = { 'disable-user': 0, 'delete-user': 0, 'delete-group': 0, 'remove-member': 0 };

  it('says every count, with its share of what is synced, and one user as one user', () => {
    const risk = measureRisk(
      { 'disable-user': 1, 'delete-user': 1200, 'delete-group': 40, 'remove-member': 3 },
      { users: 12000, groups: 40, memberships: 1000 },
    );
    expect(describeRisk(risk)).toBe(
      'disable 1 user and delete 1,200 users (10% of 12,000 synced users), delete 40 groups (100% of 40 synced groups) ' +
        'and remove 3 memberships (0.3% of 1,000 synced memberships)',
    );
  });

  it('shows a share just over its limit with the digits that make it visibly over', () => {
    expect(describeCrossing({ subject: 'users', by: 'share', limit: 0.1, actual: 0.1004 })).toBe(
      'users disabled or deleted: 10.04% of synced users, more than the limit of 10%',
    );
    expect(describeCrossing({ subject: 'memberships', by: 'count', limit: 500, actual: 501 })).toBe(
      'memberships removed: 501, more than the limit of 500 memberships',
    );
  });

  it('says a kind over both its limits in one line, and each kind on its own line', () => {
    expect(
      describeCrossingsBySubject([
        { subject: 'users', by: 'count', limit: 50, actual: 273 },
        { subject: 'users', by: 'share', limit: 0.1, actual: 0.91 },
        { subject: 'groups', by: 'share', limit: 0.1, actual: 0.15 },
      ]),
    ).toEqual([
      'users disabled or deleted: 273 (91% of synced users), more than the limits of 50 users and 10%',
      'groups deleted: 15% of synced groups, more than the limit of 10%',
    ]);
  });

  it('lists only the kinds present', () => {
    expect(describeKindCounts({ ...zero, 'delete-group': 1, 'remove-member': 2 })).toBe(
      '1 group to delete and 2 memberships to remove',
    );
    expect(describeKindCounts(zero)).toBe('nothing');
  });
});
