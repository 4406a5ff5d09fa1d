/**
 * Loads the shell exactly as `npm run build` leaves it (out/main/index.js, out/preload/index.cjs) with `electron`
 * resolved to a recording stand-in: a module loader hook for the ES module main process, a patched CommonJS
 * resolver for the libraries that `require('electron')`, and a sandbox-shaped `require` for the preload.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { createElectronStandIn, type ElectronStandIn, type StandInOptions } from './electron-stand-in';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const builtMain = join(repoRoot, 'out/main/index.js');
export const builtPreload = join(repoRoot, 'out/preload/index.cjs');

const standInKey = Symbol.for('entra-sync.shell-test.electron');
const hooksKey = Symbol.for('entra-sync.shell-test.hooks');
const bridgePath = join(here, 'electron-bridge.cjs');

/** Fails with what to do when the tier runs before the build. */
export function requireBuild(): void {
  for (const file of [builtMain, builtPreload]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: the shell tier tests the build output. Run npm run build first.`);
  }
}

function installHooksOnce(): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[hooksKey]) return;
  global[hooksKey] = true;
  register('./resolve-hooks.mjs', pathToFileURL(join(here, '/')));
  // electron-log is CommonJS: its require('electron') goes through the CommonJS resolver, not the hooks above.
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = (request, ...rest) => (request === 'electron' ? bridgePath : original.call(Module, request, ...rest));
}

let scenarios = 0;

/**
 * Starts one run of the built main process on a fresh stand-in. Each run imports the bundle afresh (a new query
 * string is a new ES module instance), so its top-level code — the single-instance lock, the listeners — runs again.
 */
export async function startBuiltMain(options: StandInOptions): Promise<ElectronStandIn> {
  requireBuild();
  installHooksOnce();
  const electron = createElectronStandIn(options);
  (globalThis as Record<symbol, unknown>)[standInKey] = electron.module;
  const url = `${pathToFileURL(builtMain).href}?scenario=${++scenarios}`;
  // out/ is external to the test runner (vitest.config.ts): Node itself loads it, as Electron would.
  await import(/* @vite-ignore */ url);
  return electron;
}

/** The modules a sandboxed preload may require, besides `electron` (Electron's sandbox documentation). */
const sandboxModules = ['events', 'timers', 'url'] as const;

/**
 * Runs the built preload the way a sandboxed renderer does: CommonJS, with a `require` that knows only `electron`
 * and the few modules the sandbox provides. Returns the modules it asked for.
 */
export function runBuiltPreload(electron: unknown): { required: string[] } {
  requireBuild();
  const required: string[] = [];
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    if ((sandboxModules as readonly string[]).includes(name)) return Module.createRequire(builtPreload)(name);
    throw new Error(`module not found: ${name} (a sandboxed preload can require only electron, events, timers and url)`);
  };
  const module = { exports: {} };
  const run = compileFunction(readFileSync(builtPreload, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: builtPreload,
  });
  run(module.exports, sandboxRequire, module, builtPreload, dirname(builtPreload));
  return { required };
}
