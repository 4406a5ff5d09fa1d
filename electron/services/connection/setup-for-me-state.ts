/**
 * The pieces of "Set it up for me" that hold no sign-in: the public-client setting (a small owner-only file in the
 * data folder; a client id is not a secret), the steps of a flow as the admin sees them, and where "Continue by
 * hand" resumes the portal path after a failed step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WizardStep } from '../../../shared/contract/connection';
import {
  firstPartyPublicClientId,
  publicClientSettingSchema,
  type PublicClientSetting,
  type SetupFailure,
  type SetupForMeState,
  type SetupStepState,
} from '../../../shared/contract/setup-for-me';
import {
  RegistrationError,
  type CreatedSoFar,
  type PublicClientChoice,
  type RegistrationProgress,
} from '../entra/registration/registration-types';
import { RotationError } from '../entra/registration/secret-rotation';
import { ownerOnlyFileMode } from '../app/data-dir';

const SETTING_FILE = 'setup-for-me.json';

/** Reads the public-client setting; first party when none was saved or the file cannot be read. */
export function readPublicClient(dataDir: string): PublicClientSetting {
  try {
    const parsed = publicClientSettingSchema.safeParse(JSON.parse(readFileSync(join(dataDir, SETTING_FILE), 'utf8')));
    return parsed.success ? parsed.data : { kind: 'first-party' };
  } catch {
    return { kind: 'first-party' };
  }
}

/** Saves the public-client setting (owner-only). */
export function writePublicClient(dataDir: string, setting: PublicClientSetting): PublicClientSetting {
  writeFileSync(join(dataDir, SETTING_FILE), `${JSON.stringify(setting, null, 2)}\n`, { mode: ownerOnlyFileMode });
  return setting;
}

/** The setting as the sign-in takes it. */
export function publicClientChoice(setting: PublicClientSetting): PublicClientChoice {
  return setting.kind === 'organisation'
    ? { kind: 'organisation', clientId: setting.clientId }
    : { kind: 'first-party', clientId: firstPartyPublicClientId };
}

/** The four steps of "Rotate the secret for me". */
export const rotationStepList: readonly { id: string; title: string; detail: string }[] = [
  { id: 'add', title: 'New client secret', detail: 'added to the application, beside the one in use' },
  { id: 'validate', title: 'Test the new secret', detail: 'live, as a candidate; the stored one stays in use meanwhile' },
  { id: 'switch', title: 'Switch', detail: 'the new secret stored in the vault and used from now on' },
  { id: 'remove-old', title: 'Remove the old secret', detail: 'only after the new one passed the test' },
];

/** Fresh steps, all pending. */
export function pendingSteps(list: readonly { id: string; title: string; detail: string }[]): SetupStepState[] {
  return list.map((s) => ({ ...s, status: 'pending', message: '' }));
}

/** The steps with one step's progress applied. */
export function withProgress(steps: readonly SetupStepState[], progress: RegistrationProgress, at: Date): SetupStepState[] {
  return steps.map((s) =>
    s.id === progress.step
      ? {
          id: s.id,
          title: s.title,
          detail: s.detail,
          status: progress.status,
          message: progress.message,
          ...(progress.retryInSeconds === undefined ? {} : { retryInSeconds: progress.retryInSeconds, at: at.toISOString() }),
        }
      : s,
  );
}

/** A rotation step running: the ones before it done. */
export function rotationAt(steps: readonly SetupStepState[], id: string, message: string, at: Date): SetupStepState[] {
  const index = steps.findIndex((s) => s.id === id);
  const waiting = /next test in (\d+) s/.exec(message);
  return steps.map((s, i) => {
    if (i < index && s.status !== 'done') return { id: s.id, title: s.title, detail: s.detail, status: 'done', message: '' };
    if (i !== index) return s;
    return {
      id: s.id,
      title: s.title,
      detail: s.detail,
      status: waiting ? 'waiting' : 'running',
      message,
      ...(waiting ? { retryInSeconds: Number(waiting[1]), at: at.toISOString() } : {}),
    };
  });
}

/**
 * Where the portal path resumes after a failure at `step`: nothing created, step 1; the service principal or consent
 * missing, step 2 (the portal's "Grant admin consent" creates the service principal too); the secret, step 3; all
 * stored but the test not passed yet, step 5.
 */
export function handOffStep(
  step: string | undefined,
  created: { appId?: string; consentGranted?: boolean; stored?: boolean },
): WizardStep {
  if (!created.appId) return 'register';
  if (created.stored) return 'test';
  switch (step) {
    case 'application':
    case 'service-principal':
    case 'consent':
      return 'permission';
    case 'secret':
      return 'secret';
    default:
      return created.consentGranted ? 'secret' : 'permission';
  }
}

/** The wizard steps done before `step`. */
export function stepsBefore(step: WizardStep): WizardStep[] {
  const order: WizardStep[] = ['register', 'permission', 'secret', 'values', 'test'];
  const index = order.indexOf(step);
  return index < 0 ? [] : order.slice(0, index);
}

/** A flow's failure in words, whatever stopped it (R's registration or rotation error, or anything else). */
export function failureOf(error: unknown): SetupFailure {
  if (error instanceof RegistrationError) return error.failure;
  if (error instanceof RotationError)
    return { step: error.step, code: 'rotation-failed', message: error.message, fix: error.fix };
  return {
    step: 'sign-in',
    code: 'unexpected',
    message: `It stopped: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'Try again; if it keeps failing, continue by hand in the portal.',
  };
}

/** What was created so far, ids only (what the renderer may see). */
export function publicCreated(c: CreatedSoFar): NonNullable<SetupForMeState['created']> {
  return {
    reused: c.reused,
    ...(c.appId ? { appId: c.appId } : {}),
    ...(c.appObjectId ? { appObjectId: c.appObjectId } : {}),
    ...(c.servicePrincipalId ? { servicePrincipalId: c.servicePrincipalId } : {}),
    ...(c.consentGranted ? { consentGranted: true } : {}),
    ...(c.secretKeyId ? { secretKeyId: c.secretKeyId } : {}),
  };
}

/** Why undo is no longer offered once the sign-in kept for it was dropped, and what to do instead. */
export function signInEndedNotice(holdMs: number, name: string | undefined, created: CreatedSoFar | undefined): string {
  const minutes = Math.round(holdMs / 60_000);
  const app = created?.appId
    ? `the application “${name ?? 'Entra Sync Assistant'}” (client ID ${created.appId})`
    : 'the application';
  return `The sign-in kept for undo ended after ${minutes} minutes and its tokens were dropped, so Undo is no longer offered. To remove what was created, delete ${app} in the portal (App registrations → the application → Delete); or run "Create it for me" again with the same name to reuse it.`;
}

/** Something to undo: what a run for a new application created, or the secret added to a reused one. */
export function hasSomethingToUndo(created: CreatedSoFar | undefined): boolean {
  if (!created) return false;
  return created.reused ? created.secretKeyId !== undefined || created.stored === true : created.appObjectId !== undefined;
}
