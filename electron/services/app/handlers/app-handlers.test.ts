import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../../shared/contract/app';
import { currentSettingsVersion } from '../../../../shared/settings';
import { silentLogger } from '../../ports';
import { dispatch } from '../dispatcher';
import { createTestCore } from '../test-core';

const clientId = '11111111-2222-3333-4444-555555555555';

/** What the renderer sees of the settings file's state, through the real core and dispatcher. */
describe('app handlers over settings the app cannot write', () => {
  let t: ReturnType<typeof createTestCore> | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  const call = async <T>(channel: string, args?: unknown): Promise<T> => {
    const envelope = await dispatch(t!.core.handlers, channel, args, silentLogger);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
    return envelope.value as T;
  };

  it('opens settings from a newer version read-only: shown as they are, every change refused with a code', async () => {
    const newer = JSON.stringify({
      schemaVersion: currentSettingsVersion + 1,
      onboarding: { model: 'user-sync', answers: { needGroups: true } },
      ui: { theme: 'dark' },
      connection: { cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: '', futureOnly: 'kept' },
    });
    t = createTestCore({ seed: (dir) => writeFileSync(join(dir, 'settings.json'), newer) });
    const settingsFile = join(t.dataDir, 'settings.json');

    const info = await call<AppInfo>('app:getInfo');
    expect(info.settingsNotice).toMatchObject({ code: 'settings-newer', readOnly: true });
    expect(info.settingsNotice?.message).toMatch(/written by a newer version \(v\d+\).*update the app/);
    expect(info.theme).toBe('dark');
    expect(await call('onboarding:get')).toMatchObject({ model: 'user-sync' });

    await expect(call('ui:setPreferences', { theme: 'light' })).rejects.toMatchObject({ code: 'settings-read-only' });
    await expect(call('onboarding:chooseModel', { model: 'manual', answers: {} })).rejects.toMatchObject({
      code: 'settings-read-only',
    });
    await expect(call('connection:saveDraft', { tenantId: 'fabrikam.onmicrosoft.com' })).rejects.toMatchObject({
      code: 'settings-read-only',
    });
    expect(readFileSync(settingsFile, 'utf8')).toBe(newer);
  });

  it('starts over newer settings whose reminders it cannot record, and still checks the expiring secret', async () => {
    // A settings file as this version writes it, with a secret expiring in 5 days and no reminder sent yet…
    t = createTestCore();
    await call('connection:saveDraft', { cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId });
    await call('connection:setManualExpiry', { expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    const written = JSON.parse(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    await t.dispose();
    // …then as a newer version left it.
    const newer = JSON.stringify({ ...written, schemaVersion: currentSettingsVersion + 1, reminders: {} });
    let checked!: (status: unknown) => void;
    const remindersChecked = new Promise((resolve) => (checked = resolve));
    t = createTestCore({ seed: (dir) => writeFileSync(join(dir, 'settings.json'), newer) });
    t.events.subscribe((event, payload) => event === 'reminders:changed' && checked(payload));
    expect((await call<AppInfo>('app:getInfo')).settingsNotice?.code).toBe('settings-newer');
    // The reminder service ran its start-up check to the end instead of failing on the read-only settings.
    const status = (await remindersChecked) as { daysLeft: number };
    expect(status.daysLeft).toBeGreaterThanOrEqual(4);
    expect(await call('reminders:get')).toMatchObject({ daysLeft: status.daysLeft });
    expect(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')).toBe(newer);
  });

  it('tells of a damaged vault, reports the secret missing, and saves a new one', async () => {
    t = createTestCore({
      seed: (dir) => {
        writeFileSync(
          join(dir, 'settings.json'),
          JSON.stringify({
            schemaVersion: currentSettingsVersion,
            connection: { cloud: 'global', tenantId: 'contoso.onmicrosoft.com', clientId: clientId, secretStored: true },
          }),
        );
        writeFileSync(join(dir, 'secrets.json'), '\u0000\u0000garbage');
      },
    });
    const info = await call<AppInfo>('app:getInfo');
    expect(info.vaultNotice).toMatchObject({ code: 'vault-corrupt' });
    expect(info.vaultNotice?.backupPath.startsWith(join(t.dataDir, 'secrets.json.corrupt-'))).toBe(true);
    expect(await call('connection:get')).toMatchObject({ secretStored: false, complete: false });

    await call('connection:setWeakStorage', { store: true });
    const saved = await call('connection:save', { secret: 'new8Q~' + 'c'.repeat(34) });
    expect(saved).toMatchObject({ secretStored: true, complete: true });
  });
});
