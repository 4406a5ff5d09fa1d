/**
 * The demo Bitbucket Data Center: a local HTTPS emulation of the `/rest/api/latest` user, group and permission
 * resources (README.md).
 */
export { startBitbucketEmulator } from './bitbucket-emulator';
export { startDemoBitbucket } from './demo-bitbucket';
export type { BitbucketEmulatorInfo, BitbucketEmulatorOptions, RunningBitbucketEmulator } from './bitbucket-emulator';
export type { BitbucketCounters, BitbucketEmulatorControl, BitbucketUserSummary } from './control';
export type { GlobalPermission, NewBitbucketUser } from './model';
