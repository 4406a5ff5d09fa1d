import Conf from 'conf';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import type { ValidationProgress } from '../../../shared/validation';
import { emulatedDemoTenant, type EmulatedDemoTenant } from '../../emulator';
import { systemClock, type Logger } from '../ports';
import { FileVault } from '../settings/file-vault';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store';
import { connectionSecretVaultKey, createConnectionService, type ConnectionService } from './connection-service';

/** Everything the service wrote or said, to prove the secret is in none of it. */
interface World {
  dir: string;
  settings: SettingsStore;
  vault: FileVault;
  logLines: string[];
  progress: ValidationProgress[];
  changes: ConnectionSummary[];
  service: ConnectionService;
  /** The emulator behind the demo tenant, for what only the tenant's admin could change (secrets, consent). */
  demo: EmulatedDemoTenant;
}

function openSettings(dir: string): SettingsStore {
  return createSettingsStore({
    open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
    filePath: join(dir, 'settings.json'),
    clock: systemClock,
    logger: captureLogger([]),
  });
}

function captureLogger(lines: string[]): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function createWorld(dir: string): World {
  const logLines: string[] = [];
  const settings = openSettings(dir);
  const vault = new FileVault(join(dir, 'secrets.json'));
  const demo = emulatedDemoTenant();
  const service = createConnectionService({ settings, vault, demoTenant: demo, logger: captureLogger(logLines), env: {} });
  const world: World = { dir, settings, vault, logLines, progress: [], changes: [], service, demo };
  service.onChange((s) => world.changes.push(s));
  return world;
}

/** Every file the service wrote except the vault, plus logs and events, as one text. */
function everythingButTheVault(world: World): string {
  const files = readdirSync(world.dir)
    .filter((name) => name !== 'secrets.json')
    .map((name) => readFileSync(join(world.dir, name), 'utf8'));
  return [...files, ...world.logLines, JSON.stringify(world.progress), JSON.stringify(world.changes)].join('\n');
}

const track = (world: World) => ({ onProgress: (p: ValidationProgress) => void world.progress.push(p) });

