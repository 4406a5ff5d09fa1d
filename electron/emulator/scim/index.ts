/**
 * SCIM 2.0 services for the SCIM target: a real implementation from npm for tests and the bench (scimmy-server.ts)
 * and the demo Atlassian Cloud user provisioning API with its rules (atlassian-scim-emulator.ts).
 */
export { startAtlassianScim } from './atlassian-scim-emulator';
export type { AtlassianScimInfo, AtlassianScimOptions, RunningAtlassianScim } from './atlassian-scim-emulator';
export { startDemoScim } from './demo-scim';
