/**
 * "Rotate the secret for me": after an admin sign-in, adds a new client secret, tests it live as a candidate
 * (retrying while Entra replicates it), switches the stored secret, and only then removes the old one. When the new
 * secret does not pass, it is removed again and the old one stays in use, untouched.
 *
 * ```ts
 * const result = await rotateSecret(session, { cloud, tenantId, clientId, currentSecret }, { transport, store, clock });
 * // result.removed: { keyId, hint } of the old secret, or null when it could not be told apart (then say so)
 * ```
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Cloud } from '../../../../shared/clouds';
import { maskSecret, type ValidationReport } from '../../../../shared/validation';
import type { HttpTransport } from '../../http/transport';
import { silentLogger, systemClock, type Clock, type Logger } from '../../ports';
import { createCredentialValidator, type ValidationInput } from '../validator';
import { adminGraphClient, retryWhileReplicating } from './admin-graph';
import type { AdminSession } from './admin-sign-in';
import { firstFailure, validateWithBackoff } from './live-validation';
import { graphProblem } from './registration-failures';
import { addMonths } from './registration-service';
import { DEFAULT_SECRET_MONTHS, MAX_SECRET_MONTHS } from './registration-types';

/** The connection whose secret is rotated. */
export interface RotationInput {
  readonly cloud: Cloud;
  readonly tenantId: string;
  readonly clientId: string;
  /** The secret in use now (to find its keyId by hint when `currentKeyId` is not known). */
  readonly currentSecret: string;
  readonly currentKeyId?: string;
  /** Lifetime of the new secret, 1–24 months. Default 12. */
  readonly months?: number;
}

/** Switches the stored secret to the new one (vault + settings). */
export interface RotationStore {
  switchSecret(next: {
    readonly clientId: string;
    readonly secret: string;
    readonly keyId: string;
    readonly expiresAt: string;
  }): Promise<void>;
}

export interface RotationDeps {
  readonly transport: HttpTransport;
  readonly store: RotationStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly validate?: (input: ValidationInput) => Promise<ValidationReport>;
  /** How long the candidate is retested while it replicates. Default 180 s. */
  readonly validationBudgetMs?: number;
  readonly onProgress?: (step: RotationStep, message: string) => void;
}

export type RotationStep = 'add' | 'validate' | 'switch' | 'remove-old';

/** The outcome: the secret added and the one removed (null when it could not be told apart: remove it by hand). */
export interface RotationResult {
  readonly added: { readonly keyId: string; readonly hint: string; readonly expiresAt: string };
  readonly removed: { readonly keyId: string; readonly hint: string } | null;
  /** Why the old secret was not removed, when it was not. */
  readonly note?: string;
  /** The new secret, for a caller that must hand it on (the terminal's --print-secret). Never log it. */
  readonly secret: string;
}

/** A rotation that stopped; `oldSecretKept` is always true: the old secret is still valid and stored. */
export class RotationError extends Error {
  readonly oldSecretKept = true;
  constructor(
    readonly step: RotationStep,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'RotationError';
  }
}

interface PasswordCredential {
  readonly keyId: string;
  readonly hint: string | null;
}

