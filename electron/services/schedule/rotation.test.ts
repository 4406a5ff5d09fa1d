import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../shared/ipc';
import { emulatedDemoTenant } from '../../emulator';
import { createAppCore, type AppCore } from '../app/app-core';
import { EventHub } from '../app/events';
import { connectionSecretVaultKey } from '../connection/connection-service';
import { systemClock } from '../ports';
import { FileVault } from '../settings/file-vault';
import { recordingLogger, recordingNotifier, tempSettings, type TempSettings } from './test-support';

/** A real app core (connection, sync, schedule) over a temp folder, with everything it says recorded. */
function boot() {
  const files = tempSettings();
  const events = new EventHub();
  const seen: { event: EventChannel; payload: unknown }[] = [];
  events.subscribe((event, payload) => void seen.push({ event, payload }));
  const logger = recordingLogger();
  const notifier = recordingNotifier();
  const vault = new FileVault(join(files.dir, 'secrets.json'));
  const core = createAppCore({
    host: 'browser',
    version: '0.0.0-test',
    platform: process.platform,
    dataDir: files.dir,
    settings: files.open(systemClock),
    vault,
    notifier: { notify: (n) => (notifier.notify(n), events.emit('app:notification', n)) },
    clock: systemClock,
    logger,
    events,
    demoTenant: emulatedDemoTenant(),
  });
  return { files, core, seen, logger, notifier, vault, h: core.handlers };
}

let world: { files: TempSettings; core: AppCore } | undefined;
afterEach(async () => {
  await world?.core.close();
  world?.files.dispose();
  world = undefined;
});

/** Everything written outside the vault, logged, notified or sent to the renderer, as one text. */
function everythingButTheVault(w: ReturnType<typeof boot>): string {
  const files = readdirSync(w.files.dir)
    .filter((name) => name !== 'secrets.json' && name.endsWith('.json'))
    .map((name) => readFileSync(join(w.files.dir, name), 'utf8'));
  return [...files, JSON.stringify(w.logger.lines), JSON.stringify(w.notifier.sent), JSON.stringify(w.seen)].join('\n');
}

describe('rotation against the demo tenant', () => {
  it('warns at 7 days, replaces the secret only with one that works, and moves the reminders to the new expiry', async () => {
    const w = boot();
    world = w;
    await w.h['connection:startDemo']({ secretExpiresInDays: 7 });
    const before = await w.h['reminders:get'](undefined);
    expect(before).toMatchObject({ configured: true, level: 'urgent', threshold: 7, showBanner: true, source: 'graph' });
    expect(w.notifier.sent.map((n) => n.title)).toContain('The client secret expires in 7 days');
    expect(w.seen.some((e) => e.event === 'reminders:changed')).toBe(true);

    const info = await w.h['rotation:get'](undefined);
    expect(info).toMatchObject({ configured: true, demo: true, credentialsLink: null });
    const oldHint = info.currentHint;
    const oldSecret = await w.vault.get(connectionSecretVaultKey);

    // A wrong value: tested, refused, the stored secret kept.
    const beforeWrong = await w.h['connection:get'](undefined);
    const wrong = await w.h['rotation:replace']({ secret: 'abc8Q~' + 'x'.repeat(34) });
    expect(wrong.replaced).toBe(false);
    expect(wrong.report?.checks.find((c) => c.id === 'secret')?.status).toBe('fail');
    expect(await w.vault.get(connectionSecretVaultKey)).toBe(oldSecret);
    // …and the connection in use still counts as working: the failed candidate changed nothing.
    const afterWrong = await w.h['connection:get'](undefined);
    expect(afterWrong.lastValidation).toEqual(beforeWrong.lastValidation);
    expect(afterWrong.secretHint).toBe(oldHint);

    // The same value again: nothing to do.
    expect(await w.h['rotation:replace']({ secret: oldSecret ?? '' })).toMatchObject({
      replaced: false,
      sameAsCurrent: true,
      report: null,
    });

    // A new secret from the (emulated) portal, valid for a year.
    const created = await w.h['rotation:demoNewSecret']({ days: 365 });
    const result = await w.h['rotation:replace']({ secret: `  ${created.value}\n` });
    expect(result.replaced).toBe(true);
    expect(result.report?.ok).toBe(true);
    expect(w.seen.some((e) => e.event === 'connection:progress')).toBe(true);
    expect(await w.vault.get(connectionSecretVaultKey)).toBe(created.value);
    expect(result.reminders).toMatchObject({
      level: 'ok',
      showBanner: false,
      threshold: null,
      expiresAt: new Date(created.expiresAt).toISOString(),
    });
    expect(result.reminders.oldSecret).toMatchObject({ hint: oldHint, keyId: expect.any(String), displayName: 'Demo secret' });
    expect((await w.h['rotation:get'](undefined)).currentHint).toBe(created.hint);

    expect((await w.h['rotation:confirmOldDeleted'](undefined)).oldSecret).toBeNull();

    // No secret value anywhere but the vault (the demo value was returned once, to the caller, like the portal).
    const text = everythingButTheVault(w);
    for (const secret of [oldSecret ?? '', created.value]) {
      expect(secret.length).toBeGreaterThan(30);
      expect(text).not.toContain(secret);
    }
  });

  it('refuses to create secrets for a real tenant, and to replace one before anything is set up', async () => {
    const w = boot();
    world = w;
    await expect(w.h['rotation:demoNewSecret']({ days: 30 })).rejects.toMatchObject({ code: 'not-demo' });
    await expect(w.h['rotation:replace']({ secret: 'abc8Q~' + 'y'.repeat(34) })).rejects.toMatchObject({
      code: 'not-configured',
    });
    expect(await w.h['rotation:get'](undefined)).toMatchObject({ configured: false, credentialsLink: null });
  });

  it('gives the Certificates & secrets link of the saved app in its cloud', async () => {
    const w = boot();
    world = w;
    await w.h['connection:saveDraft']({
      cloud: 'usgov',
      tenantId: '11111111-2222-3333-4444-555555555555',
      clientId: '66666666-7777-8888-9999-000000000000',
    });
    const info = await w.h['rotation:get'](undefined);
    expect(info.credentialsLink?.url).toBe(
      'https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/66666666-7777-8888-9999-000000000000/isMSAApp~/false',
    );
  });
});
