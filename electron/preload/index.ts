import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BoundaryErrorCode } from '../../shared/errors';
import type { Api } from '../../shared/ipc';
import { ipcEventPrefix, ipcRequestPrefix, isEventChannel, isRequestChannel } from '../../shared/ipc-channels';

/**
 * `window.api`: exactly the contract, nothing more. The page never sees `ipcRenderer`; it can only call
 * the channels the contract names and listen to its events.
 */
const api: Api = {
  invoke(channel, args) {
    if (!isRequestChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: BoundaryErrorCode.unknownChannel, message: `Unknown request '${String(channel)}'.` },
      });
    }
    return ipcRenderer.invoke(ipcRequestPrefix + channel, args);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event '${String(event)}'.`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(ipcEventPrefix + event, wrapped);
    return () => {
      ipcRenderer.removeListener(ipcEventPrefix + event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
