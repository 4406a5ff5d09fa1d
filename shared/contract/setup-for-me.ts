import { z } from 'zod';
import type { WizardStep } from './connection';

/**
 * "Set it up for me" (issue 16): after one admin sign-in the app creates its own application registration
 * (application, service principal, Directory.Read.All with admin consent, client secret), stores it and tests it;
 * and "Rotate the secret for me" replaces the client secret the same way. Served by
 * electron/services/connection/setup-for-me.ts.
 *
 * Neither the admin's tokens nor the new client secret ever cross this contract: the state carries ids, masked
 * hints and words. One flow runs at a time; its state is pushed as `setupForMe:changed`.
 */

/** Default and maximum lifetime of a new client secret, in months (the portal's custom lifetime stops at 24). */
export const setupSecretMonths = { default: 12, max: 24 } as const;

/** Microsoft's first-party public client this app signs in with when the organisation has none (Azure CLI). */
export const firstPartyPublicClientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

const guid = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'a GUID like 00000000-0000-0000-0000-000000000000',
  );

/** Which public client signs the admin in: the organisation's own registration, or Microsoft's first-party one. */
export const publicClientSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('first-party') }).strict(),
  z.object({ kind: z.literal('organisation'), clientId: guid }).strict(),
]);
export type PublicClientSetting = z.infer<typeof publicClientSettingSchema>;

/** How the admin signs in: the system browser (loopback redirect) or a device code. */
export const signInMethods = ['browser', 'device-code'] as const;
export type SignInMethodId = (typeof signInMethods)[number];

const months = z.number().int().min(1).max(setupSecretMonths.max);
const appName = z.string().trim().min(1).max(120);

export const setupForMeRequests = {
  /** The plan shown before anything is created, the public-client setting, and whether the demo tenant is in use. */
  'setupForMe:plan': z.object({ name: appName.optional(), secretMonths: months.optional() }).strict(),
  'setupForMe:savePublicClient': publicClientSettingSchema,
  /** The flow running or last ended (null when none). */
  'setupForMe:get': z.undefined(),
  /**
   * Signs the admin in and then creates (`create`) or rotates the secret (`rotate`). `demo`: try it on the demo
   * tenant, which is started if needed and approves the sign-in as its Global Administrator.
   */
  'setupForMe:start': z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('create'),
        name: appName,
        secretMonths: months,
        method: z.enum(signInMethods),
        demo: z.boolean().default(false),
      })
      .strict(),
    z.object({ kind: z.literal('rotate'), secretMonths: months, method: z.enum(signInMethods) }).strict(),
  ]),
  /** After an application of that name made by this app was found: reuse it, or create one with another name. */
  'setupForMe:continue': z.object({ reuse: z.boolean(), name: appName.optional() }).strict(),
  /**
   * Stops a sign-in still waiting (browser or device code; nothing was created), or the five steps before their next
   * Graph write: what was created by then is listed in the failure, with undo.
   */
  'setupForMe:cancel': z.undefined(),
  /** Removes what a failed run created so far, then drops the admin's sign-in. */
  'setupForMe:undo': z.undefined(),
  /**
   * "Continue by hand": drops the sign-in, fills the values created so far into the wizard and moves it to the
   * portal step that failed; returns that step.
   */
  'setupForMe:handOff': z.undefined(),
  /** Ends the flow (the sign-in is dropped) and forgets its state. */
  'setupForMe:dismiss': z.undefined(),
} as const;

export type SetupStepStatus = 'pending' | 'running' | 'done' | 'waiting' | 'failed' | 'skipped';

/** One step as the admin sees it. */
export interface SetupStepState {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly status: SetupStepStatus;
  readonly message: string;
  /** While waiting for Entra to replicate: seconds until the next try, counted from `at`. */
  readonly retryInSeconds?: number;
  readonly at?: string;
}

/** A failure: which step, why, what to do. Never a token or a secret. */
export interface SetupFailure {
  readonly step: string;
  readonly code: string;
  readonly message: string;
  readonly fix: string;
  readonly detail?: string;
}

export type SetupPhase = 'signing-in' | 'existing' | 'running' | 'succeeded' | 'failed' | 'undoing' | 'undone' | 'cancelled';

/** The state of the flow running or last ended. */
export interface SetupForMeState {
  readonly id: string;
  readonly kind: 'create' | 'rotate';
  readonly phase: SetupPhase;
  readonly demo: boolean;
  readonly method: SignInMethodId;
  readonly name?: string;
  /** The account that signed in, once it has. */
  readonly signedInAs?: string;
  /** The device code to enter, and where (device-code sign-in). */
  readonly deviceCode?: { readonly verificationUri: string; readonly userCode: string; readonly message: string };
  /** The browser was sent to this sign-in page (interactive sign-in); the browser host's tab opens it. */
  readonly browserOpened?: boolean;
  readonly steps: readonly SetupStepState[];
  /** An application of that name made by this app (phase `existing`). */
  readonly existing?: { readonly appId: string; readonly displayName: string; readonly createdDateTime: string | null };
  readonly failure?: SetupFailure;
  /** What exists so far (ids only): what undo removes and "Continue by hand" fills in. */
  readonly created?: {
    readonly appId?: string;
    readonly appObjectId?: string;
    readonly servicePrincipalId?: string;
    readonly consentGranted?: boolean;
    readonly secretKeyId?: string;
    readonly reused: boolean;
  };
  /** Undo is offered (a failed run created something and the sign-in is still held). */
  readonly canUndo: boolean;
  /** What happened to the flow since (the sign-in kept for undo ended), and what to do now. */
  readonly notice?: string;
  readonly result?: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly reused: boolean;
    readonly secretHint: string;
    readonly secretExpiresAt: string;
  };
  /** A rotation's outcome: the secret added and the one removed (null: remove it by hand, `note` says why). */
  readonly rotation?: {
    readonly added: { readonly keyId: string; readonly hint: string; readonly expiresAt: string };
    readonly removed: { readonly keyId: string; readonly hint: string } | null;
    readonly note?: string;
  };
}

/** What the plan page shows. */
export interface SetupForMePlan {
  readonly name: string;
  readonly secretMonths: number;
  readonly secretExpiresAt: string;
  readonly steps: readonly { readonly id: string; readonly title: string; readonly detail: string }[];
  readonly delegatedPermissions: readonly { readonly scope: string; readonly why: string }[];
  readonly lifetimeNote: string;
  readonly publicClient: PublicClientSetting;
  /** The demo tenant is the connection in use. */
  readonly demo: boolean;
}

export interface SetupForMeResults {
  'setupForMe:plan': SetupForMePlan;
  'setupForMe:savePublicClient': PublicClientSetting;
  'setupForMe:get': SetupForMeState | null;
  'setupForMe:start': SetupForMeState;
  'setupForMe:continue': SetupForMeState;
  'setupForMe:cancel': SetupForMeState | null;
  'setupForMe:undo': SetupForMeState;
  'setupForMe:handOff': { readonly step: WizardStep };
  'setupForMe:dismiss': null;
}

export interface SetupForMeEvents {
  'setupForMe:changed': SetupForMeState | null;
  /** The browser host's window opens the sign-in page in a new tab (Electron opens the system browser itself). */
  'setupForMe:openBrowser': { readonly url: string };
}
