/**
 * A first sync from the demo tenant into the demo Crowd under a rate limit: 10,000 users and 500 groups by default
 * (`--users N --groups M`), about 50,000 memberships (the tenant's `membershipScale` 0.25, `--scale S` or
 * `--membership-scale S`), a limit of 50 requests per second (`--rate R`). Crowd documents no rate limiting and sends
 * no rate-limit headers, so the limit answers 429 with Retry-After only, and the target learns the rate from those
 * (remote/rate-learner.ts). The Crowd side runs on a virtual clock shared with the emulator (virtual-clock.ts): the
 * pace is exactly what the limit allows while the bench takes only the real time of the work. Prints wall time, the
 * Crowd requests, the share of the allowed rate used, the share answered 429 and requests per item
 * (remote-bench.ts). Figures only; nothing is asserted.
 */
import { startCrowdEmulator } from '../emulator/crowd';
import { crowdEngineTarget } from '../services/targets/crowd/crowd-engine-target';
import type { Bench } from './index';
import { rateLimitedBench } from './remote-bench';

export const crowdBench: Bench = {
  name: 'crowd',
  summary: 'First sync into the demo Crowd under a 429-only rate limit: wall time, requests, share of the allowed rate, 429s',
  run: rateLimitedBench({
    product: 'crowd',
    label: 'Crowd',
    scaleOptions: ['scale', 'membership-scale'],
    showScale: true,
    limitNote: () => ', 429 + Retry-After only',
    start: (clock, rateLimit) => startCrowdEmulator({ clock, rateLimit }),
    configFields: (emulator) => ({ username: emulator.info.applicationName }),
    engineTarget: ({ emulator, ...args }) =>
      crowdEngineTarget({
        ...args,
        applicationName: emulator.info.applicationName,
        password: emulator.info.applicationPassword,
      }),
  }),
};