/** Rotates the client secret of `input.clientId` as the signed-in admin. */
export async function rotateSecret(session: AdminSession, input: RotationInput, deps: RotationDeps): Promise<RotationResult> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const months = input.months ?? DEFAULT_SECRET_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > MAX_SECRET_MONTHS) {
    throw new RotationError(
      'add',
      `The secret lifetime must be 1 to ${MAX_SECRET_MONTHS} months, not ${months}.`,
      'Choose a lifetime of at most 24 months.',
    );
  }
  const progress = (step: RotationStep, message: string) => deps.onProgress?.(step, message);
  const graph = adminGraphClient(input.cloud, deps.transport, session.accessToken);
  const retry = { clock, budgetMs: 120_000 };
  const validate =
    deps.validate ??
    ((v: ValidationInput) => {
      const validator = createCredentialValidator({ transport: deps.transport, clock, logger, host: 'app' });
      return validator.validate(v, { retest: true }).finally(() => validator.close());
    });

  const app = await findApplication(graph, input.clientId).catch((error: unknown) => {
    throw graphStop('add', error);
  });
  progress('add', 'Adding a new client secret…');
  const added = (await retryWhileReplicating(
    () =>
      graph.api(`/applications/${app.id}/addPassword`).post({
        passwordCredential: {
          displayName: `Entra Sync Assistant (rotated ${clock.now().toISOString().slice(0, 10)})`,
          endDateTime: addMonths(clock.now(), months),
        },
      }),
    retry,
  ).catch((error: unknown) => {
    throw graphStop('add', error);
  })) as { keyId: string; secretText: string; endDateTime: string };

  const removeNew = async () => {
    await graph
      .api(`/applications/${app.id}/removePassword`)
      .post({ keyId: added.keyId })
      .catch((error: unknown) =>
        logger.warn('the new secret could not be removed again', { keyId: added.keyId, error: graphProblem(error).code }),
      );
  };

  progress('validate', 'Testing the new secret…');
  const outcome = await validateWithBackoff(
    validate,
    { cloud: input.cloud, tenant: input.tenantId, clientId: input.clientId, secret: added.secretText },
    {
      clock,
      budgetMs: deps.validationBudgetMs ?? 180_000,
      onWait: (s) => progress('validate', `The new secret is not accepted yet; next test in ${s} s.`),
    },
  );
  if (!outcome.passed) {
    await removeNew();
    const failed = firstFailure(outcome.report);
    throw new RotationError(
      'validate',
      `The new secret did not pass the test (${failed?.message ?? 'a required check failed'}); it was removed again and the current secret stays in use.`,
      failed?.fix || 'Test the current connection, fix what it reports, then rotate again.',
    );
  }

  progress('switch', 'Switching to the new secret…');
  try {
    await deps.store.switchSecret({
      clientId: input.clientId,
      secret: added.secretText,
      keyId: added.keyId,
      expiresAt: added.endDateTime,
    });
  } catch (error) {
    await removeNew();
    throw new RotationError(
      'switch',
      `The new secret could not be stored (${error instanceof Error ? error.message : String(error)}); it was removed again and the current secret stays in use.`,
      'Check that the secret vault is available, then rotate again.',
    );
  }

  // Only now, with the new secret tested and stored, is the old one removed.
  progress('remove-old', 'Removing the old secret…');
  const old = oldCredential(app.passwordCredentials, input, added.keyId);
  const addedInfo = { keyId: added.keyId, hint: maskSecret(added.secretText), expiresAt: added.endDateTime };
  if (!old) {
    return {
      added: addedInfo,
      removed: null,
      note: 'The secret in use before could not be told apart from the others of this application (same hint, or not listed): remove it by hand in the portal (Certificates & secrets).',
      secret: added.secretText,
    };
  }
  try {
    await graph.api(`/applications/${app.id}/removePassword`).post({ keyId: old.keyId });
  } catch (error) {
    return {
      added: addedInfo,
      removed: null,
      note: `The new secret is in use, but the old one (${old.keyId}) could not be removed (${graphProblem(error).code}): remove it in the portal.`,
      secret: added.secretText,
    };
  }
  logger.info('client secret rotated', { added: added.keyId, removed: old.keyId });
  return { added: addedInfo, removed: { keyId: old.keyId, hint: `${old.hint ?? ''}••••••` }, secret: added.secretText };
}

async function findApplication(graph: Client, appId: string): Promise<{ id: string; passwordCredentials: PasswordCredential[] }> {
  const page = (await graph.api('/applications').filter(`appId eq '${appId}'`).select('id,appId,passwordCredentials').get()) as {
    value?: { id: string; passwordCredentials?: PasswordCredential[] }[];
  };
  const app = page.value?.[0];
  if (!app)
    throw Object.assign(new Error(`No application with client ID ${appId} in this tenant.`), {
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
  return { id: app.id, passwordCredentials: app.passwordCredentials ?? [] };
}

/** The credential in use before: by keyId when known, else the only other one with the current secret's hint. */
function oldCredential(
  credentials: readonly PasswordCredential[],
  input: RotationInput,
  newKeyId: string,
): PasswordCredential | undefined {
  const others = credentials.filter((c) => c.keyId !== newKeyId);
  if (input.currentKeyId) return others.find((c) => c.keyId === input.currentKeyId);
  const byHint = others.filter((c) => c.hint === input.currentSecret.slice(0, 3));
  return byHint.length === 1 ? byHint[0] : undefined;
}

function graphStop(step: RotationStep, error: unknown): RotationError {
  const p = graphProblem(error);
  const fix =
    p.status === 403
      ? 'Sign in as a Global Administrator or Application Administrator, or as an owner of the application.'
      : p.status === 404
        ? "Sign in to the tenant that holds the connection's application, and check in the portal (App registrations) that it still exists; if it was deleted, set the connection up again (Create it for me)."
        : 'Check the connection to Microsoft and try again.';
  return new RotationError(
    step,
    `The secret could not be rotated: ${p.status ? `${p.status} ${p.code}: ` : ''}${p.message.replace(/\.$/, '')}. Nothing was changed.`,
    fix,
  );
}
