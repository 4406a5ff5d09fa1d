/**
 * "Set it up for me" against the demo tenant over real HTTPS with the real msal-node PublicClientApplication: the
 * interactive sign-in through a scripted browser on the loopback redirect and the device code, each step in order,
 * the new application then passing the existing client-credentials validation; and re-running reuses it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { jumpingClock } from '../../graph/fake-graph-server';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { emulatorCloud, openSession } from '../validator-harness';
import { signInAdmin, type AdminSession } from './admin-sign-in';
import { approveDeviceCode, memoryStore, scriptedBrowser } from './registration-harness';
import { createRegistrationService } from './registration-service';
import { NOTES_MARKER, RegistrationError, type RegistrationProgress } from './registration-types';

let emu: RunningEmulator;
let transport: HttpTransport;
const sessions: AdminSession[] = [];

beforeAll(async () => {
  emu = await startEmulator({ users: 20, groups: 4, seed: 16, adminAutoApprove: true });
  transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
});
afterAll(async () => {
  await transport.close();
  await emu.close();
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  emu.control.setAdminSignIn({ autoApprove: true, role: 'Global Administrator', outcome: 'ok', usersCanRegisterApps: true });
});

const cloud = () => emulatorCloud(emu.info);
const publicClient = () => ({ kind: 'organisation' as const, clientId: emu.info.publicClientId });

async function interactive(): Promise<AdminSession> {
  const browser = scriptedBrowser(emu.info.authorityHost, transport);
  const s = await signInAdmin(
    { cloud: cloud(), transport, publicClient: publicClient() },
    { kind: 'interactive', openBrowser: browser.open },
  );
  sessions.push(s);
  return s;
}

async function deviceCode(): Promise<AdminSession> {
  const s = await signInAdmin(
    { cloud: cloud(), transport, publicClient: publicClient() },
    { kind: 'device-code', onCode: () => undefined },
  );
  sessions.push(s);
  return s;
}

describe('set it up for me', () => {
  it('signs in through the browser, creates the five steps in order, and the new app passes the validation', async () => {
    const session = await interactive();
    expect(session.tenantId).toBe(emu.info.tenantId);
    const store = memoryStore();
    const progress: RegistrationProgress[] = [];
    const service = createRegistrationService({ cloud: cloud(), transport, store, clock: jumpingClock() });
    const plan = service.plan({ name: 'Sync (browser)' });
    expect(plan.delegatedPermissions.map((p) => p.scope)).toEqual([
      'Application.ReadWrite.All',
      'AppRoleAssignment.ReadWrite.All',
    ]);
    expect(plan.secretMonths).toBe(12);

    const result = await service.run(session, { name: 'Sync (browser)' }, { onProgress: (p) => progress.push(p) });

    expect(progress.filter((p) => p.status === 'done').map((p) => p.step)).toEqual([
      'application',
      'service-principal',
      'consent',
      'secret',
      'store-validate',
    ]);
    const app = emu.control.registeredApps().find((a) => a.appId === result.clientId);
    expect(app).toMatchObject({ displayName: 'Sync (browser)', grantedRoles: ['Directory.Read.All'] });
    expect(app?.notes).toContain(NOTES_MARKER);
    expect(app?.servicePrincipalId).toBeTruthy();
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]).toMatchObject({ tenantId: emu.info.tenantId, clientId: result.clientId, secret: result.secret });
    expect(result.reused).toBe(false);

    // Independently of the service: the stored values pass the existing validation.
    const check = openSession(emu.info);
    const report = await check.run({ clientId: result.clientId, secret: result.secret });
    await check.close();
    expect(report.ok).toBe(true);
  });

  it('signs in with a device code approved by a click on the device-code page', async () => {
    emu.control.setAdminSignIn({ autoApprove: false });
    const codes: { verificationUri: string; userCode: string }[] = [];
    const clicks: Promise<{ status: number; text: string }>[] = [];
    const signingIn = signInAdmin(
      { cloud: cloud(), transport, publicClient: publicClient() },
      {
        kind: 'device-code',
        onCode: (c) => {
          codes.push(c);
          clicks.push(approveDeviceCode(transport, c.verificationUri, c.userCode));
        },
      },
    );
    const session = await signingIn;
    sessions.push(session);
    expect(codes).toHaveLength(1);
    // The code was still waiting for the click (no auto-approval): the page found it and signed in.
    expect(await clicks[0]).toMatchObject({ status: 200, text: expect.stringContaining('Signed in') });
    expect(session.username).toContain('global.administrator@');
    const store = memoryStore();
    const result = await createRegistrationService({ cloud: cloud(), transport, store, clock: jumpingClock() }).run(session, {
      name: 'Sync (device code)',
      secretMonths: 6,
    });
    const months = (Date.parse(result.secretExpiresAt) - Date.now()) / (30.4 * 86_400_000);
    expect(Math.round(months)).toBe(6);
    expect(emu.control.registeredApps().filter((a) => a.displayName === 'Sync (device code)')).toHaveLength(1);
  });

  it('re-running finds the application it created and reuses it instead of creating a duplicate', async () => {
    const session = await deviceCode();
    const service = createRegistrationService({ cloud: cloud(), transport, store: memoryStore(), clock: jumpingClock() });
    const first = await service.run(session, { name: 'Sync (twice)' });

    const stopped = await service.run(session, { name: 'Sync (twice)' }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(RegistrationError);
    expect((stopped as RegistrationError).failure).toMatchObject({ code: 'already-exists', existing: { appId: first.clientId } });

    const again = await service.run(session, { name: 'Sync (twice)', ifExists: 'reuse' });
    expect(again).toMatchObject({ reused: true, clientId: first.clientId, appObjectId: first.appObjectId });
    const apps = emu.control.registeredApps().filter((a) => a.displayName === 'Sync (twice)');
    expect(apps).toHaveLength(1);
    expect(apps[0]?.secrets).toHaveLength(2);
  });

  it('refuses a secret lifetime beyond 24 months before signing anything in', () => {
    const service = createRegistrationService({ cloud: cloud(), transport, store: memoryStore() });
    expect(() => service.plan({ secretMonths: 25 })).toThrow(/1 to 24/);
    expect(service.plan().lifetimeNote).toMatch(/24 months/);
  });
});
