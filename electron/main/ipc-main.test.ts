import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { requestChannels } from '../../shared/ipc';
import { ipcRequestPrefix } from '../../shared/ipc-channels';
import { createTestCore } from '../services/app/test-core';
import { silentLogger } from '../services/ports';
import { registerIpcHandlers, trustedSenderFor } from './ipc-main';

type Registered = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

/** Stands in for Electron's ipcMain: records what the Electron host registers. */
function fakeIpcMain() {
  const handlers = new Map<string, Registered>();
  return {
    handlers,
    handle: (channel: string, listener: Registered) => void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const rendererUrl = 'file:///opt/Entra%20Sync%20Assistant/resources/app.asar/out/renderer/index.html';
const fromUrl = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => dispose?.());

describe('Electron host IPC', () => {
  it('registers a handler for every contract channel, and nothing else', async () => {
    const test = createTestCore();
    dispose = test.dispose;
    const ipc = fakeIpcMain();
    const unregister = registerIpcHandlers(ipc, test.core.handlers, trustedSenderFor(rendererUrl, undefined), silentLogger);
    expect([...ipc.handlers.keys()].sort()).toEqual(requestChannels.map((c) => ipcRequestPrefix + c).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers our own window and refuses a foreign sender before any service runs', async () => {
    const test = createTestCore();
    dispose = test.dispose;
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc, test.core.handlers, trustedSenderFor(rendererUrl, undefined), silentLogger);
    const choose = ipc.handlers.get(ipcRequestPrefix + 'onboarding:chooseModel')!;
    const args = { model: 'jit', answers: {} };

    const foreign = await choose(fromUrl('https://evil.example/index.html'), args);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    const otherFile = await choose(fromUrl('file:///tmp/evil/index.html'), args);
    expect(otherFile).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    // Refused means no service ran: the model the stranger chose was not saved.
    expect((await test.core.handlers['onboarding:get'](undefined)).model).toBeUndefined();

    const own = await choose(fromUrl(rendererUrl), args);
    expect(own).toMatchObject({ ok: true, value: { model: 'jit' } });
  });

  it('refuses an invalid payload with the schema issues and leaves settings unchanged', async () => {
    const test = createTestCore();
    dispose = test.dispose;
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc, test.core.handlers, trustedSenderFor(rendererUrl, undefined), silentLogger);
    const choose = ipc.handlers.get(ipcRequestPrefix + 'onboarding:chooseModel')!;
    const result = (await choose(fromUrl(rendererUrl), { model: 'everything', answers: {} })) as {
      ok: boolean;
      error: { code: string; detail: string };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid-payload');
    expect(result.error.detail).toContain('model');
    const extra = await choose(fromUrl(rendererUrl), { model: 'jit', answers: {}, sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect((await test.core.handlers['onboarding:get'](undefined)).model).toBeUndefined();
  });

  it('trusts the dev server origin only in development', () => {
    const dev = trustedSenderFor(rendererUrl, 'http://localhost:5173');
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(trustedSenderFor(rendererUrl, undefined)('http://localhost:5173/')).toBe(false);
    expect(trustedSenderFor(rendererUrl, undefined)(undefined)).toBe(false);
  });
});
