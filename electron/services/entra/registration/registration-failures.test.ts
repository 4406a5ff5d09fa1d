/**
 * "Set it up for me" when it goes wrong, against the demo tenant with the real msal-node: a sign-in that is not an
 * administrator, blocked by Conditional Access, cancelled or in the wrong cloud; a tenant forbidding app creation;
 * a failure injected at each of the five steps, each undone without leaving anything behind; Entra's replication
 * delay ridden out with backoff; and the admin's tokens reaching neither the logs nor what is stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RegistrationStep, type RunningEmulator } from '../../../emulator';
import { jumpingClock } from '../../graph/fake-graph-server';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { emulatorCloud, recordingLogger } from '../validator-harness';
import { signInAdmin, type AdminSession } from './admin-sign-in';
import { approveDeviceCode, memoryStore, scriptedBrowser } from './registration-harness';
import { createRegistrationService } from './registration-service';
import { RegistrationError, type RegistrationProgress, type RegistrationStepId } from './registration-types';

let emu: RunningEmulator;
let transport: HttpTransport;
const sessions: AdminSession[] = [];

beforeAll(async () => {
  emu = await startEmulator({ users: 20, groups: 4, seed: 17, adminAutoApprove: true });
  transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  emu.control.setAdminSignIn({ autoApprove: true, role: 'Global Administrator', outcome: 'ok', usersCanRegisterApps: true });
  emu.control.failRegistrationStep(null);
});

const cloud = () => emulatorCloud(emu.info);
const publicClient = () => ({ kind: 'organisation' as const, clientId: emu.info.publicClientId });

async function signIn(kind: 'interactive' | 'device-code' = 'device-code', tenant?: string): Promise<AdminSession> {
  const options = { cloud: cloud(), transport, publicClient: publicClient(), ...(tenant ? { tenant } : {}) };
  const s =
    kind === 'interactive'
      ? await signInAdmin(options, { kind: 'interactive', openBrowser: scriptedBrowser(emu.info.authorityHost, transport).open })
      : await signInAdmin(options, { kind: 'device-code', onCode: () => undefined });
  sessions.push(s);
  return s;
}

async function signInFails(kind: 'interactive' | 'device-code', tenant?: string): Promise<RegistrationError> {
  const error = await signIn(kind, tenant).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistrationError);
  return error as RegistrationError;
}

const named = (name: string) => emu.control.registeredApps().filter((a) => a.displayName === name);

describe('the sign-in', () => {
  it.each(['interactive', 'device-code'] as const)('blocked by Conditional Access says so (%s)', async (kind) => {
    emu.control.setAdminSignIn({ outcome: 'conditional-access' });
    const { failure } = await signInFails(kind);
    expect(failure).toMatchObject({ step: 'sign-in', code: 'conditional-access', detail: 'AADSTS53003' });
    expect(failure.fix).toMatch(/Conditional Access/);
  });

  it.each(['interactive', 'device-code'] as const)('cancelled on the page creates nothing (%s)', async (kind) => {
    emu.control.setAdminSignIn({ autoApprove: false });
    const before = emu.control.registeredApps().length;
    const options = { cloud: cloud(), transport, publicClient: publicClient() };
    const error = await (
      kind === 'interactive'
        ? signInAdmin(options, {
            kind: 'interactive',
            openBrowser: scriptedBrowser(emu.info.authorityHost, transport, { click: 'no' }).open,
          })
        : signInAdmin(options, {
            kind: 'device-code',
            onCode: (c) => void approveDeviceCode(transport, c.verificationUri, c.userCode, false),
          })
    ).catch((e: unknown) => e);
    expect((error as RegistrationError).failure).toMatchObject({ step: 'sign-in', code: 'cancelled' });
    expect(emu.control.registeredApps()).toHaveLength(before);
  });

  it('an interactive sign-in abandoned in the browser ends as cancelled when the app gives up on it', async () => {
    const abort = new AbortController();
    const error = await signInAdmin(
      { cloud: cloud(), transport, publicClient: publicClient() },
      {
        kind: 'interactive',
        signal: abort.signal,
        // The browser opens and the admin walks away: nothing is ever posted to the loopback address.
        openBrowser: async () => {
          setImmediate(() => abort.abort());
        },
      },
    ).catch((e: unknown) => e);
    expect((error as RegistrationError).failure).toMatchObject({ step: 'sign-in', code: 'cancelled' });
  });

  it('in a tenant this cloud does not know points at national clouds', async () => {
    const { failure } = await signInFails('device-code', 'contoso.onmicrosoft.us');
    expect(failure).toMatchObject({ code: 'national-cloud', detail: 'AADSTS90002' });
  });

  it('with a public client the tenant does not know says which setting to check', async () => {
    const error = await signInAdmin(
      { cloud: cloud(), transport, publicClient: { kind: 'organisation', clientId: '11111111-2222-3333-4444-555555555555' } },
      { kind: 'device-code', onCode: () => undefined },
    ).catch((e: unknown) => e);
    expect((error as RegistrationError).failure).toMatchObject({ code: 'public-client-unknown' });
  });
});

describe('the roles of who signs in', () => {
  it('an Application Administrator fails at consent, is told Global or Privileged Role Administrator is needed, and undo leaves nothing', async () => {
    emu.control.setAdminSignIn({ role: 'Application Administrator' });
    const session = await signIn('interactive');
    const service = createRegistrationService({ cloud: cloud(), transport, store: memoryStore(), clock: jumpingClock() });
    const error = (await service.run(session, { name: 'Sync (app admin)' }).catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({ step: 'consent', code: 'not-admin' });
    expect(error.failure.fix).toMatch(/Global Administrator or a Privileged Role Administrator/);
    expect(error.failure.fix).toMatch(/Application Administrator cannot/);
    expect(error.created).toMatchObject({ appObjectId: expect.any(String), servicePrincipalId: expect.any(String) });
    expect(named('Sync (app admin)')).toHaveLength(1);
    await service.undo(session, error.created);
    expect(named('Sync (app admin)')).toHaveLength(0);
  });

  it('a plain user in a tenant that forbids app registration fails at the first step', async () => {
    emu.control.setAdminSignIn({ role: 'User', usersCanRegisterApps: false });
    const session = await signIn();
    const service = createRegistrationService({ cloud: cloud(), transport, store: memoryStore(), clock: jumpingClock() });
    const error = (await service.run(session, { name: 'Sync (user)' }).catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({
      step: 'application',
      code: 'app-creation-forbidden',
      detail: '403 Authorization_RequestDenied',
    });
    expect(named('Sync (user)')).toHaveLength(0);
  });

  it('a plain user where app registration is allowed fails at consent as not an administrator', async () => {
    emu.control.setAdminSignIn({ role: 'User' });
    const session = await signIn();
    const service = createRegistrationService({ cloud: cloud(), transport, store: memoryStore(), clock: jumpingClock() });
    const error = (await service.run(session, { name: 'Sync (user 2)' }).catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({ step: 'consent', code: 'not-admin' });
    await service.undo(session, error.created);
    expect(named('Sync (user 2)')).toHaveLength(0);
  });
});

describe('a failure at each step', () => {
  const injected: [RegistrationStepId, RegistrationStep | 'store'][] = [
    ['application', 'application'],
    ['service-principal', 'servicePrincipal'],
    ['consent', 'consent'],
    ['secret', 'secret'],
    ['store-validate', 'store'],
  ];
  it.each(injected)('at %s names the step, and undo leaves nothing behind', async (step, fault) => {
    const name = `Sync (fails at ${step})`;
    if (fault !== 'store') emu.control.failRegistrationStep(fault);
    const store = memoryStore({ fail: fault === 'store' });
    const session = await signIn();
    const progress: RegistrationProgress[] = [];
    const service = createRegistrationService({ cloud: cloud(), transport, store, clock: jumpingClock() });
    const error = (await service
      .run(session, { name }, { onProgress: (p) => progress.push(p) })
      .catch((e: unknown) => e)) as RegistrationError;
    expect(error).toBeInstanceOf(RegistrationError);
    expect(error.failure.step).toBe(step);
    expect(progress.at(-1)).toMatchObject({ step, status: 'failed' });
    expect(error.failure.fix.length).toBeGreaterThan(10);
    emu.control.failRegistrationStep(null);
    await service.undo(session, error.created);
    expect(named(name)).toHaveLength(0);
    expect(store.saved).toHaveLength(0);
  });

  it('undo of a reused application removes only the secret it added', async () => {
    const session = await signIn();
    const store = memoryStore();
    const service = createRegistrationService({ cloud: cloud(), transport, store, clock: jumpingClock() });
    await service.run(session, { name: 'Sync (reuse undo)' });
    const reuse = memoryStore({ fail: true });
    const again = createRegistrationService({ cloud: cloud(), transport, store: reuse, clock: jumpingClock() });
    const error = (await again
      .run(session, { name: 'Sync (reuse undo)', ifExists: 'reuse' })
      .catch((e: unknown) => e)) as RegistrationError;
    expect(error.created.reused).toBe(true);
    expect(named('Sync (reuse undo)')[0]?.secrets).toHaveLength(2);
    await again.undo(session, error.created);
    expect(named('Sync (reuse undo)')).toHaveLength(1);
    expect(named('Sync (reuse undo)')[0]?.secrets).toHaveLength(1);
  });
});

describe('the admin tokens', () => {
  it('reach neither the logs, nor the progress, nor what is stored', async () => {
    const session = await signIn('interactive');
    const token = session.accessToken();
    const logger = recordingLogger();
    const store = memoryStore();
    const progress: RegistrationProgress[] = [];
    emu.control.failRegistrationStep('consent');
    const service = createRegistrationService({ cloud: cloud(), transport, store, clock: jumpingClock(), logger });
    const failed = (await service.run(session, { name: 'Sync (tokens)' }).catch((e: unknown) => e)) as RegistrationError;
    emu.control.failRegistrationStep(null);
    const ok = await service.run(session, { name: 'Sync (tokens)', ifExists: 'reuse' }, { onProgress: (p) => progress.push(p) });
    const everything = [
      ...logger.lines,
      JSON.stringify(progress),
      JSON.stringify(store.saved),
      JSON.stringify(failed.failure),
      failed.message,
      JSON.stringify({ ...ok, secret: undefined }),
    ].join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    await session.close();
    expect(() => session.accessToken()).toThrow(/closed/);
  });
});

describe('replication', () => {
  let slow: RunningEmulator;
  let slowTransport: HttpTransport;
  const clock = jumpingClock();
  beforeAll(async () => {
    slow = await startEmulator({ users: 12, groups: 2, seed: 18, adminAutoApprove: true, replicationDelaySeconds: 20, clock });
    slowTransport = createHttpTransport({ extraCaPem: slow.info.caCertPem, timeoutMs: 10_000, env: {} });
  });
  afterAll(async () => {
    await slowTransport.close();
    await slow.close();
  });

  it('new objects answering 404 for 20 s are waited for with backoff, counted down, and the connection then passes', async () => {
    const c = emulatorCloud(slow.info);
    const session = await signInAdmin(
      { cloud: c, transport: slowTransport, publicClient: { kind: 'first-party' } },
      { kind: 'device-code', onCode: () => undefined },
    );
    sessions.push(session);
    const progress: RegistrationProgress[] = [];
    const service = createRegistrationService({ cloud: c, transport: slowTransport, store: memoryStore(), clock });
    const result = await service.run(session, { name: 'Sync (slow)' }, { onProgress: (p) => progress.push(p) });
    const waits = progress.filter((p) => p.status === 'waiting');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => (w.retryInSeconds ?? 0) > 0)).toBe(true);
    expect(new Set(waits.map((w) => w.step)).has('service-principal')).toBe(true);
    expect(slow.control.registeredApps().find((a) => a.appId === result.clientId)?.grantedRoles).toEqual(['Directory.Read.All']);
    expect(slow.control.registeredApps()).toHaveLength(1);
  });

  it('gives up after its budget with the validation failure and what to do', async () => {
    const c = emulatorCloud(slow.info);
    slow.control.setReplicationDelay(600);
    const session = await signInAdmin(
      { cloud: c, transport: slowTransport, publicClient: { kind: 'first-party' } },
      { kind: 'device-code', onCode: () => undefined },
    );
    sessions.push(session);
    const service = createRegistrationService({
      cloud: c,
      transport: slowTransport,
      store: memoryStore(),
      clock,
      replicationBudgetMs: 30_000,
    });
    const error = (await service.run(session, { name: 'Sync (too slow)' }).catch((e: unknown) => e)) as RegistrationError;
    expect(error.failure).toMatchObject({
      step: 'service-principal',
      code: 'graph-error',
      detail: '404 Request_ResourceNotFound',
    });
    slow.control.setReplicationDelay(0);
    // Ten minutes later the application has replicated and can be deleted.
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 600_000));
    await service.undo(session, error.created);
    expect(slow.control.registeredApps().filter((a) => a.displayName === 'Sync (too slow)')).toHaveLength(0);
  });
});
