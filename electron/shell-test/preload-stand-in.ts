/**
 * The renderer side of Electron a sandboxed preload sees: `contextBridge` and `ipcRenderer`, typed by Electron's own
 * declarations (see {@link Part}), recording what the preload exposes, invokes and listens to.
 */
import type * as Electron from 'electron';
import { EventEmitter } from 'node:events';
import type { Part } from './electron-stand-in';

export function createPreloadStandIn() {
  const exposed: { key: string; api: unknown }[] = [];
  const invoked: { channel: string; args: unknown[] }[] = [];
  const contextBridge = {
    exposeInMainWorld: (apiKey: string, api: unknown) => void exposed.push({ key: apiKey, api }),
  } satisfies Part<Electron.ContextBridge, 'exposeInMainWorld'>;
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: { answeredOn: channel } });
    },
  }) satisfies Part<Electron.IpcRenderer, 'invoke'>;
  return { module: { contextBridge, ipcRenderer }, exposed, invoked, ipcRenderer };
}
