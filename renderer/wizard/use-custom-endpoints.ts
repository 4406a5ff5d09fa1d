/**
 * Settings → Network's custom endpoints for step 5 ("Test the connection") of a custom cloud, which names their
 * hosts in the label of the cloud it tests against (`testedCloud` of tested-cloud.ts).
 */
import { useEffect, useState } from 'react';
import type { CustomEndpoints } from '../../shared/network';
import { call } from '../api/client';

/** Settings → Network's custom endpoints while `wanted` (step 5 of a custom cloud names their hosts). */
export function useCustomEndpoints(wanted: boolean): CustomEndpoints | undefined {
  const [endpoints, setEndpoints] = useState<CustomEndpoints>();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    // Unknown stays "Custom endpoints": the label is a courtesy, the test itself reports any problem.
    call('network:get', undefined).then(
      (view) => live && setEndpoints(view.customEndpoints),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return endpoints;
}
