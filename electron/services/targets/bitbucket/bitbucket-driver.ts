/** Bitbucket Data Center as a product driver: its connection test and engine target. */
import type { ProductDriver } from '../product-driver';
import { presentBitbucketReport } from './bitbucket-checks';
import { testBitbucketConnection } from './bitbucket-connection-test';
import { bitbucketEngineTarget } from './bitbucket-engine-target';

export const bitbucketDriver: ProductDriver = {
  product: 'bitbucket',
  async test({ baseUrl, credential, transport, clock, options }) {
    const report = await testBitbucketConnection({
      baseUrl,
      username: credential.username ?? '',
      password: credential.secret,
      transport,
      clock,
      ...(options.bitbucketDisable ? { disableMode: options.bitbucketDisable } : {}),
    });
    return presentBitbucketReport(report);
  },
  engineTarget: ({ config, credential, db, transport, clock, globalPolicy }) =>
    bitbucketEngineTarget({
      config,
      ...(credential.username ? { username: credential.username } : {}),
      password: credential.secret,
      db,
      transport,
      clock,
      globalPolicy,
    }),
};
