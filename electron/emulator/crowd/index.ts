/**
 * The demo Crowd Data Center: a local HTTPS emulation of the `/rest/usermanagement/1` resources (README.md).
 */
export { startCrowdEmulator } from './crowd-emulator';
export { startDemoCrowd } from './demo-crowd';
export type { CrowdEmulatorInfo, CrowdEmulatorOptions, RunningCrowdEmulator } from './crowd-emulator';
export type { CrowdCounters, CrowdEmulatorControl, CrowdRateLimit, CrowdUserSummary } from './control';
export type { NewCrowdUser, ReadOnlyRefusal } from './model';
