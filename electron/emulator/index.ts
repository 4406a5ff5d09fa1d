/**
 * The demo tenant: a local emulation of Microsoft Entra's token endpoint and Microsoft Graph v1.0 (see types.ts).
 */
export { startEmulator } from './emulator';
export { emulatedDemoTenant, type EmulatedDemoTenant } from './demo-tenant-port';
export type {
  EmulatorControl,
  EmulatorInfo,
  EmulatorOptions,
  ObjectSummary,
  RegisteredAppSummary,
  RunningEmulator,
} from './types';
export type { AdminRole, SignInSettings } from './delegated-auth';
export type { RegistrationStep } from './graph-registration-routes';
export type { FaultKind, FaultSettings } from './faults';
export type { EmulatorCounters } from './graph-api';
export type { NewSecret } from './app-registration';
export type { GroupInput, UserInput } from './directory';
export { GRAPH_APP_ID, GRAPH_APP_ROLES } from './permissions';
