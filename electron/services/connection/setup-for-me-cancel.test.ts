/**
 * Cancel and the time limits of "Set it up for me" in the app, through the real core and dispatcher on the demo
 * tenant (real HTTPS, the real msal-node): cancelling the device-code wait ends it at once with nothing created;
 * cancelling the five steps during a replication wait says what was created and offers undo, which removes it; a
 * sign-in not finished within 15 minutes of the core's clock, and the sign-in kept for undo ending after 15
 * minutes, each say what happened and what to do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import type { SetupForMeState } from '../../../shared/contract/setup-for-me';
import { dispatch } from '../app/dispatcher';
import { createTestCore } from '../app/test-core';
import { silentLogger } from '../ports';
import { FakeClock } from '../schedule/fake-clock';

describe('cancel and time limits of set it up for me in the app', () => {
  let t: ReturnType<typeof createTestCore> | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  const open = (clock?: FakeClock) => {
    const core = createTestCore(clock ? { clock } : {});
    t = core;
    const call = async <T>(channel: string, args?: unknown): Promise<T> => {
      const envelope = await dispatch(core.core.handlers, channel, args, silentLogger);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
      return envelope.value as T;
    };
    /** Waits for a pushed state matching `test`. */
    const reach = (test: (s: SetupForMeState) => boolean) =>
      new Promise<SetupForMeState>((resolve) => {
        const check = (s: SetupForMeState | null) => {
          if (s && test(s)) {
            off();
            resolve(s);
          }
        };
        const off = core.events.subscribe((event, payload) => {
          if (event === 'setupForMe:changed') check(payload as SetupForMeState | null);
        });
        void call<SetupForMeState | null>('setupForMe:get').then(check);
      });
    const emulator = () => {
      const e = core.demoTenant.running();
      if (!e) throw new Error('no demo tenant');
      return e;
    };
    return { call, reach, emulator };
  };

  const create = (name: string) => ({ kind: 'create', name, secretMonths: 12, method: 'device-code', demo: true });

  it('cancelling the device-code wait ends it at once: nothing created, the sign-in dropped', { timeout: 15_000 }, async () => {
    const { call, reach, emulator } = open();
    await call('connection:startDemo', { users: 20, groups: 4 });
    // The admin has not entered the code; msal would poll again only after a minute.
    emulator().control.setAdminSignIn({ holdDeviceCodes: true, deviceCodeIntervalSeconds: 60 });
    const before = emulator().control.registrationCounters().delegatedTokensIssued;
    await call('setupForMe:start', create('Sync (cancel sign-in)'));
    expect((await reach((s) => s.deviceCode !== undefined)).phase).toBe('signing-in');

    const cancelled = await call<SetupForMeState>('setupForMe:cancel');
    expect(cancelled).toMatchObject({ phase: 'cancelled', canUndo: false });
    expect(cancelled.deviceCode).toBeUndefined();
    expect(emulator().control.registeredApps()).toHaveLength(0);
    expect(emulator().control.registrationCounters().delegatedTokensIssued).toBe(before);
    await expect(call('setupForMe:undo')).rejects.toMatchObject({ code: 'cannot-undo' });
  });

  it('cancelling the steps in a replication wait lists what was created and offers undo', { timeout: 15_000 }, async () => {
    // The core's clock (and the demo tenant's) only moves when told: the wait ends by cancel or not at all.
    const clock = new FakeClock(new Date());
    const { call, reach, emulator } = open(clock);
    await call('connection:startDemo', { users: 20, groups: 4 });
    const demoApp = (await call<ConnectionSummary>('connection:get')).clientId;
    // The new service principal answers 404 for a minute: the flow counts down, and the admin cancels.
    emulator().control.setReplicationDelay(60);
    await call('setupForMe:start', create('Sync (cancel steps)'));
    await reach((s) => s.steps.some((step) => step.status === 'waiting'));

    const cancelled = await call<SetupForMeState>('setupForMe:cancel');
    expect(cancelled).toMatchObject({
      phase: 'failed',
      canUndo: true,
      failure: { step: 'service-principal', code: 'cancelled' },
      created: { appId: expect.any(String), reused: false },
    });
    expect(cancelled.failure?.message).toMatch(/Created before it stopped: the application “Sync \(cancel steps\)” \(client ID /);
    expect(cancelled.failure?.fix).toMatch(/Undo/);
    expect(cancelled.steps.find((s) => s.id === 'service-principal')?.status).toBe('failed');
    expect(
      emulator()
        .control.registeredApps()
        .map((a) => a.displayName),
    ).toEqual(['Sync (cancel steps)']);
    expect((await call<ConnectionSummary>('connection:get')).clientId).toBe(demoApp);

    // A minute later the application has replicated and can be deleted.
    emulator().control.setReplicationDelay(0);
    await clock.advance(60_000);
    const undone = await call<SetupForMeState>('setupForMe:undo');
    expect(undone.phase).toBe('undone');
    expect(emulator().control.registeredApps()).toHaveLength(0);
  });

  it('a sign-in not finished within 15 minutes ends with what happened and what to do', { timeout: 15_000 }, async () => {
    const clock = new FakeClock(new Date());
    const { call, reach, emulator } = open(clock);
    await call('connection:startDemo', { users: 20, groups: 4 });
    emulator().control.setAdminSignIn({ holdDeviceCodes: true, deviceCodeIntervalSeconds: 60 });
    await call('setupForMe:start', create('Sync (too late)'));
    await reach((s) => s.deviceCode !== undefined);
    await clock.advance(14 * 60_000);
    expect((await call<SetupForMeState>('setupForMe:get'))?.phase).toBe('signing-in');

    await clock.advance(60_000);
    const ended = await reach((s) => s.phase !== 'signing-in');
    expect(ended).toMatchObject({ phase: 'failed', canUndo: false, failure: { step: 'sign-in', code: 'sign-in-expired' } });
    expect(ended.failure?.message).toMatch(/not finished within 15 minutes/);
    expect(ended.failure?.fix).toMatch(/Start again/);
    expect(emulator().control.registeredApps()).toHaveLength(0);
  });

  it(
    'the sign-in kept for undo ends after 15 minutes, and the flow says so and what to do instead',
    { timeout: 15_000 },
    async () => {
      const clock = new FakeClock(new Date());
      const { call, reach, emulator } = open(clock);
      await call('connection:startDemo', { users: 20, groups: 4 });
      emulator().control.failRegistrationStep('secret');
      await call('setupForMe:start', create('Sync (kept)'));
      const failed = await reach((s) => s.phase === 'failed');
      expect(failed).toMatchObject({ canUndo: true, failure: { step: 'secret' } });
      expect(failed.notice).toBeUndefined();

      await clock.advance(15 * 60_000);
      const dropped = await reach((s) => s.notice !== undefined);
      expect(dropped.canUndo).toBe(false);
      expect(dropped.notice).toMatch(/ended after 15 minutes/);
      expect(dropped.notice).toContain(`client ID ${failed.created?.appId}`);
      expect(dropped.notice).toMatch(/delete .* in the portal|again with the same name/);
      await expect(call('setupForMe:undo')).rejects.toMatchObject({ code: 'cannot-undo' });
    },
  );
});
