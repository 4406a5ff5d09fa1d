/**
 * How fast the demo tenant serves and how much memory it holds: starts it with 100,000 users (`--users N`), lists
 * every user with `$top=999` through the real Graph client and through bare fetch, runs a full users delta round,
 * and prints users per second and RSS/heap before and after. Figures only; nothing is asserted.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { startEmulator } from '../emulator';
import { emulatorGraphClient, emulatorMsal, emulatorTransport, msalAuthProvider } from '../emulator/test-support';
import type { Bench } from './index';

const MB = 1024 * 1024;

/** A full garbage collection when the runtime allows one, so memory figures are not noise. */
function collect(): void {
  try {
    setFlagsFromString('--expose_gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // Without gc the figures are upper bounds; the bench says so in its output.
  }
}

function memory(): { rss: number; heap: number } {
  collect();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The emulator bench. */
export const emulatorBench: Bench = {
  name: 'emulator',
  summary: 'Demo tenant: users/second listed with $top=999 and memory at 100k users',
  async run({ print, options }) {
    const users = Number(options.users ?? 100_000);
    const select = 'id,displayName,userPrincipalName,mail,accountEnabled,userType';
    const base = memory();
    let t = performance.now();
    const emu = await startEmulator({ users, groups: 200, seed: 1 });
    const startMs = performance.now() - t;
    const loaded = memory();
    const transport = emulatorTransport(emu.info, 60_000);
    try {
      print(`emulator: ${fmt(users)} users, 200 groups, started in ${fmt(startMs)} ms (dataset, certificates, keys)`);
      print(
        `memory: baseline rss ${fmt(base.rss)} MB heap ${fmt(base.heap)} MB; with tenant rss ${fmt(loaded.rss)} MB heap ${fmt(loaded.heap)} MB; ` +
          `tenant costs ~${fmt(loaded.heap - base.heap)} MB heap (${fmt(((loaded.heap - base.heap) * MB) / users)} bytes/user)`,
      );

      const msal = emulatorMsal(emu.info, transport);
      const client = emulatorGraphClient(emu.info, transport, msalAuthProvider(msal, emu.info.scope));
      // Warm-up: token, TLS session, JIT.
      await client.api('/users').select('id').top(10).get();

      t = performance.now();
      let listed = 0;
      const first = (await client.api('/users').select(select).top(999).get()) as PageCollection;
      await new PageIterator(client, first, () => {
        listed++;
        return true;
      }).iterate();
      const graphSeconds = (performance.now() - t) / 1000;
      print(
        `list via Graph client ($top=999, $select): ${fmt(listed)} users in ${fmt(graphSeconds, 2)} s = ${fmt(listed / graphSeconds)} users/s`,
      );

      const token = (await msal.acquireTokenByClientCredential({ scopes: [emu.info.scope] }))?.accessToken ?? '';
      t = performance.now();
      let raw = 0;
      let pages = 0;
      let url: string | undefined = `${emu.info.graphBaseUrl}/v1.0/users?$select=${select}&$top=999`;
      while (url && pages < 10_000) {
        const res = await transport.fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
        raw += body.value.length;
        pages++;
        url = body['@odata.nextLink'];
      }
      const rawSeconds = (performance.now() - t) / 1000;
      print(
        `list via bare fetch ($top=999, $select): ${fmt(raw)} users in ${pages} pages, ${fmt(rawSeconds, 2)} s = ${fmt(raw / rawSeconds)} users/s ` +
          `(Graph client / bare fetch time ratio ${fmt(graphSeconds / rawSeconds, 2)})`,
      );

      t = performance.now();
      let delta = 0;
      let next: string | undefined = `/users/delta?$select=${select.replace('id,', '')}`;
      for (let guard = 0; next && guard < 10_000; guard++) {
        const page = (await client.api(next).get()) as { value: unknown[]; '@odata.nextLink'?: string };
        delta += page.value.length;
        next = page['@odata.nextLink'];
      }
      const deltaSeconds = (performance.now() - t) / 1000;
      print(
        `users delta, full round (200/page): ${fmt(delta)} users in ${fmt(deltaSeconds, 2)} s = ${fmt(delta / deltaSeconds)} users/s`,
      );

      const after = memory();
      const counters = emu.control.counters();
      print(`memory after listing: rss ${fmt(after.rss)} MB heap ${fmt(after.heap)} MB`);
      print(
        `emulator counters: ${counters.resourceUnits} resource units, ${counters.throttled429} throttled, requests ${JSON.stringify(counters.requests)}`,
      );
    } finally {
      await transport.close();
      await emu.close();
    }
  },
};
