/**
 * "Rotate the secret for me" on the demo connection's own app (not one "Create it for me" made), through the real
 * core and dispatcher on the demo tenant: the new secret added, tested and stored, the demo's first secret removed
 * after, the connection still passing, and the new secret in no event or answer.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import type { SetupForMeState } from '../../../shared/contract/setup-for-me';
import { dispatch } from '../app/dispatcher';
import { createTestCore } from '../app/test-core';
import { silentLogger } from '../ports';
import { FileVault } from '../settings/file-vault';
import { join } from 'node:path';

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
const ended = () =>
  new Promise<SetupForMeState>((resolve) => {
    const off = t.events.subscribe((event, payload) => {
      const s = payload as SetupForMeState | null;
      if (event === 'setupForMe:changed' && s && (s.phase === 'succeeded' || s.phase === 'failed')) {
        off();
        resolve(s);
      }
    });
  });

it('rotates the secret of the demo connection’s own app on the demo tenant', async () => {
  await call('connection:startDemo', { users: 20, groups: 4 });
  const before = await call<ConnectionSummary>('connection:get');
  const control = t.demoTenant.running()?.control;
  const [first] = control?.secrets() ?? [];
  expect(control?.secrets()).toHaveLength(1);

  const done = ended();
  await call('setupForMe:start', { kind: 'rotate', secretMonths: 3, method: 'device-code' });
  const rotated = await done;
  expect(rotated.failure).toBeUndefined();
  expect(rotated.phase).toBe('succeeded');
  expect(rotated.rotation?.removed).toEqual({ keyId: first?.keyId, hint: before.secretHint.slice(0, 3) + '••••••' });

  const after = await call<ConnectionSummary>('connection:get');
  expect(after).toMatchObject({ demo: true, clientId: before.clientId, lastValidation: { requiredPassed: true } });
  expect(after.secretHint).not.toBe(before.secretHint);
  expect(control?.secrets().map((s) => s.keyId)).toEqual([rotated.rotation?.added.keyId]);
  const secret = await new FileVault(join(t.dataDir, 'secrets.json')).get('connection.clientSecret');
  expect(secret?.slice(0, 3)).toBe(after.secretHint.slice(0, 3));
  expect(JSON.stringify(seen)).not.toContain(secret);
});
