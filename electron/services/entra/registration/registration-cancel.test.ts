/**
 * Cancel and the sign-in's time limit of "Set it up for me", against the demo tenant over real HTTPS with the real
 * msal-node: a sign-in the admin abandoned ends at once when cancelled, its loopback port closed; a device code
 * waiting for the admin too, without waiting for msal's next poll; a sign-in not finished within 15 minutes of the
 * injected clock ends with what happened and what to do; and cancelling the five steps stops them before their next
 * Graph write (or at once in a replication wait), naming what was created, which undo then removes.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { FakeClock, settle } from '../../schedule/fake-clock';
import { emulatorCloud } from '../validator-harness';
import { SIGN_IN_TIMEOUT_MS, signInAdmin, type AdminSession } from './admin-sign-in';
import { memoryStore } from './registration-harness';
import { createRegistrationService } from './registration-service';
import { RegistrationError, type RegistrationProgress } from './registration-types';

let emu: RunningEmulator;
let transport: HttpTransport;
const sessions: AdminSession[] = [];

beforeAll(async () => {
  emu = await startEmulator({ users: 12, groups: 2, seed: 31, adminAutoApprove: true });
  transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  emu.control.setAdminSignIn({ autoApprove: true, deviceCodeIntervalSeconds: 1 });
});

const options = (clock?: FakeClock) => ({
  cloud: emulatorCloud(emu.info),
  transport,
  publicClient: { kind: 'organisation' as const, clientId: emu.info.publicClientId },
  ...(clock ? { clock } : {}),
});

/** True when something listens on 127.0.0.1:`port`. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The loopback port msal's sign-in page redirects to. */
const loopbackPort = (url: string) => Number(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);

/** A browser the admin walks away from: the page opens, nothing is ever posted back. */
function abandonedBrowser() {
  let opened: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (opened = resolve));
  return { url, open: async (u: string) => opened(u) };
}

const failureOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistrationError);
  return (error as RegistrationError).failure;
};

describe('cancelling the sign-in', () => {
  it('in the browser ends the wait at once and closes the loopback port', { timeout: 8000 }, async () => {
    emu.control.setAdminSignIn({ autoApprove: false });
    const abort = new AbortController();
    const browser = abandonedBrowser();
    const signIn = signInAdmin(options(), { kind: 'interactive', openBrowser: browser.open, signal: abort.signal });
    const port = loopbackPort(await browser.url);
    expect(await listening(port)).toBe(true);
    abort.abort();
    expect(await failureOf(signIn)).toMatchObject({
      step: 'sign-in',
      code: 'cancelled',
      message: expect.stringMatching(/nothing was created/),
    });
    expect(await listening(port)).toBe(false);
  });

  it.each(['interactive', 'device-code'] as const)(
    'already cancelled (the admin cancelled while the app was getting ready) opens no browser and shows no code (%s)',
    { timeout: 8000 },
    async (kind) => {
      emu.control.setAdminSignIn({ autoApprove: false });
      const abort = new AbortController();
      abort.abort();
      let asked = 0;
      const failure = await failureOf(
        kind === 'interactive'
          ? signInAdmin(options(), { kind, signal: abort.signal, openBrowser: async () => void asked++ })
          : signInAdmin(options(), { kind, signal: abort.signal, onCode: () => void asked++ }),
      );
      expect(failure.code).toBe('cancelled');
      expect(asked).toBe(0);
    },
  );

  it('with a device code ends the wait at once, not at msal next poll', { timeout: 8000 }, async () => {
    // Entra asks for 5 s between polls; a minute here, so waiting for the poll would outlast the test.
    emu.control.setAdminSignIn({ autoApprove: false, deviceCodeIntervalSeconds: 60 });
    const abort = new AbortController();
    let codes = 0;
    const failure = await failureOf(
      signInAdmin(options(), {
        kind: 'device-code',
        signal: abort.signal,
        onCode: () => {
          codes++;
          setImmediate(() => abort.abort());
        },
      }),
    );
    expect(codes).toBe(1);
    expect(failure).toMatchObject({ step: 'sign-in', code: 'cancelled' });
  });
});

