import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSyncPolicy, type SyncPolicy, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema } from '../../../../shared/targets';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { startJiraEmulator } from '../../../emulator/jira';
import { createHttpTransport } from '../../http/transport';
import { systemClock } from '../../ports';
import { openDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import { connectToEmulator } from '../../sync/test-support';
import { bitbucketSyncRig } from '../bitbucket/test-support';
import { confluenceSyncRig, noBrake } from '../confluence/test-support';
import { nestedAdminRule } from '../crowd/crowd-engine-target';
import { crowdSyncRig } from '../crowd/test-support';
import { jiraEngineTarget } from '../jira/jira-engine-target';
import { createLocalDirectory } from '../local/local-directory';

/**
 * One administrator rule for every product (target-policy.ts): an account in an administrator group, directly or,
 * in Crowd, through nested groups, is never disabled, deleted or taken out of a group by the sync, and the plan says
 * why. Each product is its demo over HTTPS with an existing administrator whose Entra namesake is disabled (so an
 * unprotected account would be matched and disabled) and, in Crowd, in a group Entra also has (so it would lose it).
 */

let entra: RunningEmulator;
let source: SyncSource;
let closeSource: () => Promise<void>;
let dir: string;
// No brake: what the plan holds is applied, so an unprotected administrator would really be disabled.
const policy: SyncPolicy = { ...defaultSyncPolicy(), safety: noBrake };

beforeAll(async () => {
  entra = await startEmulator({ users: 10, groups: 2, seed: 31 });
  const c = connectToEmulator(entra);
  source = c.source;
  closeSource = async () => {
    c.connection.close();
    await c.transport.close();
  };
  dir = mkdtempSync(join(tmpdir(), 'admin-protection-'));
});
afterAll(async () => {
  await closeSource();
  await entra.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Disabled Entra users named like the product's administrators, and Entra groups (empty) named like its groups. */
async function withEntra<T>(users: readonly string[], groups: readonly string[], run: () => Promise<T>): Promise<T> {
  const ids = users.map(
    (name) =>
      entra.control.addUser({ userPrincipalName: name, displayName: name, mail: `${name}@x.example`, accountEnabled: false })
        .id as string,
  );
  const groupIds = groups.map((displayName) => entra.control.addGroup({ displayName, members: [] }).id as string);
  try {
    return await run();
  } finally {
    for (const id of ids) entra.control.deleteUser(id, { hard: true });
    for (const id of groupIds) entra.control.deleteGroup(id, { hard: true });
  }
}

const warningFor = (result: SyncRunResult, username: string) =>
  result.plan!.warnings.find((w) => w.code === 'protected' && w.message.startsWith(`${username} is protected`))?.message;
const itemsFor = (result: SyncRunResult, username: string) =>
  result.plan!.items.filter((i) => 'username' in i && i.username.toLowerCase() === username);

describe('administrators are protected the same way in every product', () => {
  it('Crowd: members of crowd-administrators through nested groups (and a cycle) are protected, with the way said', async () => {
    const rig = await crowdSyncRig(source, dir, policy);
    try {
      const c = rig.crowd.control;
      c.addGroup('ops-admins');
      c.addGroup('tier2');
      c.addChildGroup('crowd-administrators', 'ops-admins');
      c.addChildGroup('ops-admins', 'tier2');
      c.addChildGroup('tier2', 'crowd-administrators');
      c.addUser({ name: 'nested.admin', email: 'nested.admin@example.com', groups: ['ops-admins'] });
      c.addUser({ name: 'deep.admin', email: 'deep.admin@example.com', groups: ['tier2'] });
      const result = await withEntra(['nested.admin', 'deep.admin', 'admin'], ['ops-admins', 'tier2'], () => rig.sync());
      expect(warningFor(result, 'nested.admin')).toBe(
        'nested.admin is protected (member of crowd-administrators via group ops-admins): never changed, deactivated or removed from groups.',
      );
      expect(warningFor(result, 'deep.admin')).toMatch(/\(member of crowd-administrators via groups ops-admins → tier2\)/);
      expect(warningFor(result, 'admin')).toMatch(/\(member of crowd-administrators\)/);
      // The same accounts Crowd itself counts as members of crowd-administrators (its nested resolution).
      const crowdSays = c.users().filter((u) => u.nestedGroups.includes('crowd-administrators'));
      expect(crowdSays.map((u) => u.name).sort()).toEqual(['admin', 'deep.admin', 'nested.admin']);
      for (const name of ['nested.admin', 'deep.admin', 'admin']) expect(itemsFor(result, name)).toEqual([]);
      // The synced groups inside crowd-administrators are said: whoever the sync adds to them becomes an administrator.
      const rules = result.plan!.warnings.filter((w) => w.code === 'product-rule').map((w) => w.message);
      expect(rules).toEqual(
        expect.arrayContaining([
          nestedAdminRule('ops-admins', 'crowd-administrators'),
          nestedAdminRule('tier2', 'crowd-administrators'),
        ]),
      );
      expect(nestedAdminRule('ops-admins', 'crowd-administrators')).toBe(
        'Group ops-admins is nested in crowd-administrators in Crowd: every user the sync adds to ops-admins becomes a Crowd administrator.',
      );
      expect(result.run.status).toBe('succeeded');
      // The groups Entra has were matched and synced, but the administrators in them stay, active.
      expect(c.user('nested.admin')).toMatchObject({ active: true, groups: ['ops-admins'] });
      expect(c.user('deep.admin')).toMatchObject({ active: true, groups: ['tier2'] });
      expect(c.groups().find((g) => g.name === 'crowd-administrators')?.members).toEqual(['admin']);
    } finally {
      await rig.close();
    }
  });

  it('Jira: members of jira-administrators are protected, not only the token’s own account', async () => {
    const jira = await startJiraEmulator();
    const transport = createHttpTransport({ extraCaPem: jira.info.caCertPem, env: {}, timeoutMs: 15_000 });
    const db = openDatabase(join(dir, `jira-${process.pid}.db`));
    try {
      jira.control.addUser({ name: 'ops.admin', emailAddress: 'ops.admin@example.com', groups: ['jira-administrators'] });
      const config = targetConfigSchema.parse({ id: 'jira-1', name: 'Jira', product: 'jira', baseUrl: jira.info.baseUrl });
      const target = jiraEngineTarget({
        config,
        token: jira.info.adminToken,
        db,
        transport,
        clock: systemClock,
        globalPolicy: policy,
      });
      const engine = createSyncEngine({ db, target: createLocalDirectory(db), source, hostKind: 'test', cache: false });
      const [result] = await withEntra(['ops.admin', 'admin'], [], () =>
        engine.runTargets({ trigger: 'manual', policy }, [target]),
      );
      expect(result!.run.status).toBe('succeeded');
      expect(warningFor(result!, 'ops.admin')).toMatch(/^ops\.admin is protected \(member of jira-administrators\)/);
      expect(warningFor(result!, 'admin')).toMatch(/\(the account of the target's personal access token\)/);
      expect(itemsFor(result!, 'ops.admin')).toEqual([]);
      expect(jira.control.user('ops.admin')).toMatchObject({ active: true });
    } finally {
      db.close();
      await transport.close();
      await jira.close();
    }
  });

  it('Confluence: members of confluence-administrators are protected, with the group said', async () => {
    const rig = await confluenceSyncRig(source, dir);
    try {
      rig.confluence.control.addUser({
        username: 'ops.admin',
        email: 'ops.admin@example.com',
        groups: ['confluence-administrators'],
      });
      const result = await withEntra(['ops.admin'], [], () => rig.sync({ policy }));
      expect(result.run.status).toBe('succeeded');
      expect(warningFor(result, 'ops.admin')).toMatch(/^ops\.admin is protected \(member of confluence-administrators\)/);
      expect(itemsFor(result, 'ops.admin')).toEqual([]);
      expect(rig.confluence.control.user('ops.admin')).toMatchObject({ active: true });
    } finally {
      await rig.close();
    }
  });

  it('Bitbucket: members of a group granting SYS_ADMIN are protected, with the group said', async () => {
    const rig = await bitbucketSyncRig(source, dir);
    try {
      rig.bitbucket.control.addUser({ name: 'ops.admin', emailAddress: 'ops.admin@example.com', groups: ['sys-admins'] });
      const result = await withEntra(['ops.admin'], [], () => rig.sync({ policy }));
      expect(result.run.status).toBe('succeeded');
      expect(warningFor(result, 'ops.admin')).toBe(
        'ops.admin is protected (member of sys-admins): never changed, never unlicensed, never removed from groups.',
      );
      expect(itemsFor(result, 'ops.admin')).toEqual([]);
      expect(rig.bitbucket.control.user('ops.admin')?.groups).toContain('sys-admins');
    } finally {
      await rig.close();
    }
  });
});
