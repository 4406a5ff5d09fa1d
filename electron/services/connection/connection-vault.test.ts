import Conf from 'conf';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatedDemoTenant } from '../../emulator';
import { silentLogger, systemClock } from '../ports';
import { FileVault } from '../settings/file-vault';
import { createSettingsStore } from '../settings/settings-store';
import { connectionSecretVaultKey, createConnectionService, type ConnectionService } from './connection-service';

/** The connection over a secrets.json that became unreadable between two runs of the app. */
describe('ConnectionService over a damaged vault', () => {
  let dir: string;
  let service: ConnectionService | undefined;
  const vaultPath = () => join(dir, 'secrets.json');

  const open = () => {
    const settings = createSettingsStore({
      open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
      filePath: join(dir, 'settings.json'),
      clock: systemClock,
      logger: silentLogger,
    });
    const vault = new FileVault(vaultPath());
    service = createConnectionService({ settings, vault, demoTenant: emulatedDemoTenant(), logger: silentLogger, env: {} });
    return { settings, vault, service };
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'esa-vault-conn-'))));
  afterEach(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the secret as missing, keeps the damaged file, and lets a new secret be saved', async () => {
    const first = open();
    await first.service.setWeakStorage(true);
    const saved = await first.service.save({
      cloud: 'global',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      secret: 'old8Q~' + 'a'.repeat(34),
    });
    expect(saved).toMatchObject({ secretStored: true, complete: true });
    await first.service.close();

    writeFileSync(vaultPath(), '{"connection.clientSecret": "b2xk');
    const again = open();
    expect(again.service.get()).toMatchObject({ secretStored: false, complete: false, tenantId: 'contoso.onmicrosoft.com' });
    expect(again.settings.get().connection.secretStored).toBe(false);
    const notice = again.vault.notice?.();
    expect(notice?.code).toBe('vault-corrupt');
    expect(readdirSync(dir)).toContain(notice!.backupPath.slice(dir.length + 1));

    const fresh = 'new8Q~' + 'b'.repeat(34);
    expect(await again.service.save({ secret: fresh })).toMatchObject({ secretStored: true, complete: true });
    expect(await new FileVault(vaultPath()).get(connectionSecretVaultKey)).toBe(fresh);
  });

  it('restarts the demo tenant over a damaged vault, and its test passes', async () => {
    const first = open();
    await first.service.startDemo({ users: 20, groups: 3 });
    await first.service.close();

    writeFileSync(vaultPath(), 'not json at all');
    const again = open();
    await again.service.ready();
    expect(again.service.get()).toMatchObject({ demo: true, demoRunning: true, secretStored: true, complete: true });
    expect(again.vault.notice?.()?.code).toBe('vault-corrupt');
    expect((await again.service.test()).ok).toBe(true);
  });
});
