import type { TargetsResults } from '../../../../shared/contract/targets';
import type { TargetAdmin } from '../../targets/target-admin';
import type { AppContext } from '../app-context';
import type { FeatureHandlers } from '../feature-handlers';

/** Settings → Targets over the {@link TargetAdmin}: list, test, save (tested first), remove, and the demo products. */
export function targetsHandlers(ctx: AppContext, targets: TargetAdmin): FeatureHandlers<keyof TargetsResults> {
  return {
    'targets:list': async () => targets.list(),
    'targets:test': (input) => targets.test(input),
    'targets:save': (input) => targets.save(input),
    'targets:remove': ({ id }) => targets.remove(id),
    'targets:startDemoJira': () => targets.startDemo('jira'),
    'targets:startDemo': ({ product }) => targets.startDemo(product),
    'targets:getSync': async ({ id }) => targets.getSync(id, ctx.settings.get().sync),
    'targets:saveSync': (input) => targets.saveSync(input, ctx.settings.get().sync),
  };
}
