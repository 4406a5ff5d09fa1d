import type { SetupForMeResults } from '../../../../shared/contract/setup-for-me';
import type { ConnectionService } from '../../connection/connection-service';
import { createSetupForMe } from '../../connection/setup-for-me';
import type { AppContext } from '../app-context';
import type { FeatureHandlers } from '../feature-handlers';

/**
 * "Set it up for me" and "Rotate the secret for me" (issue 16). The flow's state is pushed as `setupForMe:changed`;
 * the sign-in page opens through the host's `openSignInPage` (Electron: the system browser) or, without one, as
 * `setupForMe:openBrowser` for the window to open in a new tab (browser host). The admin's sign-in is dropped
 * when the flow ends or the app closes.
 */
export function setupForMeHandlers(ctx: AppContext, connection: ConnectionService): FeatureHandlers<keyof SetupForMeResults> {
  const flow = createSetupForMe({
    connection,
    dataDir: ctx.dataDir,
    clock: ctx.clock,
    logger: ctx.logger,
    emit: (state) => ctx.events.emit('setupForMe:changed', state),
    openBrowser: async (url) => {
      if (ctx.openSignInPage) await ctx.openSignInPage(url);
      else ctx.events.emit('setupForMe:openBrowser', { url });
    },
  });
  ctx.onClose(() => flow.close());

  return {
    'setupForMe:plan': (request) => flow.plan(request),
    'setupForMe:savePublicClient': async (setting) => flow.savePublicClient(setting),
    'setupForMe:get': async () => flow.state(),
    'setupForMe:start': (request) => flow.start(request),
    'setupForMe:continue': (choice) => flow.continueWith(choice),
    'setupForMe:cancel': () => flow.cancel(),
    'setupForMe:undo': () => flow.undo(),
    'setupForMe:handOff': () => flow.handOff(),
    'setupForMe:dismiss': () => flow.dismiss(),
  };
}
