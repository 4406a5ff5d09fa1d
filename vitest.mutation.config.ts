import base from './vitest.config';

/**
 * The vitest configuration Stryker uses (stryker.config.json). Unchanged from vitest.config.ts unless
 * MUTATION_TESTS names the test files to run (comma-separated globs): a focused run then pays for those tests only,
 * instead of every test that imports the mutated module transitively (the whole CLI and engine suites for guard.ts).
 *   MUTATION_TESTS=electron/services/sync/guard.test.ts npx stryker run --mutate electron/services/sync/guard.ts
 */
const focused = process.env.MUTATION_TESTS?.split(',')
  .map((glob) => glob.trim())
  .filter((glob) => glob !== '');

export default focused && focused.length > 0
  ? { ...base, test: { ...base.test, include: focused } } // not mergeConfig: it would append to the base include
  : base;
