/**
 * A first sync from the demo tenant into the demo Confluence under its rate limiter: 10,000 users, 500 groups and
 * about 50,000 memberships by default (`--users N --groups M --membership-scale S`, S = 0.25 by default), a token
 * bucket of 50 requests per second (`--rate R`) announced in Confluence's X-RateLimit-* headers, which the pace
 * follows. The Confluence side runs on a virtual clock shared with the emulator (virtual-clock.ts), so the pace is
 * exactly what the limiter allows while the bench takes only the real time of the work. Prints wall time, the
 * requests (per item), the share of the allowed rate used and the share answered 429 (remote-bench.ts). Figures
 * only; nothing is asserted.
 */
import { startConfluenceEmulator } from '../emulator/confluence';
import { confluenceEngineTarget } from '../services/targets/confluence/confluence-engine-target';
import type { Bench } from './index';
import { rateLimitedBench } from './remote-bench';

export const confluenceBench: Bench = {
  name: 'confluence',
  summary: 'First sync into the demo Confluence under its rate limiter: wall time, requests, share of the allowed rate, 429s',
  run: rateLimitedBench({
    product: 'confluence',
    label: 'Confluence',
    limitNote: (rate) => ` (token bucket ${rate}, X-RateLimit-* headers)`,
    start: (clock, rateLimit) => startConfluenceEmulator({ clock, rateLimit }),
    engineTarget: ({ emulator, ...args }) => confluenceEngineTarget({ ...args, token: emulator.info.adminToken }),
  }),
};
