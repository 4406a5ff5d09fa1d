/** Jira Data Center as a product driver: its connection test and engine target. */
import type { ProductDriver } from '../product-driver';
import { presentJiraReport } from '../target-checks';
import { testJiraConnection } from './jira-connection-test';
import { jiraEngineTarget } from './jira-engine-target';

export const jiraDriver: ProductDriver = {
  product: 'jira',
  async test({ baseUrl, credential, transport, clock }) {
    const report = await testJiraConnection({ baseUrl, token: credential.secret, transport, clock });
    const { at: _at, ...presented } = presentJiraReport(report, '');
    return presented;
  },
  engineTarget: ({ config, credential, db, transport, clock, globalPolicy }) =>
    jiraEngineTarget({ config, token: credential.secret, db, transport, clock, globalPolicy }),
};
