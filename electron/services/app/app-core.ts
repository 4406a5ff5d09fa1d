import type { Handlers } from '../../../shared/ipc';
import type { AppContext, AppCorePorts } from './app-context';
import { appHandlers } from './handlers/app-handlers';

export type { AppCorePorts } from './app-context';

/** The core as a host sees it: the contract's handlers, and a way to stop background work. */
export interface AppCore {
  readonly handlers: Handlers;
  close(): Promise<void>;
}

/**
 * Wires the services behind every request channel. Both hosts call this with their own ports; each
 * feature contributes its slice of handlers, and the type below fails to compile if a channel is missing.
 */
export function createAppCore(ports: AppCorePorts): AppCore {
  const cleanups: (() => Promise<void> | void)[] = [];
  const ctx: AppContext = { ...ports, onClose: (cleanup) => void cleanups.push(cleanup) };

  const handlers: Handlers = {
    ...appHandlers(ctx),
  };

  return {
    handlers,
    async close() {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          ports.logger.error('cleanup failed while closing', { error: error instanceof Error ? error.message : String(error) });
        }
      }
    },
  };
}
