/**
 * Types of "Set it up for me" (issue 16): which public client signs the admin in, the plan shown before anything is
 * created, the steps and their progress events, what was created so far (for undo), the result, and a failure that
 * names its step, cause and fix. None of these carries a token; only {@link RegistrationResult.secret} carries the
 * new client secret, for the caller to store.
 */
import type { Cloud } from '../../../../shared/clouds';

/** Microsoft Graph's application id. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Directory.Read.All as an application permission (app role id, graph-facts §3). */
export const DIRECTORY_READ_ALL_ROLE_ID = '7ab1d382-f21e-4acd-a863-ba3e13f7da61';
/** The first-party public client used when the organisation has none of its own: Microsoft Azure CLI. */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
/** Marker in the application's notes: an application carrying it was created by this app and may be reused. */
export const NOTES_MARKER = '[entra-sync-assistant:set-up-for-me]';
/** Default and maximum lifetime of the client secret, in months (the portal's custom lifetime stops at 24). */
export const DEFAULT_SECRET_MONTHS = 12;
export const MAX_SECRET_MONTHS = 24;

/**
 * Which public client signs the admin in: the organisation's own public client registration (transparent, one
 * registration to create: "Mobile and desktop" redirect `http://localhost`, "Allow public client flows" on), or a
 * Microsoft first-party public client (no registration, but not supported for third parties and blockable by
 * Conditional Access). Default first party: the Azure CLI's id.
 */
export type PublicClientChoice =
  { readonly kind: 'organisation'; readonly clientId: string } | { readonly kind: 'first-party'; readonly clientId?: string };

/** How the admin signs in: the system browser with msal-node's loopback redirect, or a device code. */
export type SignInMethod =
  | {
      readonly kind: 'interactive';
      readonly openBrowser: (url: string) => Promise<void>;
      /** Cancels a sign-in the admin abandoned in the browser (msal's loopback server would wait for ever). */
      readonly signal?: AbortSignal;
    }
  | {
      readonly kind: 'device-code';
      /** Shown to the admin (stderr in the terminal): the page, the code and msal's message. */
      readonly onCode: (code: { readonly verificationUri: string; readonly userCode: string; readonly message: string }) => void;
      readonly signal?: AbortSignal;
    };

/** The delegated permissions the sign-in asks for, and why. */
export interface DelegatedPermission {
  readonly scope: 'Application.ReadWrite.All' | 'AppRoleAssignment.ReadWrite.All';
  readonly why: string;
}

/** The five steps, in order. */
export const registrationSteps = ['application', 'service-principal', 'consent', 'secret', 'store-validate'] as const;
export type RegistrationStepId = (typeof registrationSteps)[number];

/** What the admin asks for. */
export interface RegistrationRequest {
  /** Display name of the application. Default "Entra Sync Assistant". */
  readonly name?: string;
  /** Lifetime of the client secret in months, 1–24. Default 12. */
  readonly secretMonths?: number;
  /**
   * An application of the same name created by this app already exists: `reuse` it (a new secret is added, the
   * service principal and consent completed if missing) or `stop` with failure `already-exists` naming it, so the
   * admin can choose. Default `stop`. Never a duplicate.
   */
  readonly ifExists?: 'reuse' | 'stop';
}

/** What will be created, shown before anything is. */
export interface RegistrationPlan {
  readonly name: string;
  readonly secretMonths: number;
  readonly secretExpiresAt: string;
  readonly steps: readonly { readonly id: RegistrationStepId; readonly title: string; readonly detail: string }[];
  readonly delegatedPermissions: readonly DelegatedPermission[];
  /** Why the lifetime stops at 24 months. */
  readonly lifetimeNote: string;
}

/** An application of the same name created by this app (notes marker), offered for reuse. */
export interface ExistingApplication {
  readonly objectId: string;
  readonly appId: string;
  readonly displayName: string;
  readonly createdDateTime: string | null;
  readonly notes: string;
}

/** One step's progress. `waiting` counts down a retry while Entra replicates new objects. */
export interface RegistrationProgress {
  readonly step: RegistrationStepId;
  readonly status: 'running' | 'done' | 'waiting' | 'failed' | 'skipped';
  readonly message: string;
  /** Seconds until the next try (status `waiting`). */
  readonly retryInSeconds?: number;
}

/** What exists so far: what undo removes, and what the portal path continues from. */
export interface CreatedSoFar {
  appObjectId?: string;
  appId?: string;
  servicePrincipalId?: string;
  consentGranted?: boolean;
  secretKeyId?: string;
  stored?: boolean;
  /** True when the application was reused: undo then removes only the secret it added. */
  reused: boolean;
}

/** Why a step failed. */
export type RegistrationFailureCode =
  | 'not-admin'
  | 'app-creation-forbidden'
  | 'forbidden'
  | 'conditional-access'
  | 'cancelled'
  | 'sign-in-expired'
  | 'national-cloud'
  | 'public-client-unknown'
  | 'public-client-flows-disabled'
  | 'sign-in-refused'
  | 'replication-timeout'
  | 'validation-failed'
  | 'store-failed'
  | 'invalid-request'
  | 'already-exists'
  | 'graph-error'
  | 'network';

/** A failure: which step, why, and what to do. Never carries a token or a secret. */
export interface RegistrationFailure {
  readonly step: RegistrationStepId | 'sign-in';
  readonly code: RegistrationFailureCode;
  readonly message: string;
  readonly fix: string;
  /** e.g. `AADSTS53003`, `403 Authorization_RequestDenied`. */
  readonly detail?: string;
  /** For `already-exists`: the application found, to offer for reuse. */
  readonly existing?: ExistingApplication;
}

/** The result of a run that reached the end. */
export interface RegistrationResult {
  readonly tenantId: string;
  readonly clientId: string;
  readonly appObjectId: string;
  readonly reused: boolean;
  readonly secretKeyId: string;
  readonly secretHint: string;
  readonly secretExpiresAt: string;
  /** The new client secret: store it, never log it. */
  readonly secret: string;
}

/** What the caller stores (settings + vault) at step 5. */
export interface RegistrationToStore {
  readonly cloud: Cloud;
  readonly tenantId: string;
  readonly clientId: string;
  readonly appObjectId: string;
  readonly secret: string;
  readonly secretKeyId: string;
  readonly secretExpiresAt: string;
}

/** Thrown by the service; `created` is what exists so far. */
export class RegistrationError extends Error {
  constructor(
    readonly failure: RegistrationFailure,
    readonly created: CreatedSoFar,
  ) {
    super(`${failure.message} ${failure.fix}`);
    this.name = 'RegistrationError';
  }
}
