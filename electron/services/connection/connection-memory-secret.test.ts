import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../../shared/network';
import { maskSecret } from '../../../shared/validation';
import { emulatedDemoTenant, startEmulator, type RunningEmulator } from '../../emulator';
import { silentLogger, systemClock } from '../ports';
import { FileVault } from '../settings/file-vault';
import { createSettingsStore } from '../settings/settings-store';
import { createConnectionService, type ConnectionService } from './connection-service';

/**
 * "Keep it only while the app runs" (a vault that cannot protect secrets, weak storage declined): the secret the
 * wizard sent lives in the core's memory for as long as the core runs — a reload of the window (a new renderer
 * session asking `connection:get` again) does not lose it, even when the first test failed — and once the app has
 * restarted, the check asks to paste it again, not to create a new one.
 */
describe('a client secret kept only while the app runs', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let services: ConnectionService[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esa-memory-secret-'));
    // The classic first try: the permission is added, the admin consent not yet granted.
    emulator = await startEmulator({ users: 20, groups: 3, seed: 5, consent: false });
    services = [];
  });

  afterEach(async () => {
    for (const service of services) await service.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The core as the app starts it, over the same data folder; the emulator's cloud as Settings → Network's custom one. */
  const startCore = () => {
    const settings = createSettingsStore({
      open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
      filePath: join(dir, 'settings.json'),
      clock: systemClock,
      logger: silentLogger,
    });
    const { info } = emulator;
    const network: NetworkSettings = {
      proxy: { mode: 'none', url: '', bypass: [] },
      caCertPem: info.caCertPem,
      customEndpoints: { authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, graphResource: '' },
    };
    const service = createConnectionService({
      settings,
      vault: new FileVault(join(dir, 'secrets.json')),
      demoTenant: emulatedDemoTenant(),
      env: {},
      network: () => network,
    });
    services.push(service);
    return service;
  };

  it('survives a new renderer session, is gone after a restart, and then the check asks to paste it again', async () => {
    const { info } = emulator;
    const core = startCore();
    expect(core.get().vaultSecure).toBe(false);
    await core.setWeakStorage(false);
    core.saveDraft({ cloud: 'custom', tenantId: info.tenantId, clientId: info.clientId, setup: { step: 'test' } });

    // Step 5's first test: the secret is right, the consent is missing.
    const first = await core.test({
      cloud: 'custom',
      tenantId: info.tenantId,
      clientId: info.clientId,
      secret: info.clientSecret,
    });
    expect(first.checks.find((c) => c.id === 'secret')?.status).toBe('pass');
    expect(first.checks.find((c) => c.id === 'permission')?.status).toBe('fail');

    // The window is reloaded: a new renderer session asks for the connection again. The core still holds the secret,
    // and shows only its hint.
    await emulator.control.grantConsent();
    const reloaded = core.get();
    expect(reloaded).toMatchObject({ secretInMemory: true, secretStored: false, weakStorage: 'declined' });
    expect(reloaded.secretHint).toBe(maskSecret(info.clientSecret));
    expect(JSON.stringify(reloaded)).not.toContain(info.clientSecret);

    // "Test again" from the reloaded window sends no secret: the core's is used, and now everything passes.
    const again = await core.test({ cloud: 'custom', tenantId: info.tenantId, clientId: info.clientId });
    expect(again.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(again.ok).toBe(true);
    expect(core.get()).toMatchObject({ secretInMemory: true, complete: true });
    // Another reload, another test: still there. And never written to disk.
    expect((await core.test({})).ok).toBe(true);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(Buffer.from(info.clientSecret).toString('base64'));
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(info.clientSecret);

    // The app restarts: the secret was kept only while it ran.
    await core.close();
    const restarted = startCore();
    expect(restarted.get()).toMatchObject({ secretInMemory: false, secretStored: false, complete: false });
    const gone = await restarted.test({});
    const inputs = gone.checks.find((c) => c.id === 'inputs');
    expect(inputs).toMatchObject({ status: 'fail', code: 'secret-missing' });
    expect(inputs?.message).toBe('The client secret is no longer stored (you chose to keep it only while the app ran).');
    expect(inputs?.fix).toBe('Paste it again in Enter the values.');
    expect(`${inputs?.message} ${inputs?.fix}`).not.toMatch(/create a new client secret/i);
  });

  it('a secret the admin never entered still says to create one', async () => {
    const { info } = emulator;
    const core = startCore();
    await core.setWeakStorage(false);
    const report = await core.test({ cloud: 'custom', tenantId: info.tenantId, clientId: info.clientId });
    expect(report.checks.find((c) => c.id === 'inputs')).toMatchObject({
      code: 'secret-missing',
      fix: expect.stringContaining('create a new client secret'),
    });
  });
});
