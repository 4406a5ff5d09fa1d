/**
 * The demo Jira Data Center: a local HTTPS emulation of the `/rest/api/2` user and group resources (README.md).
 */
export { startJiraEmulator } from './jira-emulator';
export { emulatedDemoJira, type EmulatedDemoJira } from './demo-jira-port';
export type { JiraEmulatorInfo, JiraEmulatorOptions, RunningJiraEmulator } from './jira-emulator';
export type { JiraCounters, JiraEmulatorControl, JiraFaultKind, JiraFaultSettings, JiraUserSummary } from './control';
export type { NewJiraUser } from './model';
export type { RateLimitSettings } from './rate-limit';
