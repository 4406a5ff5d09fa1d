/**
 * How long "Test connection" takes: the whole validation report against the demo tenant with 100 ms of latency
 * added to every request (`--latency MS`, `--runs N`). Goal: under 2 s, reached by running independent checks in
 * parallel once a token is obtained. Prints each run, the median and the worst, and what sending the requests one at
 * a time would cost at this latency. Figures only; nothing is asserted.
 */
import { performance } from 'node:perf_hooks';
import { customCloud } from '../../shared/clouds';
import { startEmulator } from '../emulator';
import { createCredentialValidator } from '../services/entra/validator';
import { createHttpTransport } from '../services/http/transport';
import type { Bench } from './index';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The validation bench. */
export const validateBench: Bench = {
  name: 'validate',
  summary: 'Test connection: whole report against the demo tenant with 100 ms latency per request (goal < 2 s)',
  async run({ print, options }) {
    const latencyMs = Number(options.latency ?? 100);
    const runs = Math.max(1, Math.min(50, Number(options.runs ?? 5)));
    const emu = await startEmulator({ latencyMs });
    const transport = createHttpTransport({ extraCaPem: emu.info.caCertPem, timeoutMs: 15_000, env: {} });
    const input = {
      cloud: customCloud({ authorityHost: emu.info.authorityHost, graphBaseUrl: emu.info.graphBaseUrl }),
      tenant: emu.info.tenantId,
      clientId: emu.info.clientId,
      secret: emu.info.clientSecret,
    };
    try {
      print(`demo tenant: ${latencyMs} ms latency per request, ${runs} runs, a new validator (fresh token) per run`);
      const walls: number[] = [];
      for (let i = 0; i < runs; i++) {
        const validator = createCredentialValidator({ transport, host: 'terminal' });
        const t = performance.now();
        const report = await validator.validate(input);
        const wall = performance.now() - t;
        validator.close();
        walls.push(wall);
        const failed = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.code}`);
        print(
          `run ${i + 1}${i === 0 ? ' (cold: TLS, msal init)' : ''}: ${wall.toFixed(0)} ms wall, ${report.requests} requests, ` +
            `ok=${report.ok}${failed.length ? ` (${failed.join(' ')})` : ''}; one request at a time would need >= ${report.requests * latencyMs} ms`,
        );
      }
      const retestValidator = createCredentialValidator({ transport, host: 'terminal' });
      await retestValidator.validate(input);
      const t = performance.now();
      const retest = await retestValidator.validate(input, { retest: true });
      const retestMs = performance.now() - t;
      retestValidator.close();
      print(`re-test (skipCache) on a kept connection: ${retestMs.toFixed(0)} ms, ${retest.requests} requests`);
      const worst = Math.max(...walls);
      print(
        `median ${median(walls).toFixed(0)} ms, worst ${worst.toFixed(0)} ms; goal < 2000 ms: ${worst < 2000 ? 'met' : 'NOT met'}; ` +
          `lower bound at this latency: 3 sequential round trips (token, permission probe, then users/groups/expiry) = ${3 * latencyMs} ms`,
      );
    } finally {
      await transport.close();
      await emu.close();
    }
  },
};
