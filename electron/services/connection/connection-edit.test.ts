import Conf from 'conf';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import { emulatedDemoTenant } from '../../emulator';
import { systemClock, type Logger } from '../ports';
import { FileVault } from '../settings/file-vault';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store';
import {
  connectionSecretVaultKey,
  createConnectionService,
  keptSecretVaultKey,
  type ConnectionService,
} from './connection-service';

/**
 * Editing a connection in use (settings → Edit connection) and trying the demo tenant over one: the connection
 * in use is never lost until new values pass, and the admin's own connection comes back when the demo is left.
 */

interface World {
  dir: string;
  settings: SettingsStore;
  vault: FileVault;
  logLines: string[];
  changes: ConnectionSummary[];
  service: ConnectionService;
}

const tenant = '11111111-2222-4333-8444-555555555555';
const app = '66666666-7777-4888-8999-aaaaaaaaaaaa';
const ownSecret = 'Own8Q~' + 'q'.repeat(34);

function captureLogger(lines: string[]): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function createWorld(dir: string): World {
  const logLines: string[] = [];
  const settings = createSettingsStore({
    open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
    filePath: join(dir, 'settings.json'),
    clock: systemClock,
    logger: captureLogger([]),
  });
  const vault = new FileVault(join(dir, 'secrets.json'));
  const service = createConnectionService({
    settings,
    vault,
    demoTenant: emulatedDemoTenant(),
    logger: captureLogger(logLines),
    env: {},
  });
  const world: World = { dir, settings, vault, logLines, changes: [], service };
  service.onChange((s) => world.changes.push(s));
  return world;
}

/** Every file but the vault, plus logs and change events: where no secret may ever appear. */
function everythingButTheVault(world: World): string {
  const files = readdirSync(world.dir)
    .filter((name) => name !== 'secrets.json')
    .map((name) => readFileSync(join(world.dir, name), 'utf8'));
  return [...files, ...world.logLines, JSON.stringify(world.changes)].join('\n');
}

describe('editing a connection in use', () => {
  let dir: string;
  let world: World;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'esa-connection-edit-'));
    world = createWorld(dir);
  });

  afterEach(async () => {
    await world.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a failing candidate secret changes nothing: the working connection and its validation stay', async () => {
    await world.service.startDemo({ users: 20, groups: 3 });
    expect((await world.service.test()).ok).toBe(true);
    const before = world.settings.get().connection;
    const secret = await world.vault.get(connectionSecretVaultKey);

    const wrong = await world.service.test({ secret: 'abc8Q~' + 'x'.repeat(34), candidate: true });
    expect(wrong.checks.find((c) => c.id === 'secret')).toMatchObject({ status: 'fail', code: 'secret-invalid' });
    expect(world.settings.get().connection).toEqual(before);
    expect(world.service.get().lastValidation).toMatchObject({ requiredPassed: true });
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(secret);

    const right = await world.service.test({ secret: ` ${secret ?? ''} `, candidate: true });
    expect(right.checks.every((c) => c.status === 'pass' || c.status === 'warning')).toBe(true);
    const after = world.settings.get().connection;
    expect(after.lastValidation?.at).not.toBe(before.lastValidation?.at);
    expect(after.lastValidation).toMatchObject({ requiredPassed: true });
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(secret);
    expect(everythingButTheVault(world)).not.toContain('x'.repeat(34));
  });

  it('failing candidate values are not written, where a wizard test keeps what was typed', async () => {
    await world.service.save({ cloud: 'global', tenantId: tenant, clientId: app, secret: ownSecret });
    const before = world.settings.get().connection;

    const report = await world.service.test({ tenantId: 'not a tenant!', candidate: true });
    expect(report.checks[0]).toMatchObject({ id: 'inputs', status: 'fail' });
    expect(world.settings.get().connection).toEqual(before);

    // The wizard's own test (no candidate) keeps the typed value, so a restart shows it again.
    await world.service.test({ tenantId: 'not a tenant!' });
    expect(world.settings.get().connection.tenantId).toBe('not a tenant!');
    expect(world.settings.get().connection.lastValidation).toMatchObject({ requiredPassed: false });
  });

  it('saving values without a test drops the validation of the values they replace', async () => {
    await world.service.startDemo({ users: 20, groups: 3 });
    await world.service.test();
    expect(world.service.get().lastValidation).toBeDefined();
    const secret = (await world.vault.get(connectionSecretVaultKey)) ?? '';
    // The same values again: still the same connection, its validation stays.
    await world.service.save({});
    expect(world.service.get().lastValidation).toBeDefined();
    await world.service.save({ secret });
    expect(world.service.get().lastValidation).toBeUndefined();
  });
});

