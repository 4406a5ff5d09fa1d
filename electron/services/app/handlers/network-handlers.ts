import type { NetworkResults } from '../../../../shared/contract/network';
import type { NetworkService } from '../../network/network-service';
import type { FeatureHandlers } from '../feature-handlers';

/** Settings → Network over the {@link NetworkService}: read, save (checked first), test. */
export function networkHandlers(network: NetworkService): FeatureHandlers<keyof NetworkResults> {
  return {
    'network:get': async () => network.view(),
    'network:save': (input) => network.save(input),
    'network:test': (input) => network.test(input),
  };
}
