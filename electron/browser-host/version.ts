import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The app's version, from package.json, for hosts that run outside Electron. */
export const appVersion: string = (require('../../package.json') as { version: string }).version;
