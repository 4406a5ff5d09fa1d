#!/usr/bin/env node
// The terminal host's entry. In a source checkout it runs the TypeScript through tsx, so the command
// always matches the code; a packaged build runs the bundled out/cli/index.js instead.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'electron', 'cli', 'index.ts');
const built = join(root, 'out', 'cli', 'index.js');

let entry;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else {
  entry = built;
}
const { main, processIo } = await import(pathToFileURL(entry).href);
const code = await main(process.argv.slice(2), processIo());
process.exit(code);
