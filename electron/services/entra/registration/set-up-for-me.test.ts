/**
 * The orchestrator the hosts' handlers drive, against the demo tenant with the real msal-node: outcomes carry no
 * token and no secret, a failed run keeps the admin's session only for undo (and drops it after), a sign-in in
 * progress can be cancelled.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { jumpingClock } from '../../graph/fake-graph-server';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { emulatorCloud } from '../validator-harness';
import { memoryStore, scriptedBrowser } from './registration-harness';
import { createSetUpForMe } from './set-up-for-me';

let emu: RunningEmulator;
let transport: HttpTransport;

beforeAll(async () => {
  emu = await startEmulator({ users: 12, groups: 2, seed: 23, adminAutoApprove: true });
  transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});
afterEach(() => {
  emu.control.failRegistrationStep(null);
  emu.control.setAdminSignIn({ autoApprove: true });
});

const setUp = (store = memoryStore()) =>
  createSetUpForMe({
    cloud: emulatorCloud(emu.info),
    transport,
    store,
    publicClient: { kind: 'organisation', clientId: emu.info.publicClientId },
    openBrowser: scriptedBrowser(emu.info.authorityHost, transport).open,
    clock: jumpingClock(),
  });

describe('create it for me (what the handlers drive)', () => {
  it('answers the renderer without the secret or a token; the secret went to the store only', async () => {
    const store = memoryStore();
    const s = setUp(store);
    const progress: string[] = [];
    const outcome = await s.start(
      { method: 'browser', name: 'UI sync' },
      { onProgress: (p) => progress.push(JSON.stringify(p)) },
    );
    expect(outcome.ok).toBe(true);
    const secret = store.saved[0]?.secret as string;
    expect(secret).toMatch(/8Q~/);
    const answer = JSON.stringify(outcome) + progress.join('\n');
    expect(answer).not.toContain(secret);
    expect(answer).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
    expect(await s.undo()).toBe(false);
  });

  it('keeps the session of a failed run for undo only, then drops it', async () => {
    emu.control.failRegistrationStep('secret');
    const s = setUp();
    const outcome = await s.start({ method: 'device-code', name: 'UI sync (fails)' });
    expect(outcome).toMatchObject({ ok: false, canUndo: true, failure: { step: 'secret' } });
    expect(emu.control.registeredApps().filter((a) => a.displayName === 'UI sync (fails)')).toHaveLength(1);
    expect(await s.undo()).toBe(true);
    expect(emu.control.registeredApps().filter((a) => a.displayName === 'UI sync (fails)')).toHaveLength(0);
    expect(await s.undo()).toBe(false);
  });

  it('cancels a device-code sign-in waiting for the admin', async () => {
    emu.control.setAdminSignIn({ autoApprove: false });
    const s = setUp();
    const outcome = await s.start({ method: 'device-code', name: 'UI sync (cancelled)' }, { onDeviceCode: () => s.cancel() });
    expect(outcome).toMatchObject({ ok: false, canUndo: false, failure: { step: 'sign-in', code: 'cancelled' } });
  });

  it('cancels the steps: the outcome names what was created, and undo removes it', async () => {
    const s = setUp();
    const outcome = await s.start(
      { method: 'device-code', name: 'UI sync (cancelled steps)' },
      { onProgress: (p) => p.step === 'service-principal' && p.status === 'running' && s.cancel() },
    );
    expect(outcome).toMatchObject({ ok: false, canUndo: true, failure: { step: 'consent', code: 'cancelled' } });
    expect(emu.control.registeredApps().filter((a) => a.displayName === 'UI sync (cancelled steps)')).toMatchObject([
      { grantedRoles: [], secrets: [] },
    ]);
    expect(await s.undo()).toBe(true);
    expect(emu.control.registeredApps().filter((a) => a.displayName === 'UI sync (cancelled steps)')).toHaveLength(0);
  });
});
