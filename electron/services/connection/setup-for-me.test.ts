/**
 * "Set it up for me" through the real core and dispatcher on the demo tenant (real HTTPS, the real msal-node): the
 * device code and the browser sign-in (the demo tenant approving as its Global Administrator), the five steps, the
 * new application as the connection and its test passed; re-running offers the application for reuse; a step
 * failing with undo leaving nothing behind; "Rotate the secret for me" removing the old secret only after the new
 * one passed; and the new secret in no event, answer, settings file or log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import type { SetupForMeState } from '../../../shared/contract/setup-for-me';
import { dispatch } from '../app/dispatcher';
import { createTestCore } from '../app/test-core';
import { silentLogger } from '../ports';

describe('set it up for me in the app', () => {
  let t: ReturnType<typeof createTestCore>;
  let seen: unknown[];
  beforeEach(() => {
    t = createTestCore();
    seen = [];
    t.events.subscribe((event, payload) => seen.push({ event, payload }));
  });
  afterEach(async () => {
    await t.dispose();
  });

  const call = async <T>(channel: string, args?: unknown): Promise<T> => {
    const envelope = await dispatch(t.core.handlers, channel, args, silentLogger);
    seen.push(envelope);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
    return envelope.value as T;
  };
  /** Waits for the flow to reach one of `phases` (pushed as setupForMe:changed). */
  const reach = (...phases: SetupForMeState['phase'][]) =>
    new Promise<SetupForMeState>((resolve) => {
      const check = (s: SetupForMeState | null) => {
        if (s && phases.includes(s.phase)) {
          off();
          resolve(s);
        }
      };
      const off = t.events.subscribe((event, payload) => {
        if (event === 'setupForMe:changed') check(payload as SetupForMeState | null);
      });
      void call<SetupForMeState | null>('setupForMe:get').then(check);
    });
  const emulator = () => {
    const e = t.demoTenant.running();
    if (!e) throw new Error('no demo tenant');
    return e;
  };
  /** Every new secret the demo tenant handed out, for the leak check. */
  const secretsHandedOut: string[] = [];
  const everythingWritten = () => [
    JSON.stringify(seen),
    ...readdirSync(t.dataDir)
      .filter((f) => f.endsWith('.json') && f !== 'secrets.json')
      .map((f) => readFileSync(join(t.dataDir, f), 'utf8')),
  ];

  it('creates the application on the demo tenant with a device code, uses it as the connection, and tests it', async () => {
    const plan = await call<{ delegatedPermissions: { scope: string }[]; secretMonths: number; demo: boolean }>(
      'setupForMe:plan',
      {},
    );
    expect(plan.delegatedPermissions.map((p) => p.scope)).toEqual([
      'Application.ReadWrite.All',
      'AppRoleAssignment.ReadWrite.All',
    ]);
    expect(plan.secretMonths).toBe(12);

    const started = await call<SetupForMeState>('setupForMe:start', {
      kind: 'create',
      name: 'Sync (device code)',
      secretMonths: 6,
      method: 'device-code',
      demo: true,
    });
    expect(started.phase).toBe('signing-in');
    const done = await reach('succeeded', 'failed');
    expect(done.failure).toBeUndefined();
    expect(done.steps.map((s) => [s.id, s.status])).toEqual([
      ['application', 'done'],
      ['service-principal', 'done'],
      ['consent', 'done'],
      ['secret', 'done'],
      ['store-validate', 'done'],
    ]);
    const shown = seen.some((e) => JSON.stringify(e).includes('"userCode"'));
    expect(shown).toBe(true);

    const app = emulator()
      .control.registeredApps()
      .find((a) => a.displayName === 'Sync (device code)');
    expect(app).toMatchObject({ grantedRoles: ['Directory.Read.All'] });
    const connection = await call<ConnectionSummary>('connection:get');
    expect(connection).toMatchObject({ demo: true, clientId: app?.appId, lastValidation: { requiredPassed: true } });
    expect(done.result).toMatchObject({ clientId: app?.appId, secretHint: connection.secretHint });

    // The secret is in the vault only.
    const vault = readFileSync(join(t.dataDir, 'secrets.json'), 'utf8');
    expect(vault.length).toBeGreaterThan(0);
    const secret = await vaultSecret();
    expect(secret.slice(0, 3)).toBe(connection.secretHint.slice(0, 3));
    secretsHandedOut.push(secret);
    for (const text of everythingWritten()) expect(text).not.toContain(secret);
  });

  it('signs in through the browser, offers the application of that name for reuse, and reuses it', async () => {
    await call('setupForMe:start', { kind: 'create', name: 'Sync (twice)', secretMonths: 12, method: 'browser', demo: true });
    const first = await reach('succeeded', 'failed');
    expect(first.phase).toBe('succeeded');
    expect(first.browserOpened).toBe(true);
    await call('setupForMe:dismiss');

    await call('setupForMe:start', { kind: 'create', name: 'Sync (twice)', secretMonths: 12, method: 'browser', demo: true });
    const existing = await reach('existing', 'failed');
    expect(existing.existing).toMatchObject({ appId: first.result?.clientId, displayName: 'Sync (twice)' });
    await call('setupForMe:continue', { reuse: true });
    const again = await reach('succeeded', 'failed');
    expect(again.result).toMatchObject({ reused: true, clientId: first.result?.clientId });
    const apps = emulator()
      .control.registeredApps()
      .filter((a) => a.displayName === 'Sync (twice)');
    expect(apps).toHaveLength(1);
    expect(apps[0]?.secrets).toHaveLength(2);
  });

  it('says which step failed and why, and undo leaves nothing behind; the demo app is the connection again', async () => {
    await call('connection:startDemo', { users: 20, groups: 4 });
    const demoApp = (await call<ConnectionSummary>('connection:get')).clientId;
    emulator().control.failRegistrationStep('secret');
    await call('setupForMe:start', { kind: 'create', name: 'Sync (fails)', secretMonths: 12, method: 'device-code', demo: true });
    const failed = await reach('failed', 'succeeded');
    expect(failed.failure).toMatchObject({ step: 'secret', message: expect.stringMatching(/client secret failed/i) });
    expect(failed.failure?.fix).toBeTruthy();
    expect(failed.steps.find((s) => s.id === 'secret')?.status).toBe('failed');
    expect(failed.created).toMatchObject({
      appId: expect.any(String),
      servicePrincipalId: expect.any(String),
      consentGranted: true,
    });
    expect(failed.canUndo).toBe(true);
    expect(
      emulator()
        .control.registeredApps()
        .filter((a) => a.displayName === 'Sync (fails)'),
    ).toHaveLength(1);

    emulator().control.failRegistrationStep(null);
    const undone = await call<SetupForMeState>('setupForMe:undo');
    expect(undone.phase).toBe('undone');
    expect(
      emulator()
        .control.registeredApps()
        .filter((a) => a.displayName === 'Sync (fails)'),
    ).toHaveLength(0);
    expect((await call<ConnectionSummary>('connection:get')).clientId).toBe(demoApp);
    await expect(call('setupForMe:undo')).rejects.toMatchObject({ code: 'cannot-undo' });
  });

  it('continues by hand from the failed step', async () => {
    await call('connection:startDemo', { users: 20, groups: 4 });
    emulator().control.failRegistrationStep('consent');
    await call('setupForMe:start', {
      kind: 'create',
      name: 'Sync (by hand)',
      secretMonths: 12,
      method: 'device-code',
      demo: true,
    });
    expect((await reach('failed', 'succeeded')).failure?.step).toBe('consent');
    const { step } = await call<{ step: string }>('setupForMe:handOff');
    expect(step).toBe('permission');
    expect(await call('connection:getSetup')).toMatchObject({ step: 'permission', completed: ['register'] });
    expect(await call('setupForMe:get')).toBeNull();
  });

  it('rotates the secret: new one tested and stored, the old one removed after, the keyId and hint shown', async () => {
    await call('setupForMe:start', {
      kind: 'create',
      name: 'Sync (rotate)',
      secretMonths: 12,
      method: 'device-code',
      demo: true,
    });
    const created = await reach('succeeded', 'failed');
    const before = await call<ConnectionSummary>('connection:get');
    const app = () =>
      emulator()
        .control.registeredApps()
        .find((a) => a.appId === created.result?.clientId);
    const oldKeyId = String(app()?.secrets[0]?.keyId);
    await call('setupForMe:dismiss');

    await call('setupForMe:start', { kind: 'rotate', secretMonths: 3, method: 'device-code' });
    const rotated = await reach('succeeded', 'failed');
    expect(rotated.failure).toBeUndefined();
    expect(rotated.rotation?.removed).toEqual({ keyId: oldKeyId, hint: before.secretHint.slice(0, 3) + '••••••' });
    const after = await call<ConnectionSummary>('connection:get');
    expect(after.secretHint).not.toBe(before.secretHint);
    expect(after.lastValidation?.requiredPassed).toBe(true);
    expect(app()?.secrets.map((s) => s.keyId)).toEqual([rotated.rotation?.added.keyId]);
    const secret = await vaultSecret();
    for (const text of everythingWritten()) expect(text).not.toContain(secret);
  });

  it('keeps the public-client setting and refuses a lifetime beyond 24 months', async () => {
    expect((await call<{ publicClient: unknown }>('setupForMe:plan', {})).publicClient).toEqual({ kind: 'first-party' });
    const own = { kind: 'organisation', clientId: '11111111-2222-3333-4444-555555555555' };
    await call('setupForMe:savePublicClient', own);
    expect((await call<{ publicClient: unknown }>('setupForMe:plan', {})).publicClient).toEqual(own);
    await expect(call('setupForMe:plan', { secretMonths: 25 })).rejects.toMatchObject({ code: 'invalid-payload' });
  });

  /** The client secret in use, read from the vault file as the core does (the test core's vault is a plain file). */
  async function vaultSecret(): Promise<string> {
    const { FileVault } = await import('../settings/file-vault');
    const value = await new FileVault(join(t.dataDir, 'secrets.json')).get('connection.clientSecret');
    if (!value) throw new Error('no secret in the vault');
    return value;
  }
});
