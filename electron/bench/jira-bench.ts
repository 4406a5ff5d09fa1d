/**
 * A first sync from the demo tenant into the demo Jira under Jira's rate limiting: 10,000 users and 500 groups by
 * default with about 50,000 memberships (`--users N --groups M --membership-scale S`, S = 0.25 by default), a limit of
 * 50 requests per second (`--rate R`). The Jira side runs on a virtual clock shared with the emulator
 * (virtual-clock.ts), so the pace is exactly what the headers allow while the bench takes only the real time of the
 * work. Prints wall time, the Jira requests, the share of the allowed rate used and the share answered 429
 * (remote-bench.ts). Figures only; nothing is asserted.
 */
import { startJiraEmulator } from '../emulator/jira';
import { jiraEngineTarget } from '../services/targets/jira/jira-engine-target';
import type { Bench } from './index';
import { rateLimitedBench } from './remote-bench';

export const jiraBench: Bench = {
  name: 'jira',
  summary: 'First sync into the demo Jira under a rate limit: wall time, requests, share of the allowed rate, 429s',
  run: rateLimitedBench({
    product: 'jira',
    label: 'Jira',
    limitNote: (rate) => ` (token bucket ${rate})`,
    start: (clock, rateLimit) => startJiraEmulator({ clock, rateLimit }),
    engineTarget: ({ emulator, ...args }) => jiraEngineTarget({ ...args, token: emulator.info.adminToken }),
  }),
};
