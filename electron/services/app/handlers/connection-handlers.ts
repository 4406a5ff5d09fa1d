import type { ConnectionResults } from '../../../../shared/contract/connection';
import type { ConnectionService } from '../../connection/connection-service';
import type { AppContext } from '../app-context';
import type { FeatureHandlers } from '../feature-handlers';

/**
 * The connection to Entra and the setup wizard's progress. Every change of the connection is pushed as
 * `connection:changed`; a test reports each check as `connection:progress` (reports never carry the secret).
 */
export function connectionHandlers(ctx: AppContext, connection: ConnectionService): FeatureHandlers<keyof ConnectionResults> {
  const unsubscribe = connection.onChange((summary) => ctx.events.emit('connection:changed', summary));
  ctx.onClose(unsubscribe);

  return {
    'connection:get': async () => connection.get(),
    'connection:getSetup': async () => connection.setup(),
    'connection:saveDraft': async (draft) => connection.saveDraft(draft),
    'connection:test': (input) =>
      connection.test(input, {
        onProgress: ({ runId, check, report }) => ctx.events.emit('connection:progress', { runId, check, report }),
      }),
    'connection:save': (input) => connection.save(input),
    'connection:setWeakStorage': ({ store }) => connection.setWeakStorage(store),
    'connection:setManualExpiry': async ({ expiresAt }) => connection.setManualExpiry(expiresAt),
    'connection:startDemo': (options) => connection.startDemo(options ?? {}),
    'connection:stopDemo': () => connection.stopDemo(),
  };
}
