// Lint, including the architecture's import boundaries (architecture.md), so nobody has to remember them.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node: no Node built-ins here.' }));
const electronPaths = ['electron', 'electron-store', 'electron-log', 'electron-log/main'].map((name) => ({
  name,
  message: 'Only electron/main and electron/preload may import Electron (architecture.md).',
}));

/** Builds a no-restricted-imports rule from banned module names and banned path patterns. */
const restrict = (paths, patterns = []) => ['error', { paths, patterns }];

const rendererNoCore = {
  group: ['**/electron/**', '**/electron'],
  message: 'The renderer talks to the core only through window.api (shared/ipc.ts).',
};
const noHosts = {
  group: ['**/main/**', '**/preload/**', '**/browser-host/**', '**/cli/**', '**/renderer/**'],
  message: 'The core never depends on a host (architecture.md); hosts pass it ports.',
};
// The core's tests and the helpers only they import may start the emulator; the core itself may not, nor import them.
const coreTestHelpers = ['test-support', 'test-core', 'validator-harness', 'fake-graph-server', 'graph-stand-in'];
const coreTestCode = ['electron/services/**/*.test.ts', ...coreTestHelpers.map((name) => `electron/services/**/${name}.ts`)];

const hostsNoRenderer = { group: ['**/renderer/**'], message: 'Hosts do not import the renderer.' };
// The hosts' tests and the test host only they import.
const hostTestCode = ['electron/browser-host/**/*.test.ts', 'electron/cli/**/*.test.ts', 'electron/browser-host/test-host.ts'];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      '.stryker-tmp/**',
      'reports/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e-artifacts/**',
      'coverage/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        [...nodeBuiltinPaths, ...electronPaths],
        [
          rendererNoCore,
          {
            group: ['**/app/pages', './pages'],
            message: 'pages.tsx imports every page: name pages through app/page-ids.ts, or the imports go round in a cycle.',
          },
        ],
      ),
    },
  },
  {
    // The shell shows the pages, and nothing imports the shell back.
    files: ['renderer/app/main-shell.tsx'],
    rules: { 'no-restricted-imports': restrict([...nodeBuiltinPaths, ...electronPaths], [rendererNoCore]) },
  },
  ...[
    ['shared/*.ts', '../*'],
    ['shared/*/**/*.ts', '../../*'],
  ].map(([files, outside]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltinPaths, ...electronPaths],
        [
          { group: [outside, '**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing of ours outside shared/.' },
          { group: ['react', 'react-dom', '@fluentui/*'], message: 'shared/ has no UI.' },
        ],
      ),
    },
  })),
  {
    files: ['electron/emulator/**/*.ts', 'electron/bench/**/*.ts', ...coreTestCode],
    rules: { 'no-restricted-imports': restrict(electronPaths, [noHosts]) },
  },
  {
    files: ['electron/services/**/*.ts'],
    ignores: coreTestCode,
    rules: {
      'no-restricted-imports': restrict(electronPaths, [
        noHosts,
        {
          group: ['**/emulator', '**/emulator/**'],
          message: 'The core reaches the demo tenant only through DemoTenantPort (ports.ts), which the hosts fill.',
        },
        {
          group: coreTestHelpers.map((name) => `**/${name}`),
          message: 'Test helpers start the emulator; only tests import them.',
        },
      ]),
    },
  },
  {
    files: ['electron/browser-host/**/*.ts', 'electron/cli/**/*.ts'],
    ignores: hostTestCode,
    rules: {
      'no-restricted-imports': restrict(electronPaths, [
        hostsNoRenderer,
        {
          group: [...coreTestHelpers, 'test-host'].map((name) => `**/${name}`),
          message: 'Test helpers start emulators and test hosts; only tests import them.',
        },
      ]),
    },
  },
  {
    files: hostTestCode,
    rules: { 'no-restricted-imports': restrict(electronPaths, [hostsNoRenderer]) },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['electron/main/ipc-main.ts', 'electron/preload/index.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          name: 'electron',
          importNames: ['ipcMain', 'ipcRenderer'],
          message: 'Use the typed wrappers in electron/main/ipc-main.ts and the preload.',
        },
      ]),
    },
  },
  {
    // Playwright fixtures that need no other fixture are declared with an empty pattern: `async ({}, use) => …`.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // Command-line scripts print their results.
    files: ['scripts/**/*.js', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['electron/main/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
