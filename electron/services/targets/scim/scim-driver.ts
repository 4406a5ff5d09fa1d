/** SCIM 2.0 (any service; Atlassian Cloud with its preset) as a product driver: its connection test and engine target. */
import type { ProductDriver } from '../product-driver';
import { presentScimReport } from './scim-checks';
import { testScimConnection } from './scim-connection-test';
import { scimEngineTarget } from './scim-engine-target';

export const scimDriver: ProductDriver = {
  product: 'scim',
  async test({ baseUrl, credential, transport, clock, options }) {
    const preset = options.scimPreset ?? 'generic';
    const report = await testScimConnection({ baseUrl, token: credential.secret, preset, transport, clock });
    const { at: _at, ...presented } = presentScimReport(report, '', preset === 'atlassian-cloud');
    return presented;
  },
  engineTarget: ({ config, credential, db, transport, clock, globalPolicy }) =>
    scimEngineTarget({ config, token: credential.secret, db, transport, clock, globalPolicy }),
};
