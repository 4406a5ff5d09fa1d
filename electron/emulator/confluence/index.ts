/**
 * The demo Confluence Data Center: a local HTTPS emulation of the `/rest/api` user, group and long-task resources
 * (README.md).
 */
export { startConfluenceEmulator } from './confluence-emulator';
export { startDemoConfluence } from './demo-confluence';
export type { ConfluenceEmulatorInfo, ConfluenceEmulatorOptions, RunningConfluenceEmulator } from './confluence-emulator';
export type { ConfluenceCounters, ConfluenceEmulatorControl, ConfluenceUserSummary } from './control';
export type { NewConfluenceUser } from './model';
