/**
 * A first sync from the demo tenant into a real SCIM 2.0 service (the scimmy test server: scimmy + scimmy-routers
 * over HTTPS, no rate limit): 10,000 users and 500 groups by default with about 50,000 memberships (`--users N
 * --groups M --membership-scale S`, S = 0.25 by default; `--chunk C` members per PATCH, 50 by default). Prints wall
 * time, the SCIM requests by kind and per object written (users, groups and memberships). Figures only; nothing is
 * asserted. The membership phase is bound by scimmy itself: each PATCH re-reads, patches and re-writes the whole group
 * (about 0.5 s for a group of 500 members, 2.5 s at 2,000 on a loaded 2-core machine), so larger `--chunk` values
 * shorten it.
 */
import { startScimmyServer } from '../emulator/scim/scimmy-server';
import { scimEngineTarget } from '../services/targets/scim/scim-engine-target';
import type { Bench } from './index';
import { fmt, remoteBench } from './remote-bench';

export const scimBench: Bench = {
  name: 'scim',
  summary: 'First sync into a real SCIM 2.0 service (scimmy): wall time, requests per object',
  async run(io) {
    const chunk = Number(io.options.chunk ?? 50);
    await remoteBench({
      product: 'scim',
      label: 'SCIM',
      clock: 'system',
      start: () => startScimmyServer(),
      engineTarget: ({ emulator, ...args }) => scimEngineTarget({ ...args, token: emulator.info.token, memberChunk: chunk }),
      report({ emulator: scim, sizes, run, applied, wallSeconds }, print) {
        const requests = Object.values(scim.requests).reduce((a, b) => a + b, 0);
        const patches = scim.requests['PATCH /Groups/{id}'] ?? 0;
        print(
          `tenant: ${fmt(sizes.users)} users, ${fmt(sizes.groups)} groups, membership scale ${sizes.membershipScale}; ${chunk} members per PATCH`,
        );
        print(
          `run: ${run.status}, ${fmt(applied)} items applied (${fmt(run.applied['create-user'])} users, ${fmt(run.applied['create-group'])} groups, ${fmt(run.applied['add-member'])} memberships), ${run.failedItems} failed`,
        );
        print(`wall time: ${fmt(wallSeconds, 1)} s (${fmt(applied / wallSeconds, 0)} objects/s)`);
        print(`SCIM requests: ${fmt(requests)} = ${fmt(requests / Math.max(1, applied), 3)} per object written`);
        print(
          `by kind: ${Object.entries(scim.requests)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', ')}`,
        );
        print(
          `memberships: ${fmt(run.applied['add-member'])} in ${fmt(patches)} PATCH requests (${fmt(run.applied['add-member'] / Math.max(1, patches), 1)} per request)`,
        );
      },
    })(io);
  },
};
