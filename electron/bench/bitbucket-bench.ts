/**
 * A first sync from the demo tenant into the demo Bitbucket under its rate limiter: 10,000 users, 500 groups and
 * about 50,000 memberships by default (`--users N --groups M --membership-scale S`, S = 0.25 by default), a token
 * bucket of 50 requests per second (`--rate R`). Bitbucket announces no limit (no X-RateLimit-* headers), so the
 * pace learns it from its first 429s. The Bitbucket side runs on a virtual clock shared with the emulator
 * (virtual-clock.ts), so the pace is exactly what the limiter allows while the bench takes only the real time of the
 * work. Prints wall time, the requests, the share of the allowed rate used and the share answered 429
 * (remote-bench.ts). Figures only; nothing is asserted.
 */
import { startBitbucketEmulator } from '../emulator/bitbucket';
import { bitbucketEngineTarget } from '../services/targets/bitbucket/bitbucket-engine-target';
import type { Bench } from './index';
import { rateLimitedBench } from './remote-bench';

export const bitbucketBench: Bench = {
  name: 'bitbucket',
  summary: 'First sync into the demo Bitbucket under its rate limiter: wall time, requests, share of the allowed rate, 429s',
  run: rateLimitedBench({
    product: 'bitbucket',
    label: 'Bitbucket',
    limitNote: (rate) => ` (token bucket ${rate}, no rate headers)`,
    start: (clock, rateLimit) => startBitbucketEmulator({ clock, rateLimit }),
    configFields: (emulator) => ({ username: emulator.info.adminUsername }),
    engineTarget: ({ emulator, ...args }) => bitbucketEngineTarget({ ...args, password: emulator.info.adminPassword }),
  }),
};
