import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync/database';
import { createSqliteLinks } from './sqlite-links';

describe('SQLite link store', () => {
  it('keeps each target’s links apart, moves a key to its newest Entra owner, and survives a reopen', () => {
    const db = openDatabase(':memory:');
    const a = createSqliteLinks(db, 'jira-a');
    const b = createSqliteLinks(db, 'jira-b');
    a.linkUser('entra-1', 'JIRAUSER10101', 'created');
    a.linkGroup('entra-g', 'team', 'matched');
    a.manageGroup('Team');
    expect(b.user('entra-1')).toBeUndefined();
    expect(b.userByKey('JIRAUSER10101')).toBeUndefined();
    expect(b.managedGroups()).toEqual([]);
    b.linkUser('entra-1', 'JIRAUSER99', 'matched');
    expect(a.user('entra-1')).toEqual({ externalId: 'entra-1', key: 'JIRAUSER10101', origin: 'created' });

    // The key now belongs to entra-2: entra-1 loses its link (a Jira account is one Entra user's).
    a.linkUser('entra-2', 'JIRAUSER10101', 'matched');
    expect(a.user('entra-1')).toBeUndefined();
    expect(a.userByKey('JIRAUSER10101')?.externalId).toBe('entra-2');
    // Linking the same pair again keeps how it began.
    b.linkUser('entra-1', 'JIRAUSER99', 'created');
    expect(b.user('entra-1')?.origin).toBe('matched');

    const again = createSqliteLinks(db, 'jira-a');
    expect(again.groupByKey('team')).toEqual({ externalId: 'entra-g', key: 'team', origin: 'matched' });
    expect(again.managedGroups()).toEqual(['Team']);
    again.forgetGroup('TEAM');
    expect(again.managedGroups()).toEqual([]);
    again.clear();
    expect(again.users()).toEqual([]);
    expect(b.users()).toHaveLength(1);
    db.close();
  });
});
