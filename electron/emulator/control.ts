/**
 * The control API: in-process methods, and the same methods over HTTP as `POST /_control/{method}` with a JSON body
 * `{"args":[…]}` and `Authorization: Bearer {controlToken}`, answered `{"result":…}` or `{"error":{code,message}}`.
 */
import { FORCEABLE_AADSTS, type AadstsCode } from './aadsts';
import type { AppRegistration } from './app-registration';
import { DirectoryError, type Directory, type GroupRecord, type UserRecord } from './directory';
import type { DelegatedAuth } from './delegated-auth';
import type { FaultInjector } from './faults';
import type { RegistrationStep } from './graph-registration-routes';
import type { TenantApps } from './tenant-apps';
import type { Access } from './permissions';
import { emptyCounters, type EmulatorCounters } from './graph-api';
import { projectGroup, projectUser, USER_PROPS } from './odata';
import type { EmulatorControl } from './types';
import { handleControlCall, type ControlAnswer } from './control-http';

/** The mutable settings the control API changes and the server reads. */
export interface ControlledSettings {
  latencyMs: number;
  throttleLimit: number | null;
  tokenError: AadstsCode | undefined;
  deltaEpoch: number;
  deltaExpiredCode: 'resyncRequired' | 'syncStateNotFound';
  counters: EmulatorCounters;
  /** Kinds of reads refused with 403 whatever the roles (control `denyAccess`). */
  deniedAccess: Access[];
  /** The registration step whose Graph write answers 500 (control `failRegistrationStep`). */
  registrationFailure: RegistrationStep | undefined;
  /** Delegated (registration) Graph requests by route name. */
  registrationCounters: Record<string, number>;
}

/** The delegated sign-in and the applications created through Graph. */
export interface RegistrationState {
  readonly apps: TenantApps;
  readonly delegated: DelegatedAuth;
}

const ALL_USER_PROPS = [...USER_PROPS.values()];

const userSummary = (u: UserRecord) => projectUser(u, ALL_USER_PROPS);
const groupSummary = (g: GroupRecord) => ({ ...projectGroup(g), members: [...g.members] });

/** Builds the control object over the emulator's state. */
export function createControl(
  directory: Directory,
  app: AppRegistration,
  faults: FaultInjector,
  settings: ControlledSettings,
  now: () => Date,
  registration: RegistrationState,
): EmulatorControl {
  return {
    setAdminSignIn: (options) => {
      Object.assign(registration.delegated.settings, options);
    },
    setReplicationDelay: (seconds) => {
      registration.apps.replicationDelayMs = Math.max(0, seconds) * 1000;
    },
    failRegistrationStep: (step) => {
      settings.registrationFailure = step ?? undefined;
    },
    registeredApps: () =>
      registration.apps.created.map((c) => ({
        objectId: c.app.objectId,
        appId: c.app.appId,
        displayName: c.app.displayName,
        notes: c.notes,
        servicePrincipalId: c.sp ? c.app.servicePrincipalId : null,
        grantedRoles: [...c.app.grantedRoles],
        secrets: c.app.passwordCredentials(),
      })),
    registrationCounters: () => ({
      ...settings.registrationCounters,
      delegatedTokensIssued: registration.delegated.tokensIssued,
    }),
    addUser: (input) => userSummary(directory.addUser(input)),
    updateUser: (id, patch) => userSummary(directory.updateUser(id, patch)),
    deleteUser: (id, options) => directory.deleteUser(id, options?.hard ?? false),
    getUser: (id) => {
      const u = directory.findUser(id);
      return u ? userSummary(u) : undefined;
    },
    userIds: (options) => {
      const offset = options?.offset ?? 0;
      const limit = options?.limit ?? Number.MAX_SAFE_INTEGER;
      const out: string[] = [];
      let seen = 0;
      for (const u of directory.users) {
        if (u.removed) continue;
        if (seen++ < offset) continue;
        if (out.length >= limit) break;
        out.push(u.id);
      }
      return out;
    },
    addGroup: (input) => groupSummary(directory.addGroup(input)),
    updateGroup: (id, patch) => groupSummary(directory.updateGroup(id, patch)),
    deleteGroup: (id, options) => directory.deleteGroup(id, options?.hard ?? false),
    getGroup: (id) => {
      const g = directory.findGroup(id);
      return g ? groupSummary(g) : undefined;
    },
    groups: () =>
      directory.groups
        .filter((g) => !g.removed)
        .map((g) => ({
          id: g.id,
          displayName: g.displayName,
          memberCount: g.members.length,
          memberKinds: [...new Set(g.members.map((m) => directory.get(m)?.kind ?? 'unknown'))],
        })),
    addMember: (groupId, memberId) => directory.addMember(groupId, memberId),
    removeMember: (groupId, memberId) => directory.removeMember(groupId, memberId),
    grantConsent: (permissions) => app.grant(permissions ?? ['Directory.Read.All']),
    revokeConsent: (permissions) => app.revoke(permissions),
    addSecret: (options) => app.addSecret(now(), options?.days ?? 365, options?.displayName, options?.hint),
    expireSecret: (keyId) => {
      if (!app.expireSecret(keyId, now())) throw new DirectoryError('not-found', `No secret with keyId ${keyId}.`);
    },
    removeSecret: (keyId) => {
      if (!app.removeSecret(keyId)) throw new DirectoryError('not-found', `No secret with keyId ${keyId}.`);
    },
    secrets: () => app.passwordCredentials(),
    setAppEnabled: (enabled) => {
      app.enabled = enabled;
    },
    denyAccess: (kinds) => {
      settings.deniedAccess = [...kinds];
    },
    setTokenError: (code) => {
      if (code !== null && !FORCEABLE_AADSTS.includes(code as AadstsCode)) {
        throw new DirectoryError('invalid', `Only ${FORCEABLE_AADSTS.join(', ')} can be forced.`);
      }
      settings.tokenError = code === null ? undefined : (code as AadstsCode);
    },
    setFaults: (s) => faults.set(s),
    clearFaults: () => faults.set({}),
    setLatency: (ms) => {
      settings.latencyMs = Math.max(0, ms);
    },
    setThrottleLimit: (units) => {
      settings.throttleLimit = units;
    },
    expireDeltaTokens: (options) => {
      settings.deltaEpoch += 1;
      settings.deltaExpiredCode = options?.code ?? 'resyncRequired';
    },
    counters: () => structuredClone(settings.counters),
    resetCounters: () => {
      const fresh = emptyCounters();
      Object.assign(settings.counters, fresh);
      for (const k of Object.keys(settings.registrationCounters)) delete settings.registrationCounters[k];
    },
  };
}

/** Answers one HTTP control call. `authorization` is the request's header value. */
export function handleControlHttp(
  control: EmulatorControl,
  controlToken: string,
  method: string,
  authorization: string | undefined,
  body: string,
): ControlAnswer {
  return handleControlCall(control, controlToken, method, authorization, body, (error) =>
    error instanceof DirectoryError
      ? { status: error.code === 'not-found' ? 404 : error.code === 'conflict' ? 409 : 400, code: error.code }
      : undefined,
  );
}
