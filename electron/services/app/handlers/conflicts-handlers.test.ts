import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConflictList, SyncOutcome, SyncStarted, TenantGroupList } from '../../../../shared/contract/sync';
import type { Paged, DirectoryGroupRow, SyncPolicy } from '../../../../shared/sync';
import { createTestCore } from '../test-core';

/**
 * Name conflicts through the real core, dispatcher and demo tenant over HTTPS: the two groups the demo names
 * "Marketing" are reported with their ids and admin-center links, kept with the run, and both created once the
 * duplicate-name rule is on.
 */
describe('name conflicts on the demo tenant', () => {
  let t: ReturnType<typeof createTestCore>;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = <T>(channel: string, args?: unknown) => t.call<T>(channel, args);

  /** Starts a run and waits for its end. */
  const run = async (channel: 'sync:dryRun' | 'sync:runNow', args: object): Promise<SyncOutcome> => {
    const done = new Promise<SyncOutcome>((resolve) => {
      const off = t.events.subscribe((event, payload) => {
        if (event !== 'sync:finished') return;
        off();
        resolve(payload as SyncOutcome);
      });
    });
    const started = await call<SyncStarted>(channel, args);
    const outcome = await done;
    expect(outcome.run.id).toBe(started.runId);
    return outcome;
  };

  it('reports the two "Marketing" groups with ids and links, and creates both under the short-id rule', async () => {
    await call('connection:startDemo', { users: 60, groups: 10 });

    // The picker tells the two apart: mail (or none), id, member count after a read.
    const first = await run('sync:dryRun', { full: true });
    expect(first.run.conflicts).toBe(1);
    const conflicts = await call<RunConflictList>('sync:runConflicts', { runId: first.run.id });
    expect(conflicts.total).toBe(1);
    const [marketing] = conflicts.conflicts;
    expect(marketing).toMatchObject({ code: 'group-name-conflict', kind: 'group', name: 'marketing' });
    expect(marketing!.message).toContain('Sync settings → Name conflicts');
    expect(marketing!.objects).toHaveLength(2);
    for (const object of marketing!.objects) {
      expect(object.displayName).toBe('Marketing');
      expect(typeof object.memberCount).toBe('number');
      expect(object.portalUrl).toBe(
        `https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${object.id}`,
      );
    }
    const picker = await call<TenantGroupList>('sync:tenantGroups', { search: 'Marketing' });
    const twins = picker.items.filter((g) => g.displayName === 'Marketing');
    expect(twins.map((g) => g.id).sort()).toEqual(marketing!.objects.map((o) => o.id).sort());
    expect(twins.every((g) => g.memberCount !== null && g.mail !== undefined)).toBe(true);

    const policy = await call<SyncPolicy>('sync:getPolicy');
    const saved = await call<SyncPolicy>('sync:savePolicy', {
      policy: { ...policy, names: { ...policy.names, duplicateGroups: 'appendShortId' } },
    });
    expect(saved.names.duplicateGroups).toBe('appendShortId');

    const second = await run('sync:dryRun', { full: true });
    expect(second.run.conflicts).toBe(0);
    expect(second.run.planned['create-group']).toBe(first.run.planned['create-group'] + 2);
    expect((await call<RunConflictList>('sync:runConflicts', { runId: second.run.id })).total).toBe(0);

    const applied = await run('sync:runNow', {});
    expect(applied.run.status).toBe('succeeded');
    const groups = await call<Paged<DirectoryGroupRow>>('directory:groups', { search: 'Marketing (' });
    expect(groups.items.map((g) => g.name).sort()).toEqual(
      marketing!.objects.map((o) => `Marketing (${o.id.slice(0, 8)})`).sort(),
    );
    // The first run's conflicts are still there for its details.
    expect((await call<RunConflictList>('sync:runConflicts', { runId: first.run.id })).total).toBe(1);
  });

  it('refuses to save a policy whose names are not valid, and keeps the stored one', async () => {
    const policy = await call<SyncPolicy>('sync:getPolicy');
    await expect(
      call('sync:savePolicy', { policy: { ...policy, names: { ...policy.names, groupOverrides: { g1: '   ' } } } }),
    ).rejects.toMatchObject({ code: 'invalid-payload' });
    expect((await call<SyncPolicy>('sync:getPolicy')).names.groupOverrides).toEqual({});
  });
});
