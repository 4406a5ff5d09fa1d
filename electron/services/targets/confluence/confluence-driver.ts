/** Confluence Data Center as a product driver: its connection test and engine target. */
import type { ProductDriver } from '../product-driver';
import { presentConfluenceReport } from './confluence-checks';
import { testConfluenceConnection } from './confluence-connection-test';
import { confluenceEngineTarget } from './confluence-engine-target';

export const confluenceDriver: ProductDriver = {
  product: 'confluence',
  async test({ baseUrl, credential, transport, clock }) {
    return presentConfluenceReport(await testConfluenceConnection({ baseUrl, token: credential.secret, transport, clock }));
  },
  engineTarget: ({ config, credential, db, transport, clock, globalPolicy }) =>
    confluenceEngineTarget({ config, token: credential.secret, db, transport, clock, globalPolicy }),
};
