import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Paged, SyncRunRecord } from '../../../../shared/sync';
import type { SyncOutcome } from '../../../../shared/contract/sync';
import type { TargetList, TargetSaveResult, TargetSyncSettings, TargetTestReport } from '../../../../shared/contract/targets';
import type { SyncPolicy } from '../../../../shared/sync-policy';
import { startJiraEmulator, type RunningJiraEmulator } from '../../../emulator/jira';
import { createTestCore } from '../test-core';

/**
 * Settings → Targets through the real core and dispatcher, against a demo Jira over HTTPS with its own CA (the admin
 * pastes the CA's PEM, as for a private CA): test with a wrong token and the right one, save only after a pass, sync
 * into it, the run recorded for that target, removal — and the token in none of the answers or files but the vault.
 */
let jira: RunningJiraEmulator;
beforeAll(async () => {
  jira = await startJiraEmulator();
});
afterAll(async () => {
  await jira.close();
});

describe('targets handlers', () => {
  let t: ReturnType<typeof createTestCore>;
  beforeEach(() => {
    t = createTestCore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = <T>(channel: string, args?: unknown) => t.call<T>(channel, args);
  const finished = () =>
    new Promise<SyncOutcome>((resolve) => {
      const off = t.events.subscribe((event, payload) => {
        if (event !== 'sync:finished') return;
        off();
        resolve(payload as SyncOutcome);
      });
    });
  const values = (token: string) => ({ baseUrl: `${jira.info.baseUrl}/`, token, caCertPem: jira.info.caCertPem });

  it('lists the embedded directory first, as the target that is always there', async () => {
    const list = await call<TargetList>('targets:list');
    expect(list.targets).toEqual([expect.objectContaining({ id: 'local', builtIn: true, product: 'local', url: null })]);
    expect(list.demoJiraOffered).toBe(false);
  });

  it('offers the demo Jira beside the demo tenant, adds it as a target that tests and dry-runs', async () => {
    await call('connection:startDemo', { users: 20, groups: 4 });
    expect((await call<TargetList>('targets:list')).demoJiraOffered).toBe(true);
    const demo = await call<{ id: string; demo: boolean; url: string; tokenHint: string }>('targets:startDemoJira');
    expect(demo).toMatchObject({ demo: true, tokenHint: expect.stringMatching(/^••••/) });
    expect(demo.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/jira$/);
    // Asked again: the same target, not a second one.
    await call('targets:startDemoJira');
    expect((await call<TargetList>('targets:list')).targets.filter((x) => x.demo)).toHaveLength(1);
    expect((await call<TargetTestReport>('targets:test', { id: demo.id })).ok).toBe(true);
    const done = finished();
    await call('sync:dryRun', { target: demo.id });
    expect((await done).run).toMatchObject({ status: 'succeeded', targetId: demo.id, dryRun: true });

    // Leaving the demo tenant takes the demo Jira with it.
    await call('connection:stopDemo');
    const after = await call<TargetList>('targets:list');
    expect(after.targets.map((x) => x.id)).toEqual(['local']);
    expect(after.demoJiraOffered).toBe(false);
  }, 60_000);

  it('gives a target its own sync settings: its plan follows them while the embedded directory keeps the global ones', async () => {
    await call('connection:startDemo', { users: 30, groups: 6 });
    const demo = await call<{ id: string }>('targets:startDemo', { product: 'jira' });
    const global = await call<SyncPolicy>('sync:getPolicy');
    const before = await call<TargetSyncSettings>('targets:getSync', { id: demo.id });
    expect(before).toMatchObject({ inherit: true, policy: global, protectedGroups: [], matchByEmail: false });
    expect(before.adminGroups).toContain('jira-administrators');

    // Only the groups called "Sales…" and "Marketing…" go to this Jira, and Marketing 1 is protected there.
    const own: SyncPolicy = {
      ...global,
      groups: { ...global.groups, scope: 'namePattern', namePattern: 'Sales*, Marketing*' },
    };
    const saved = await call<TargetSyncSettings>('targets:saveSync', {
      id: demo.id,
      inherit: false,
      policy: own,
      matchByEmail: true,
      protectedGroups: [' jira-helpdesk ', 'JIRA-HELPDESK', 'Marketing 1'],
      deleteVanishedGroups: false,
    });
    expect(saved).toMatchObject({ inherit: false, matchByEmail: true, protectedGroups: ['jira-helpdesk', 'Marketing 1'] });
    expect(saved.policy.groups).toMatchObject({ scope: 'namePattern', namePattern: 'Sales*, Marketing*' });
    expect((await call<TargetList>('targets:list')).targets.find((x) => x.id === demo.id)?.sync).toBe('own');

    const intoJira = finished();
    await call('sync:dryRun', { target: demo.id });
    const jiraRun = (await intoJira).run;
    const local = finished();
    await call('sync:dryRun', {});
    const localRun = (await local).run;
    expect(jiraRun.targetId).toBe(demo.id);
    expect(localRun.planned['create-group']).toBeGreaterThan(jiraRun.planned['create-group'] ?? 0);
    const jiraGroups = await call<{ items: { kind: string; label: string }[] }>('sync:runItems', {
      runId: jiraRun.id,
      kind: 'create-group',
      limit: 100,
    });
    expect(jiraGroups.items.length).toBeGreaterThan(0);
    for (const item of jiraGroups.items) expect(item.label).toMatch(/^(Sales|Marketing)/);
    expect(jiraGroups.items.map((i) => i.label)).not.toContain('Marketing 1');
    const localGroups = await call<{ items: { label: string }[] }>('sync:runItems', {
      runId: localRun.id,
      kind: 'create-group',
      limit: 100,
    });
    expect(localGroups.items.map((i) => i.label)).toContain('Marketing 1');

    // Back to the global settings.
    const rules = { id: demo.id, matchByEmail: false, protectedGroups: [], deleteVanishedGroups: false };
    const back = await call<TargetSyncSettings>('targets:saveSync', { ...rules, inherit: true });
    expect(back).toMatchObject({ inherit: true, policy: global });
    await expect(call('targets:saveSync', { ...rules, inherit: false })).rejects.toMatchObject({
      code: 'target-sync-missing',
    });
  }, 60_000);

  it('says a wrong token in words, saves only a passing target, syncs into it and removes it', async () => {
    const wrong = await call<TargetTestReport>('targets:test', values('not-a-token'));
    const token = wrong.checks.find((c) => c.id === 'token')!;
    expect(wrong.ok).toBe(false);
    expect(token).toMatchObject({ status: 'fail', title: 'Personal access token' });
    expect(token.message).toMatch(/did not accept the token/);
    expect(token.message).not.toMatch(/401|AUTHENTICATED_FAILED/);
    expect(token.fix).toMatch(/Personal Access Tokens/);
    expect(token.link?.url).toMatch(/^https:\/\/confluence\.atlassian\.com\//);

    // Save refuses what does not pass, and says why with the report.
    const refused = await call<TargetSaveResult>('targets:save', { name: 'Jira', ...values('not-a-token') });
    expect(refused.saved).toBe(false);
    expect((await call<TargetList>('targets:list')).targets).toHaveLength(1);

    const good = await call<TargetTestReport>('targets:test', values(jira.info.adminToken));
    expect(good.ok).toBe(true);
    expect(good.checks.map((c) => c.status)).not.toContain('fail');
    const saved = await call<TargetSaveResult>('targets:save', { name: 'Jira', ...values(jira.info.adminToken) });
    expect(saved).toMatchObject({ saved: true, target: { name: 'Jira', url: jira.info.baseUrl, hasCaCert: true } });
    if (!saved.saved) throw new Error('not saved');
    const id = saved.target.id;
    expect(saved.target.tokenHint).toBe(`••••${jira.info.adminToken.slice(-4)}`);
    await expect(call('targets:save', { name: 'jira', ...values(jira.info.adminToken) })).rejects.toMatchObject({
      code: 'target-name-taken',
    });
    await expect(call('targets:test', { baseUrl: 'jira.example.com', token: 'x' })).rejects.toMatchObject({
      code: 'target-url-invalid',
    });

    // A saved target tests with its stored token; the verdict is kept.
    expect((await call<TargetTestReport>('targets:test', { id })).ok).toBe(true);
    expect((await call<TargetList>('targets:list')).targets[1]).toMatchObject({ id, lastTest: { ok: true, problems: [] } });

    await call('connection:startDemo', { users: 20, groups: 4 });
    let done = finished();
    await call('sync:dryRun', { target: id });
    const dry = await done;
    expect(dry.run).toMatchObject({ dryRun: true, status: 'succeeded', targetId: id });
    expect(dry.run.planned['create-user']).toBeGreaterThan(0);
    expect(jira.control.users().length).toBeLessThan(10);

    done = finished();
    await call('sync:runNow', { target: id });
    const real = await done;
    expect(real.run).toMatchObject({ dryRun: false, status: 'succeeded', targetId: id });
    expect(jira.control.users().length).toBeGreaterThanOrEqual(real.run.applied['create-user']);
    const runs = await call<Paged<SyncRunRecord>>('sync:runs', { targetId: id });
    expect(runs.items.map((r) => r.id)).toEqual([real.run.id, dry.run.id]);
    expect((await call<Paged<SyncRunRecord>>('sync:runs', { targetId: 'local' })).total).toBe(0);
    expect((await call<TargetList>('targets:list')).targets[1]?.lastRun?.id).toBe(real.run.id);

    // The token is in the target vault only: not in the settings, the app's vault, or any answer above.
    const files = readdirSync(t.dataDir).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const text = readFileSync(join(t.dataDir, file), 'utf8');
      if (file === 'target-secrets.json') continue;
      expect(text, file).not.toContain(jira.info.adminToken);
    }
    expect(JSON.stringify(await call('targets:list'))).not.toContain(jira.info.adminToken);

    expect(await call('targets:remove', { id })).toEqual({ removed: true });
    expect((await call<TargetList>('targets:list')).targets).toHaveLength(1);
    await expect(call('sync:dryRun', { target: id })).rejects.toMatchObject({ code: 'target-not-found' });
  }, 60_000);

  it('refuses a second target at the address of another of the same product, and saves the first one edited', async () => {
    const first = await call<TargetSaveResult>('targets:save', { name: 'Jira', ...values(jira.info.adminToken) });
    if (!first.saved) throw new Error('not saved');
    // The same Jira typed another way (trailing slashes): still the same address.
    const twin = { name: 'Jira again', ...values(jira.info.adminToken), baseUrl: `${jira.info.baseUrl}//` };
    await expect(call('targets:save', twin)).rejects.toMatchObject({
      code: 'target-url-taken',
      message: expect.stringMatching(
        /^Target "Jira" already syncs into https:\/\/127\.0\.0\.1:\d+\/jira\. Edit that target instead/,
      ),
    });
    await expect(call('targets:save', { ...twin, saveAnyway: true })).rejects.toMatchObject({ code: 'target-url-taken' });
    expect((await call<TargetList>('targets:list')).targets.map((x) => x.name)).toEqual(['Embedded directory', 'Jira']);
    // The target itself keeps its address when edited.
    const renamed = await call<TargetSaveResult>('targets:save', {
      id: first.target.id,
      name: 'Jira DC',
      ...values(jira.info.adminToken),
    });
    expect(renamed).toMatchObject({ saved: true, target: { id: first.target.id, name: 'Jira DC' } });
  }, 60_000);
});