describe('the demo tenant over the admin’s own connection', () => {
  let dir: string;
  let world: World;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'esa-connection-kept-'));
    world = createWorld(dir);
  });

  afterEach(async () => {
    await world.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the stored connection aside while the demo runs and puts it back when the demo is left', async () => {
    await world.service.setWeakStorage(true);
    const own = await world.service.save({ cloud: 'usgov', tenantId: tenant, clientId: app, secret: ownSecret });
    expect(own).toMatchObject({ secretStored: true, complete: true });

    const demo = await world.service.startDemo({ users: 20, groups: 3 });
    expect(demo).toMatchObject({ demo: true, cloud: 'custom', complete: true });
    expect(demo.kept).toMatchObject({ cloud: 'usgov', tenantId: tenant, clientId: app, secretKept: true });
    expect(demo.kept?.secretHint).toBe(own.secretHint);
    expect(await world.vault.get(keptSecretVaultKey)).toBe(ownSecret);
    const demoSecret = await world.vault.get(connectionSecretVaultKey);
    expect(demoSecret).not.toBe(ownSecret);
    expect((await world.service.test()).ok).toBe(true);

    const back = await world.service.stopDemo();
    expect(back).toMatchObject({
      demo: false,
      demoRunning: false,
      cloud: 'usgov',
      tenantId: tenant,
      clientId: app,
      secretHint: own.secretHint,
      secretStored: true,
      complete: true,
    });
    expect(back.kept).toBeUndefined();
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(ownSecret);
    expect(await world.vault.get(keptSecretVaultKey)).toBeUndefined();
    expect(everythingButTheVault(world)).not.toContain(ownSecret);
    expect(everythingButTheVault(world)).not.toContain(demoSecret);
  });

  it('the kept connection survives an app restart in demo mode', async () => {
    await world.service.setWeakStorage(true);
    await world.service.save({ cloud: 'global', tenantId: tenant, clientId: app, secret: ownSecret });
    await world.service.startDemo({ users: 20, groups: 3, seed: 3 });
    await world.service.close();

    world = createWorld(dir);
    await world.service.ready();
    expect(world.service.get()).toMatchObject({ demo: true, demoRunning: true, kept: { tenantId: tenant, secretKept: true } });
    expect(await world.service.stopDemo()).toMatchObject({ demo: false, tenantId: tenant, secretStored: true, complete: true });
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(ownSecret);
  });

  it('a secret kept only in memory comes back for this session, and must be entered again after a restart', async () => {
    // The plain file vault is weak and the admin has not agreed to store the secret: it lives in memory.
    const own = await world.service.save({ cloud: 'global', tenantId: tenant, clientId: app, secret: ownSecret });
    expect(own).toMatchObject({ secretInMemory: true, secretStored: false });
    expect((await world.service.startDemo({ users: 20, groups: 3 })).kept).toMatchObject({ secretKept: true });
    expect(await world.vault.get(keptSecretVaultKey)).toBeUndefined();
    expect(await world.service.stopDemo()).toMatchObject({ tenantId: tenant, secretInMemory: true, complete: true });

    await world.service.startDemo({ users: 20, groups: 3 });
    await world.service.close();
    world = createWorld(dir);
    await world.service.ready();
    expect(world.service.get().kept).toMatchObject({ tenantId: tenant, secretKept: false });
    const back = await world.service.stopDemo();
    expect(back).toMatchObject({ tenantId: tenant, clientId: app, secretHint: '', complete: false });
  });

  it('without values of their own, leaving the demo tenant leaves an empty connection', async () => {
    const demo = await world.service.startDemo({ users: 20, groups: 3 });
    expect(demo.kept).toBeUndefined();
    expect(await world.service.stopDemo()).toMatchObject({ tenantId: '', clientId: '', complete: false });
    expect(await world.vault.get(connectionSecretVaultKey)).toBeUndefined();
  });
});
