import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The shell tier (npm run test:shell): runs after npm run build, against out/, so it is kept out of test:unit.
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['electron/shell-test/**/*.shell-test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One process per file: the built main process keeps module-level state (electron-log, electron-store).
    pool: 'forks',
    // The shell logs its warnings (refused senders, denied permissions) on purpose: show them only when a test fails.
    silent: 'passed-only',
    // The build output is loaded by Node itself, with the loader hook that stands Electron in, never transformed.
    server: { deps: { external: [/\/out\/(main|preload)\//] } },
  },
});
