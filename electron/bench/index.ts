/**
 * The benchmarks `entra-sync bench` runs. Each prints its own figures; none asserts on time.
 * Add a bench by importing it here and appending it to the list.
 */
import { crowdBench } from './crowd-bench';
import { bitbucketBench } from './bitbucket-bench';
import { confluenceBench } from './confluence-bench';
import { emulatorBench } from './emulator-bench';
import { jiraBench } from './jira-bench';
import { scimBench } from './scim-bench';
import { syncBench } from './sync-bench';
import { validateBench } from './validate-bench';

/** Where a bench writes its figures, and the options given on the command line (`--name value`). */
export interface BenchIo {
  readonly print: (line: string) => void;
  readonly options: Readonly<Record<string, string | undefined>>;
}

/** One benchmark. */
export interface Bench {
  readonly name: string;
  readonly summary: string;
  run(io: BenchIo): Promise<void>;
}

/** Every bench, in the order `entra-sync bench` runs them. */
export const benches: readonly Bench[] = [
  emulatorBench,
  validateBench,
  syncBench,
  jiraBench,
  crowdBench,
  bitbucketBench,
  scimBench,
  confluenceBench,
];
