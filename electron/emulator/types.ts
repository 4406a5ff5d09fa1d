/**
 * Public types of the demo tenant: start options, what a running emulator tells its clients, and its control API.
 */
import type { Clock } from '../services/ports';
import type { NewSecret } from './app-registration';
import type { GroupInput, UserInput } from './directory';
import type { Access } from './permissions';
import type { FaultSettings } from './faults';
import type { EmulatorCounters } from './graph-api';
import type { SignInSettings } from './delegated-auth';
import type { RegistrationStep } from './graph-registration-routes';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Number of generated users (10..200,000). Default 200. */
  readonly users?: number;
  /** Number of generated groups. Default 40. */
  readonly groups?: number;
  /**
   * Scales the size of every group but the all-members one (0..1]. Default 1 (10,000 users and 500 groups make
   * about 177,000 memberships; 0.25 about 50,000).
   */
  readonly membershipScale?: number;
  /** Seed of the generated dataset and identifiers. Default 1. */
  readonly seed?: number;
  /** Delay added to every token and Graph answer (real time, not the clock). Default 0. */
  readonly latencyMs?: number;
  /** Port on 127.0.0.1; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Grant Directory.Read.All with admin consent at start. Default true. */
  readonly consent?: boolean;
  /** Lifetime of the initial client secret. Default 365; negative values create an already expired secret. */
  readonly secretExpiresInDays?: number;
  /** Default domain of the tenant. Default `demo-tenant.onmicrosoft.com`. */
  readonly tenantDomain?: string;
  /** Time source for tokens, secrets, throttling windows and delta-token expiry. Default: system clock. */
  readonly clock?: Clock;
  /** Access-token lifetime in seconds. Default 3599, as Entra. */
  readonly tokenLifetimeSeconds?: number;
  /** Delta-token lifetime in days. Default 7 (graph-facts §5). */
  readonly deltaTokenLifetimeDays?: number;
  /**
   * Approve delegated sign-ins (interactive and device code) at once, as a Global Administrator, without the
   * sign-in or device-code page (`entra-sync emulator --admin-auto-approve`). Default false: the page asks for a click.
   */
  readonly adminAutoApprove?: boolean;
  /** Seconds an application or service principal created through Graph answers 404 (Entra's replication). Default 0. */
  readonly replicationDelaySeconds?: number;
  /** Polling interval the device-code answer asks for, in seconds. Default 1. */
  readonly deviceCodeIntervalSeconds?: number;
}

/**
 * Where and how to reach the running emulator. `graphBaseUrl` is the Graph root WITHOUT the version segment
 * (like `https://graph.microsoft.com`): requests go to `${graphBaseUrl}/v1.0/users`. The access-token scope is
 * `https://graph.microsoft.com/.default`, as for the global cloud.
 */
export interface EmulatorInfo {
  /** e.g. `https://127.0.0.1:PORT`; the token endpoint is `${authorityHost}/${tenantId}/oauth2/v2.0/token`. */
  readonly authorityHost: string;
  /** e.g. `https://127.0.0.1:PORT` (no `/v1.0`). */
  readonly graphBaseUrl: string;
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly tenantName: string;
  readonly clientId: string;
  /** The demo secret's value. Generated per run; never log it. */
  readonly clientSecret: string;
  /** The secret's keyId (the portal's "Secret ID"). */
  readonly secretId: string;
  readonly secretExpiresAt: string;
  /** The scope to request tokens for. */
  readonly scope: string;
  /** File holding the CA certificate (PEM) that signed the server certificate; removed on close. */
  readonly caCertPath: string;
  readonly caCertPem: string;
  /** Base URL of the HTTP control API: `POST ${controlUrl}/{method}` with `{"args":[…]}`. */
  readonly controlUrl: string;
  /** Bearer token the HTTP control API requires. */
  readonly controlToken: string;
  /**
   * The tenant's own public client registration for the admin sign-in ("Set it up for me"); the Microsoft first-party
   * public clients (Azure CLI `04b07795-…`, Microsoft Graph PowerShell `14d82eec-…`) are accepted too.
   */
  readonly publicClientId: string;
}

