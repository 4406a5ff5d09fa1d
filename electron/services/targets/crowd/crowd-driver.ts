/** Crowd Data Center as a product driver: its connection test and engine target, signed in as a Crowd application. */
import type { ProductDriver } from '../product-driver';
import { presentCrowdReport } from './crowd-checks';
import { testCrowdConnection } from './crowd-connection-test';
import { crowdEngineTarget } from './crowd-engine-target';

export const crowdDriver: ProductDriver = {
  product: 'crowd',
  async test({ baseUrl, credential, transport, clock, writeTest }) {
    const report = await testCrowdConnection({
      baseUrl,
      applicationName: credential.username ?? '',
      password: credential.secret,
      transport,
      clock,
      ...(writeTest ? { writeTest } : {}),
    });
    const { at: _at, ...presented } = presentCrowdReport(report, '');
    return presented;
  },
  engineTarget: ({ config, credential, db, transport, clock, globalPolicy }) =>
    crowdEngineTarget({
      config,
      applicationName: credential.username ?? config.username ?? '',
      password: credential.secret,
      db,
      transport,
      clock,
      globalPolicy,
    }),
};