describe('ConnectionService against the demo tenant', () => {
  let dir: string;
  let world: World;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'esa-connection-'));
    world = createWorld(dir);
  });

  afterEach(async () => {
    await world.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the demo tenant, fills in its values and keeps the secret only in the vault', async () => {
    const summary = await world.service.startDemo({ users: 30, groups: 5 });
    expect(summary).toMatchObject({ demo: true, demoRunning: true, cloud: 'custom', secretStored: true, complete: true });
    expect(summary.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(summary.secretHint).toMatch(/^.{3}••••••$/);
    const secret = await world.vault.get(connectionSecretVaultKey);
    expect(secret?.length).toBeGreaterThan(20);
    expect(world.service.get().secretExpiry).toMatchObject({ source: 'graph', expired: false });
    expect(everythingButTheVault(world)).not.toContain(secret);
  });

  it('tests with live progress, records the result and the expiry, and never says the secret', async () => {
    await world.service.startDemo({ users: 30, groups: 5 });
    const secret = (await world.vault.get(connectionSecretVaultKey)) ?? '';
    const report = await world.service.test({}, track(world));
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(world.progress.length).toBeGreaterThanOrEqual(16);
    expect(world.progress.some((p) => p.check.status === 'running')).toBe(true);

    const stored = world.settings.get().connection;
    expect(stored.lastValidation).toMatchObject({ ok: true, requiredPassed: true, counts: { pass: 8 } });
    expect(stored.secretExpiry).toMatchObject({ source: 'graph', secretHint: stored.secretHint });
    expect(stored.secretExpiry?.daysLeft).toBeGreaterThan(360);
    expect(everythingButTheVault(world)).not.toContain(secret);
  });

  it('catches the Secret ID, keeps the working secret, then accepts the real value', async () => {
    await world.service.startDemo({ users: 30, groups: 5 });
    const before = world.settings.get().connection;
    const secret = (await world.vault.get(connectionSecretVaultKey)) ?? '';
    const control = world.demo.running()?.control;
    const secretId = String(control?.secrets()[0]?.keyId);

    const wrong = await world.service.test({ secret: secretId }, track(world));
    expect(wrong.checks[0]).toMatchObject({ id: 'inputs', status: 'fail', code: 'secret-id-instead-of-value' });
    expect(wrong.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(secret);
    expect(world.settings.get().connection.secretExpiry).toEqual(before.secretExpiry);
    expect(world.settings.get().connection.lastValidation?.problems).toEqual(['inputs:secret-id-instead-of-value']);

    const bad = await world.service.test({ secret: 'abc8Q~' + 'x'.repeat(34) });
    expect(bad.checks.find((c) => c.id === 'secret')).toMatchObject({ status: 'fail', code: 'secret-invalid' });
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(secret);

    const good = await world.service.test({ secret: `  "${secret}" ` });
    expect(good.ok).toBe(true);
    expect(good.checks[0]).toMatchObject({ status: 'warning', code: 'inputs-trimmed' });
    expect(await world.vault.get(connectionSecretVaultKey)).toBe(secret);
  });

  it('a re-test after admin consent is granted uses a fresh token and passes', async () => {
    await world.service.startDemo({ users: 30, groups: 5, consent: false });
    const first = await world.service.test();
    expect(first.checks.find((c) => c.id === 'permission')).toMatchObject({ status: 'fail', code: 'consent-missing' });
    expect(first.retest).toBe(false);

    world.demo.running()?.control.grantConsent();
    const again = await world.service.test();
    expect(again.retest).toBe(true);
    expect(again.ok).toBe(true);
    expect(world.settings.get().connection.lastValidation?.requiredPassed).toBe(true);
  });

  it('opens an authenticated Graph connection for the sync engine', async () => {
    await world.service.startDemo({ users: 30, groups: 5 });
    const graph = await world.service.openGraph();
    try {
      const page = (await graph.client.api('/users').select('id').top(5).get()) as { value: unknown[] };
      expect(page.value).toHaveLength(5);
      const s = world.service.get();
      expect(graph.key).toBe(`${graph.cloud.graphBaseUrl}|${s.tenantId}|${s.clientId}`);
    } finally {
      graph.close();
    }
  });

  it('stores the tenant and application ids trimmed, whether saved as a draft or tested', async () => {
    world.service.saveDraft({
      cloud: 'global',
      tenantId: ' 9f5f2d0c-1c1e-4d5a-9a0e-2b7c3e1f4b63 \t',
      clientId: '\n11111111-2222-3333-4444-555555555555 ',
    });
    expect(world.service.get()).toMatchObject({
      tenantId: '9f5f2d0c-1c1e-4d5a-9a0e-2b7c3e1f4b63',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    await world.service.test({ tenantId: 'contoso.onmicrosoft.com  ' });
    expect(world.service.get().tenantId).toBe('contoso.onmicrosoft.com');
    expect(world.settings.get().connection.tenantId).toBe('contoso.onmicrosoft.com');
  });

  it('refuses to open Graph before the connection is set up', async () => {
    world.service.saveDraft({ cloud: 'global', tenantId: 'contoso.onmicrosoft.com' });
    await expect(world.service.openGraph()).rejects.toMatchObject({ code: 'connection-incomplete' });
  });

  it('starts the demo tenant again after an app restart, with new credentials filled in', async () => {
    const first = await world.service.startDemo({ users: 30, groups: 5, seed: 7 });
    const firstSecret = await world.vault.get(connectionSecretVaultKey);
    await world.service.close();

    world = createWorld(dir);
    expect(world.service.get()).toMatchObject({ demo: true, demoRunning: false });
    await world.service.ready();
    const again = world.service.get();
    expect(again).toMatchObject({ demo: true, demoRunning: true, tenantId: first.tenantId, clientId: first.clientId });
    const secondSecret = await world.vault.get(connectionSecretVaultKey);
    expect(secondSecret).not.toBe(firstSecret);
    expect((await world.service.test()).ok).toBe(true);
  });

  it('stopping the demo tenant clears its values and its secret', async () => {
    await world.service.startDemo({ users: 30, groups: 5 });
    const summary = await world.service.stopDemo();
    expect(summary).toMatchObject({
      demo: false,
      demoRunning: false,
      tenantId: '',
      clientId: '',
      secretStored: false,
      complete: false,
    });
    expect(await world.vault.get(connectionSecretVaultKey)).toBeUndefined();
    await expect(world.service.openGraph()).rejects.toMatchObject({ code: 'connection-incomplete' });
  });

  it('does not let the demo values be edited while the demo tenant is in use', async () => {
    await world.service.startDemo({ users: 30, groups: 5 });
    expect(() => world.service.saveDraft({ tenantId: 'contoso.onmicrosoft.com' })).toThrow(/Leave the demo tenant/);
    expect(world.service.saveDraft({ setup: { step: 'test' } }).setup.step).toBe('test');
  });

  it('saves wizard progress and values so the wizard reopens where the admin left it', () => {
    world.service.saveDraft({
      cloud: 'usgov',
      tenantId: 'contoso.onmicrosoft.com',
      setup: { step: 'secret', completed: ['register', 'permission'], checklist: { 'register.name': true } },
    });
    world.service.saveDraft({ setup: { checklist: { 'permission.consent': true } } });
    const reopened = openSettings(dir).get();
    expect(reopened.setup).toMatchObject({
      step: 'secret',
      completed: ['register', 'permission'],
      checklist: { 'register.name': true, 'permission.consent': true },
    });
    expect(reopened.connection).toMatchObject({ cloud: 'usgov', tenantId: 'contoso.onmicrosoft.com', clientId: '' });
    const finished = world.service.saveDraft({ setup: { finished: true } }).setup;
    expect(finished.finishedAt).toBeDefined();
    expect(world.service.saveDraft({ setup: { finished: false } }).setup.finishedAt).toBeUndefined();
  });

  it('records a manual expiry date when Graph cannot tell', () => {
    world.service.saveDraft({ cloud: 'global', tenantId: 'contoso.onmicrosoft.com' });
    const at = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const summary = world.service.setManualExpiry(at);
    expect(summary.manualExpiresAt).toBe(at);
    expect(summary.secretExpiry).toMatchObject({ source: 'manual', expired: false });
    expect(summary.secretExpiry?.daysLeft).toBeGreaterThanOrEqual(9);
    expect(world.service.setManualExpiry(null).secretExpiry).toMatchObject({ source: 'unknown' });
  });
});