/** An application created through Graph, as the control API reports it (no secret values). */
export interface RegisteredAppSummary {
  readonly objectId: string;
  readonly appId: string;
  readonly displayName: string;
  readonly notes: string;
  readonly servicePrincipalId: string | null;
  readonly grantedRoles: string[];
  readonly secrets: Record<string, unknown>[];
}

/** A user or group summary returned by the control API. */
export type ObjectSummary = Readonly<Record<string, unknown>>;

/** Tests and demos drive the tenant through this (in process, or over HTTP under `/_control`). */
export interface EmulatorControl {
  addUser(input: UserInput): ObjectSummary;
  updateUser(id: string, patch: UserInput): ObjectSummary;
  /** Soft delete (delta reason `changed`) unless `hard`. */
  deleteUser(id: string, options?: { hard?: boolean }): void;
  getUser(idOrUpn: string): ObjectSummary | undefined;
  /** Ids of live users, in listing order. */
  userIds(options?: { offset?: number; limit?: number }): string[];
  addGroup(input: GroupInput): ObjectSummary;
  updateGroup(id: string, patch: GroupInput): ObjectSummary;
  deleteGroup(id: string, options?: { hard?: boolean }): void;
  getGroup(id: string): ObjectSummary | undefined;
  /** Every live group with its direct member count and member kinds. */
  groups(): { id: string; displayName: string; memberCount: number; memberKinds: string[] }[];
  addMember(groupId: string, memberId: string): void;
  removeMember(groupId: string, memberId: string): void;
  /** Admin consent for application permissions (default Directory.Read.All). New tokens carry them. */
  grantConsent(permissions?: string[]): void;
  /** Revokes some or all granted permissions. */
  revokeConsent(permissions?: string[]): void;
  /** Adds a client secret; the only place its value is returned. */
  addSecret(options?: { days?: number; displayName?: string; hint?: string }): NewSecret;
  expireSecret(keyId: string): void;
  removeSecret(keyId: string): void;
  /** The app's passwordCredentials as Graph shows them (no values). */
  secrets(): Record<string, unknown>[];
  setAppEnabled(enabled: boolean): void;
  /**
   * Graph answers 403 Authorization_RequestDenied to these kinds of reads whatever the token's roles, e.g.
   * `['applications']` for a tenant where Directory.Read.All cannot read app registrations (graph-facts §3); [] clears.
   */
  denyAccess(kinds: Access[]): void;
  /** Forces a token-endpoint failure the emulator cannot otherwise produce (90038, 53003, 7000112, 500011); null clears. */
  setTokenError(code: number | null): void;
  setFaults(settings: FaultSettings): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Overrides the resource-unit limit per 10 s (null restores the documented limit for the tenant size). */
  setThrottleLimit(units: number | null): void;
  /** Expires every delta token and nextLink issued so far. */
  expireDeltaTokens(options?: { code?: 'resyncRequired' | 'syncStateNotFound' }): void;
  counters(): EmulatorCounters;
  resetCounters(): void;
  /** Who the next delegated sign-ins are approved as, and how they go (see SignInSettings). */
  setAdminSignIn(options: Partial<SignInSettings>): void;
  /** Seconds new applications and service principals answer 404 and cannot sign in; 0 clears. */
  setReplicationDelay(seconds: number): void;
  /** Makes the Graph write of one registration step answer 500; null clears. */
  failRegistrationStep(step: RegistrationStep | null): void;
  /** Applications created through Graph (the demo app is not among them). */
  registeredApps(): RegisteredAppSummary[];
  /** Delegated Graph requests by route name, and `delegatedTokensIssued`. */
  registrationCounters(): Record<string, number>;
}

/** A started emulator. */
export interface RunningEmulator {
  readonly info: EmulatorInfo;
  readonly control: EmulatorControl;
  /** Stops the server, drops open connections and deletes the CA file. */
  close(): Promise<void>;
}
