/**
 * The ports: what differs between the Electron, browser and terminal hosts.
 *
 * Services receive these in their constructor (or factory options); they never reach for a global.
 */
import type { VaultNotice } from '../../shared/settings';
import type { TargetProduct } from '../../shared/targets';

/** Wall-clock time. Tests pass a controlled clock; nothing in the core calls `Date.now()` directly for decisions. */
export interface Clock {
  now(): Date;
  /** Schedules `fn` after `ms` milliseconds of this clock's time; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

/**
 * The real clock. Its timers hold the event loop (not unref'd): a pending one is work the core waits for, such as a
 * Retry-After wait, during which no socket may be open; unref'd, the terminal host ended mid-run there (exit 13).
 * Whoever sets a timer cancels it when done (the scheduler's stop()); the hosts exit explicitly.
 */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger. Messages and fields must never carry a secret: callers pass masked hints only. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A desktop notification (Electron), an in-page toast (browser host) or a line on stderr (terminal). */
export interface Notification {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly severity: 'info' | 'success' | 'warning' | 'error';
  /** Where clicking it should take the admin, as an app route such as `rotation`. */
  readonly action?: string;
}

export interface Notifier {
  notify(notification: Notification): void;
}

/** What protects secrets at rest: lets the UI warn when protection is weak. */
export interface VaultProtection {
  readonly backend: string;
  /** False when secrets are only obfuscated (Linux without a keyring, plain-file vault). */
  readonly secure: boolean;
}

/** Stores secrets (client secret, tokens). Values never leave the main process. */
export interface SecretVault {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  protection(): VaultProtection;
  /** Set when the vault's store was found damaged and moved aside: what it held is gone (see FileVault). */
  notice?(): VaultNotice | undefined;
}

/** What the core asks of a demo tenant when it starts one ("Try with a demo tenant", `connection:startDemo`). */
export interface DemoTenantOptions {
  readonly users: number;
  readonly groups?: number;
  readonly seed?: number;
  /** Grant Directory.Read.All with admin consent at start. */
  readonly consent?: boolean;
  /** Lifetime of the first client secret; negative for one already expired. */
  readonly secretExpiresInDays?: number;
  readonly latencyMs?: number;
  /** The core's clock: the demo secret's expiry is counted on the same time as the reminders that read it. */
  readonly clock?: Clock;
}

/** Where a running demo tenant answers, and the credentials it was started with. */
export interface DemoTenantInfo {
  /** The token endpoint is `${authorityHost}/${tenantId}/oauth2/v2.0/token`. */
  readonly authorityHost: string;
  /** Graph's root without the version segment, like `https://graph.microsoft.com`. */
  readonly graphBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Generated for each start; never log it. */
  readonly clientSecret: string;
  readonly secretExpiresAt: string;
  /** The CA that signed the tenant's certificate: trusted by the demo tenant's transport only. */
  readonly caCertPem: string;
}

/** A client secret just added, as the portal shows it: the only time its value is seen. */
export interface DemoTenantSecret {
  readonly keyId: string;
  readonly secretText: string;
  readonly displayName: string;
  readonly endDateTime: string;
}

/** A demo tenant the core started; `close()` stops it and forgets its state. */
export interface RunningDemoTenant {
  readonly info: DemoTenantInfo;
  /** What the portal lets an admin do that the core offers for the demo tenant (guided rotation). */
  readonly control: {
    addSecret(options: { days: number; displayName: string }): DemoTenantSecret;
    /** "Set it up for me" on the demo tenant: approve admin sign-ins at once, as its Global Administrator. */
    setAdminSignIn?(options: { autoApprove?: boolean }): void;
  };
  close(): Promise<void>;
}

/**
 * Starts demo tenants. The hosts fill it with the emulator in `electron/emulator/`, which the core never imports:
 * the core only needs a tenant that speaks Entra and Graph over HTTPS.
 */
export interface DemoTenantPort {
  start(options: DemoTenantOptions): Promise<RunningDemoTenant>;
}

/** Where a running demo Jira answers: what an admin would type, plus the CA that signed its certificate. */
export interface DemoJiraInfo {
  /** With the context path, e.g. `https://127.0.0.1:PORT/jira`. */
  readonly baseUrl: string;
  /** The demo administrator's personal access token. Generated for each start; never log it. */
  readonly adminToken: string;
  readonly caCertPem: string;
}

export interface RunningDemoJira {
  readonly info: DemoJiraInfo;
  close(): Promise<void>;
}

/**
 * Starts the demo Jira Data Center beside the demo tenant (Settings → Targets). The hosts fill it with the Jira
 * emulator in `electron/emulator/jira/`, which the core never imports.
 */
export interface DemoJiraPort {
  start(): Promise<RunningDemoJira>;
}

/** A demo product's address and sign-in, generated for each start: never log the secret. */
export interface DemoTargetInfo {
  /** With the context path, e.g. `https://127.0.0.1:PORT/confluence`. */
  readonly baseUrl: string;
  /** Bitbucket's administrator, Crowd's application name; absent for token products. */
  readonly username?: string;
  /** The token or password the target signs in with. */
  readonly secret: string;
  readonly caCertPem: string;
}

export interface RunningDemoTarget {
  readonly info: DemoTargetInfo;
  close(): Promise<void>;
}

/**
 * Starts a demo product (Jira, Confluence, Bitbucket, Crowd, SCIM) beside the demo tenant. The hosts fill it with the
 * emulators of `electron/emulator/`, which the core never imports.
 */
export interface DemoTargetsPort {
  /** The products this port can start. */
  readonly products: readonly TargetProduct[];
  start(product: TargetProduct): Promise<RunningDemoTarget>;
}
