/**
 * "Rotate the secret for me" against the demo tenant: the old secret is removed only after the new one passed the
 * live test and was stored (it is still there while the new one is tested), and it stays, with the new one removed
 * again, when the new secret does not pass or cannot be stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { jumpingClock } from '../../graph/fake-graph-server';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { createCredentialValidator, type ValidationInput } from '../validator';
import { emulatorCloud } from '../validator-harness';
import { signInAdmin, type AdminSession } from './admin-sign-in';
import { memoryStore } from './registration-harness';
import { createRegistrationService } from './registration-service';
import type { RegistrationResult } from './registration-types';
import { rotateSecret, RotationError, type RotationStore } from './secret-rotation';

let emu: RunningEmulator;
let transport: HttpTransport;
let session: AdminSession;
const clock = jumpingClock();

beforeAll(async () => {
  emu = await startEmulator({ users: 12, groups: 2, seed: 19, adminAutoApprove: true, clock });
  transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 10_000, env: {} });
  session = await signInAdmin(
    { cloud: emulatorCloud(emu.info), transport, publicClient: { kind: 'organisation', clientId: emu.info.publicClientId } },
    { kind: 'device-code', onCode: () => undefined },
  );
});
afterAll(async () => {
  await session.close();
  await transport.close();
  await emu.close();
});
afterEach(() => emu.control.setReplicationDelay(0));

async function registered(name: string): Promise<RegistrationResult> {
  return createRegistrationService({ cloud: emulatorCloud(emu.info), transport, store: memoryStore(), clock }).run(session, {
    name,
  });
}

const secretsOf = (clientId: string) =>
  (emu.control.registeredApps().find((a) => a.appId === clientId)?.secrets ?? []).map((s) => String(s.keyId));

/** The real validator, noting which secrets the application had at each test. */
function watchingValidate(clientId: string, seen: string[][]) {
  return async (input: ValidationInput) => {
    seen.push(secretsOf(clientId));
    const validator = createCredentialValidator({ transport, clock, host: 'app' });
    try {
      return await validator.validate(input, { retest: true });
    } finally {
      validator.close();
    }
  };
}

function recordingStore(options: { fail?: boolean } = {}): RotationStore & { switched: string[] } {
  const switched: string[] = [];
  return {
    switched,
    switchSecret: async (next) => {
      if (options.fail) throw new Error('the vault is locked');
      switched.push(next.keyId);
    },
  };
}

const input = (r: RegistrationResult) => ({
  cloud: emulatorCloud(emu.info),
  tenantId: r.tenantId,
  clientId: r.clientId,
  currentSecret: r.secret,
});

describe('rotate the secret for me', () => {
  it('adds, tests, switches, and only then removes the old secret', async () => {
    const reg = await registered('Rotate (happy)');
    const seen: string[][] = [];
    const store = recordingStore();
    const steps: string[] = [];
    const result = await rotateSecret(session, input(reg), {
      transport,
      store,
      clock,
      validate: watchingValidate(reg.clientId, seen),
      onProgress: (step) => steps.push(step),
    });
    expect(result.removed).toEqual({ keyId: reg.secretKeyId, hint: `${reg.secret.slice(0, 3)}••••••` });
    expect(store.switched).toEqual([result.added.keyId]);
    // While the new secret was tested, the old one was still there.
    expect(seen.length).toBeGreaterThan(0);
    for (const keys of seen) expect(keys).toContain(reg.secretKeyId);
    expect(secretsOf(reg.clientId)).toEqual([result.added.keyId]);
    expect(steps).toEqual(['add', 'validate', 'switch', 'remove-old']);
  });

  it('waits for a new secret Entra has not replicated yet, then rotates', async () => {
    const reg = await registered('Rotate (replicating)');
    emu.control.setReplicationDelay(15);
    const seen: string[][] = [];
    const result = await rotateSecret(session, input(reg), {
      transport,
      store: recordingStore(),
      clock,
      validate: watchingValidate(reg.clientId, seen),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(result.removed?.keyId).toBe(reg.secretKeyId);
  });

  it('keeps the old secret, and removes the new one again, when the new one does not pass', async () => {
    const reg = await registered('Rotate (new fails)');
    emu.control.setReplicationDelay(3600);
    const store = recordingStore();
    const error = await rotateSecret(session, input(reg), { transport, store, clock, validationBudgetMs: 30_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RotationError);
    expect(error).toMatchObject({ step: 'validate', oldSecretKept: true });
    expect((error as Error).message).toMatch(/current secret stays in use/);
    expect(store.switched).toEqual([]);
    expect(secretsOf(reg.clientId)).toEqual([reg.secretKeyId]);
  });

  it('keeps the old secret when the new one cannot be stored', async () => {
    const reg = await registered('Rotate (store fails)');
    const error = await rotateSecret(session, input(reg), { transport, store: recordingStore({ fail: true }), clock }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ step: 'switch', oldSecretKept: true });
    expect(secretsOf(reg.clientId)).toEqual([reg.secretKeyId]);
  });

  it('of an application the tenant does not hold says so and what to check, nothing changed', async () => {
    const clientId = '11111111-2222-3333-4444-555555555555';
    const error = (await rotateSecret(
      session,
      { cloud: emulatorCloud(emu.info), tenantId: emu.info.tenantId, clientId, currentSecret: 'abc' },
      { transport, store: recordingStore(), clock },
    ).catch((e: unknown) => e)) as RotationError;
    expect(error).toMatchObject({ step: 'add', oldSecretKept: true });
    expect(error.message).toMatch(/No application with client ID 1111.*in this tenant\. Nothing was changed\.$/);
    expect(error.fix).toMatch(/tenant that holds the connection's application/);
  });
});
