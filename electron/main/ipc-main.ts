import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { BoundaryErrorCode, type Envelope } from '../../shared/errors';
import { requestChannels, type EventChannel, type EventPayloads, type Handlers } from '../../shared/ipc';
import { ipcEventPrefix, ipcRequestPrefix } from '../../shared/ipc-channels';
import { dispatch } from '../services/app/dispatcher';
import type { Logger } from '../services/ports';

/** Decides whether an IPC message comes from our own window (by the URL of the frame that sent it). */
export type TrustedSender = (senderUrl: string | undefined) => boolean;

/**
 * Registers one IPC handler per contract channel. Each checks the sender, then hands the payload to the
 * shared dispatcher (schema validation, error envelopes). The only place that calls `ipcMain.handle`.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Handlers,
  isTrusted: TrustedSender,
  logger: Logger,
): () => void {
  for (const channel of requestChannels) {
    ipcMain.handle(
      ipcRequestPrefix + channel,
      async (event: IpcMainInvokeEvent, payload: unknown): Promise<Envelope<unknown>> => {
        const senderUrl = event.senderFrame?.url;
        if (!isTrusted(senderUrl)) {
          logger.warn('refused IPC from an untrusted sender', { channel, senderUrl });
          return {
            ok: false,
            error: { code: BoundaryErrorCode.forbiddenSender, message: 'This request did not come from the app’s own window.' },
          };
        }
        return dispatch(handlers, channel, payload, logger);
      },
    );
  }
  return () => {
    for (const channel of requestChannels) ipcMain.removeHandler(ipcRequestPrefix + channel);
  };
}

/** Sends a contract event to a window, if it is still open. */
export function sendEvent<E extends EventChannel>(contents: WebContents | undefined, event: E, payload: EventPayloads[E]): void {
  if (contents && !contents.isDestroyed()) contents.send(ipcEventPrefix + event, payload);
}

/**
 * A trust check for the packaged renderer (a file URL under the app's renderer folder) or, in
 * development, the electron-vite dev server's origin.
 */
export function trustedSenderFor(rendererFileUrl: string, devServerUrl: string | undefined): TrustedSender {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
  const rendererFolder = rendererFileUrl.slice(0, rendererFileUrl.lastIndexOf('/') + 1);
  return (senderUrl) => {
    if (!senderUrl) return false;
    if (devOrigin && URL.canParse(senderUrl) && new URL(senderUrl).origin === devOrigin) return true;
    return senderUrl.startsWith('file://') && senderUrl.startsWith(rendererFolder);
  };
}
