import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Service tests start HTTPS emulators and SQLite files; two cores are all we have.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests never write into a developer's system keychain: target vaults are the data folder's file.
    env: { ENTRA_SYNC_VAULT: 'file' },
  },
});
