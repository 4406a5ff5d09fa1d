import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Service tests start HTTPS emulators and SQLite files; two cores are all we have.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