describe('the sign-in time limit (15 minutes of the injected clock)', () => {
  it('ends a browser sign-in the admin never finished, closes the port, and says what to do', { timeout: 8000 }, async () => {
    emu.control.setAdminSignIn({ autoApprove: false });
    const clock = new FakeClock(new Date());
    const browser = abandonedBrowser();
    let settled = false;
    const signIn = signInAdmin(options(clock), { kind: 'interactive', openBrowser: browser.open });
    void signIn.catch(() => undefined).finally(() => (settled = true));
    const port = loopbackPort(await browser.url);
    await clock.advance(SIGN_IN_TIMEOUT_MS - 60_000);
    expect(settled).toBe(false);
    expect(await listening(port)).toBe(true);
    await clock.advance(60_000);
    const failure = await failureOf(signIn);
    expect(failure).toMatchObject({ step: 'sign-in', code: 'sign-in-expired' });
    expect(failure.message).toMatch(/not finished within 15 minutes/);
    expect(failure.fix).toMatch(/Start again/);
    expect(failure.detail).toBeUndefined();
    expect(await listening(port)).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('ends a device code no one entered, with the same words', { timeout: 8000 }, async () => {
    emu.control.setAdminSignIn({ autoApprove: false, deviceCodeIntervalSeconds: 60 });
    const clock = new FakeClock(new Date());
    let shown: (() => void) | undefined;
    const codeShown = new Promise<void>((resolve) => (shown = resolve));
    const failed = failureOf(signInAdmin(options(clock), { kind: 'device-code', onCode: () => shown?.() }));
    await codeShown;
    await clock.advance(SIGN_IN_TIMEOUT_MS);
    const failure = await failed;
    expect(failure).toMatchObject({ step: 'sign-in', code: 'sign-in-expired' });
    expect(failure.message).toMatch(/15 minutes/);
  });

  it('leaves no timer behind after a sign-in that finished', async () => {
    const clock = new FakeClock(new Date());
    const session = await signInAdmin(options(clock), { kind: 'device-code', onCode: () => undefined });
    sessions.push(session);
    expect(clock.pending()).toBe(0);
  });
});

describe('cancelling the five steps', () => {
  const named = (name: string) => emu.control.registeredApps().filter((a) => a.displayName === name);

  it('stops before the next Graph write, names what was created, and undo removes it', { timeout: 8000 }, async () => {
    const session = await signInAdmin(options(), { kind: 'device-code', onCode: () => undefined });
    sessions.push(session);
    const store = memoryStore();
    const service = createRegistrationService({ cloud: options().cloud, transport, store, clock: new FakeClock(new Date()) });
    const abort = new AbortController();
    const progress: RegistrationProgress[] = [];
    const onProgress = (p: RegistrationProgress) => {
      progress.push(p);
      // The admin presses Cancel while the consent is being granted.
      if (p.step === 'consent' && p.status === 'running') abort.abort();
    };
    const error = (await service
      .run(session, { name: 'Sync (cancelled)' }, { onProgress, signal: abort.signal })
      .catch((e: unknown) => e)) as RegistrationError;
    expect(error).toBeInstanceOf(RegistrationError);
    expect(error.failure).toMatchObject({ step: 'secret', code: 'cancelled' });
    expect(error.failure.message).toMatch(/Created before it stopped: the application “Sync \(cancelled\)” \(client ID /);
    expect(error.failure.message).toMatch(/its service principal, admin consent to Directory.Read.All\.$/);
    expect(error.failure.fix).toMatch(/Undo removes all of it/);
    expect(error.created).toMatchObject({
      appId: expect.any(String),
      servicePrincipalId: expect.any(String),
      consentGranted: true,
    });
    expect(error.created.secretKeyId).toBeUndefined();
    // The consent already sent was let finish; no secret was added and nothing stored.
    expect(named('Sync (cancelled)')).toMatchObject([{ grantedRoles: ['Directory.Read.All'], secrets: [] }]);
    expect(store.saved).toHaveLength(0);
    expect(progress.filter((p) => p.step === 'secret').map((p) => p.status)).toEqual(['failed']);

    await service.undo(session, error.created);
    expect(named('Sync (cancelled)')).toHaveLength(0);
  });

  it('cancelled before anything was created says so', async () => {
    const session = await signInAdmin(options(), { kind: 'device-code', onCode: () => undefined });
    sessions.push(session);
    const service = createRegistrationService({ cloud: options().cloud, transport, store: memoryStore() });
    const abort = new AbortController();
    abort.abort();
    const error = (await service
      .run(session, { name: 'Sync (never)' }, { signal: abort.signal })
      .catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({
      step: 'application',
      code: 'cancelled',
      message: expect.stringMatching(/nothing was created/),
    });
    expect(named('Sync (never)')).toHaveLength(0);
  });
});

describe('cancelling a replication wait', () => {
  let slow: RunningEmulator;
  let slowTransport: HttpTransport;
  const clock = new FakeClock(new Date());
  beforeAll(async () => {
    slow = await startEmulator({ users: 12, groups: 2, seed: 32, adminAutoApprove: true, replicationDelaySeconds: 30, clock });
    slowTransport = createHttpTransport({ extraCaPem: slow.info.caCertPem, timeoutMs: 10_000, env: {} });
  });
  afterAll(async () => {
    await slowTransport.close();
    await slow.close();
  });

  it('ends the wait at once (the clock never moves) with the application created so far', { timeout: 8000 }, async () => {
    const c = emulatorCloud(slow.info);
    const session = await signInAdmin(
      { cloud: c, transport: slowTransport, publicClient: { kind: 'first-party' } },
      { kind: 'device-code', onCode: () => undefined },
    );
    sessions.push(session);
    const service = createRegistrationService({ cloud: c, transport: slowTransport, store: memoryStore(), clock });
    const abort = new AbortController();
    const run = service.run(
      session,
      { name: 'Sync (waiting)' },
      {
        signal: abort.signal,
        // The service principal answers 404 while Entra replicates: the admin cancels during the countdown.
        onProgress: (p) => p.status === 'waiting' && abort.abort(),
      },
    );
    const error = (await run.catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({ step: 'service-principal', code: 'cancelled' });
    expect(error.failure.message).toMatch(
      /Cancelled while creating its service principal\. Created before it stopped: the application/,
    );
    expect(error.created.servicePrincipalId).toBeUndefined();
    expect(clock.pending()).toBe(0);
    await settle();
    await clock.advance(30_000);
    await service.undo(session, error.created);
    expect(slow.control.registeredApps().filter((a) => a.displayName === 'Sync (waiting)')).toHaveLength(0);
  });
});
