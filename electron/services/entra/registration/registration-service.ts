/**
 * "Set it up for me" (issue 16): after one admin sign-in, creates the application, its service principal,
 * Directory.Read.All as an application permission with admin consent, and a client secret; stores them and tests
 * the connection live, retrying while Entra replicates the new objects. Every step reports progress; a failure
 * names its step, cause and fix and carries what was created so far, which `undo` removes. Re-running finds the
 * application it created before (notes marker) instead of creating a duplicate.
 *
 * ```ts
 * const service = createRegistrationService({ cloud, transport, store, clock });
 * const plan = service.plan({ name, secretMonths: 12 });           // shown before anything is created
 * const session = await signInAdmin({ cloud, transport, publicClient }, { kind: 'device-code', onCode });
 * try {
 *   const result = await service.run(session, { name, ifExists: 'reuse' }, { onProgress });
 * } catch (e) {
 *   if (e instanceof RegistrationError) await service.undo(session, e.created); // if the admin asks
 * } finally {
 *   await session.close(); // the admin's tokens are dropped
 * }
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
import { buildPlan, DEFAULT_APP_NAME } from './registration-plan';
import { cancelledFailure, graphProblem, stepFailure } from './registration-failures';
import {
  DIRECTORY_READ_ALL_ROLE_ID,
  GRAPH_APP_ID,
  NOTES_MARKER,
  RegistrationError,
  type CreatedSoFar,
  type ExistingApplication,
  type RegistrationPlan,
  type RegistrationProgress,
  type RegistrationRequest,
  type RegistrationResult,
  type RegistrationStepId,
  type RegistrationToStore,
} from './registration-types';

/** Where the new connection is kept (settings + vault); the hosts provide it. */
export interface RegistrationStore {
  save(connection: RegistrationToStore): Promise<void>;
  /** Undo of `save`: forget the stored connection. */
  forget(connection: { readonly clientId: string }): Promise<void>;
}

/** What the service is built with. */
export interface RegistrationServiceOptions {
  readonly cloud: Cloud;
  readonly transport: HttpTransport;
  readonly store: RegistrationStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Tests a connection; default the credential validator over the same transport. */
  readonly validate?: (input: ValidationInput) => Promise<ValidationReport>;
  /** How long a step retries Graph's 404 for an object just created. Default 120 s. */
  readonly replicationBudgetMs?: number;
  /** How long the live validation retries while the new app cannot sign in yet. Default 180 s. */
  readonly validationBudgetMs?: number;
}

/** Options of one run. */
export interface RunOptions {
  readonly onProgress?: (progress: RegistrationProgress) => void;
  /**
   * Cancels the run: its waits end at once and no further Graph write is sent (one already sent is let finish);
   * the run then throws `cancelled` naming what was created so far, for undo.
   */
  readonly signal?: AbortSignal;
}

export interface RegistrationService {
  /** What will be created and which delegated permissions the sign-in needs; throws on a bad request. */
  plan(request?: RegistrationRequest): RegistrationPlan;
  /** Applications of this name created by this app (notes marker). */
  findExisting(session: AdminSession, name?: string): Promise<ExistingApplication[]>;
  /** Runs the five steps; throws {@link RegistrationError} with the step, the fix and what was created so far. */
  run(session: AdminSession, request?: RegistrationRequest, options?: RunOptions): Promise<RegistrationResult>;
  /** Removes what a failed run created (a reused application keeps everything but the secret it got). */
  undo(session: AdminSession, created: CreatedSoFar): Promise<void>;
}

export { addMonths, DEFAULT_APP_NAME } from './registration-plan';

const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Creates the service. */
export function createRegistrationService(options: RegistrationServiceOptions): RegistrationService {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const replicationBudgetMs = options.replicationBudgetMs ?? 120_000;
  const validationBudgetMs = options.validationBudgetMs ?? 180_000;
  const validate =
    options.validate ??
    ((input: ValidationInput) => {
      const validator = createCredentialValidator({ transport: options.transport, clock, logger, host: 'app' });
      return validator.validate(input, { retest: true }).finally(() => validator.close());
    });

  const plan = (request: RegistrationRequest = {}): RegistrationPlan => buildPlan(request, clock.now());

  const findExisting = async (graph: Client, name: string): Promise<ExistingApplication[]> => {
    const page = (await graph
      .api('/applications')
      .filter(`displayName eq ${odataString(name)}`)
      .select('id,appId,displayName,createdDateTime,notes')
      .get()) as { value?: Record<string, unknown>[] };
    return (page.value ?? [])
      .filter((a) => typeof a.notes === 'string' && a.notes.includes(NOTES_MARKER))
      .map((a) => ({
        objectId: String(a.id),
        appId: String(a.appId),
        displayName: String(a.displayName),
        createdDateTime: typeof a.createdDateTime === 'string' ? a.createdDateTime : null,
        notes: String(a.notes),
      }));
  };

  return {
    plan,

    findExisting: (session, name = DEFAULT_APP_NAME) =>
      findExisting(adminGraphClient(options.cloud, options.transport, session.accessToken), name.trim()),

    async run(session, request = {}, runOptions = {}) {
      const thePlan = plan(request);
      const emit = (p: RegistrationProgress) => runOptions.onProgress?.(p);
      const graph = adminGraphClient(options.cloud, options.transport, session.accessToken);
      const created: CreatedSoFar = { reused: false };
      const signal = runOptions.signal;
      const cancelled = (id: RegistrationStepId) =>
        new RegistrationError(cancelledFailure(id, created, thePlan.name), { ...created });
      const retry = (step: RegistrationStepId) => ({
        clock,
        budgetMs: replicationBudgetMs,
        ...(signal ? { signal } : {}),
        onWait: (seconds: number) =>
          emit({
            step,
            status: 'waiting',
            retryInSeconds: seconds,
            message: `Waiting for Entra to replicate the new objects; next try in ${seconds} s.`,
          }),
      });
      const step = async <T>(id: RegistrationStepId, running: string, work: () => Promise<T>, done: (t: T) => string) => {
        if (signal?.aborted) {
          emit({ step: id, status: 'failed', message: 'Cancelled.' });
          throw cancelled(id);
        }
        emit({ step: id, status: 'running', message: running });
        try {
          const value = await work();
          emit({ step: id, status: 'done', message: done(value) });
          return value;
        } catch (error) {
          const failure = signal?.aborted
            ? cancelledFailure(id, created, thePlan.name)
            : error instanceof RegistrationError
              ? error.failure
              : stepFailure(id, error, session.hasAdminRole);
          emit({ step: id, status: 'failed', message: failure.message });
          logger.warn('set-up-for-me step failed', { step: id, code: failure.code, detail: failure.detail });
          throw new RegistrationError(failure, { ...created });
        }
      };

      // 1. The application, or the one this app created before.
      if (signal?.aborted) throw cancelled('application');
      const existing = await findExisting(graph, thePlan.name).catch((error: unknown) => {
        throw new RegistrationError(stepFailure('application', error, session.hasAdminRole), { reused: false });
      });
      const found = existing[0];
      if (found && request.ifExists !== 'reuse') {
        throw new RegistrationError(
          {
            step: 'application',
            code: 'already-exists',
            message: `An application “${found.displayName}” created by Entra Sync Assistant already exists (client ID ${found.appId}).`,
            fix: 'Reuse it (a new secret is added; nothing is duplicated), or choose another name.',
            existing: found,
          },
          created,
        );
      }
      if (found) {
        created.reused = true;
        created.appObjectId = found.objectId;
        created.appId = found.appId;
        emit({ step: 'application', status: 'skipped', message: `Reusing “${found.displayName}” (client ID ${found.appId}).` });
      } else {
        const app = await step(
          'application',
          `Creating the application “${thePlan.name}”…`,
          () =>
            graph.api('/applications').post({
              displayName: thePlan.name,
              signInAudience: 'AzureADMyOrg',
              notes: `Created by Entra Sync Assistant ("Set it up for me") on ${clock.now().toISOString()} for ${session.username}, to read users and groups for Atlassian Data Center. ${NOTES_MARKER}`,
              requiredResourceAccess: [
                { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: DIRECTORY_READ_ALL_ROLE_ID, type: 'Role' }] },
              ],
            }) as Promise<{ id: string; appId: string }>,
          (a) => `Created “${thePlan.name}” (client ID ${a.appId}).`,
        );
        created.appObjectId = app.id;
        created.appId = app.appId;
      }
      const appId = created.appId as string;
      const objectId = created.appObjectId as string;

      // 2. Its service principal (kept when a reused application has one).
      const spId = await step(
        'service-principal',
        'Creating the service principal…',
        async () => {
          if (created.reused) {
            const sp = await servicePrincipalOf(graph, appId);
            if (sp) return sp;
          }
          const sp = (await retryWhileReplicating(
            () => graph.api('/servicePrincipals').post({ appId }),
            retry('service-principal'),
          )) as { id: string };
          return sp.id;
        },
        (id) => `Service principal ${id} ready.`,
      );
      created.servicePrincipalId = spId;

      // 3. Directory.Read.All as an application permission, with admin consent (Graph's SP id looked up).
      await step(
        'consent',
        'Granting Directory.Read.All with admin consent…',
        async () => {
          const graphSp = await servicePrincipalOf(graph, GRAPH_APP_ID);
          if (!graphSp) throw new Error('Microsoft Graph has no service principal in this tenant.');
          try {
            await retryWhileReplicating(
              () =>
                graph.api(`/servicePrincipals/${graphSp}/appRoleAssignedTo`).post({
                  principalId: spId,
                  resourceId: graphSp,
                  appRoleId: DIRECTORY_READ_ALL_ROLE_ID,
                }),
              retry('consent'),
            );
          } catch (error) {
            // Granted before (a reused application): Entra says the assignment already exists.
            const p = graphProblem(error);
            if (!(p.status === 400 && /already exists/i.test(p.message))) throw error;
          }
        },
        () => 'Directory.Read.All granted with admin consent.',
      );
      created.consentGranted = true;

      // 4. The client secret.
      const secret = await step(
        'secret',
        `Adding a client secret valid ${thePlan.secretMonths} months…`,
        () =>
          retryWhileReplicating(
            () =>
              graph.api(`/applications/${objectId}/addPassword`).post({
                passwordCredential: {
                  displayName: `Entra Sync Assistant (${clock.now().toISOString().slice(0, 10)})`,
                  endDateTime: thePlan.secretExpiresAt,
                },
              }) as Promise<{ keyId: string; secretText: string; endDateTime: string }>,
            retry('secret'),
          ),
        (s) => `Client secret ${maskSecret(s.secretText)} added, valid until ${s.endDateTime.slice(0, 10)}.`,
      );
      created.secretKeyId = secret.keyId;

      // 5. Store, then test live while the new objects replicate.
      const toStore: RegistrationToStore = {
        cloud: options.cloud,
        tenantId: session.tenantId,
        clientId: appId,
        appObjectId: objectId,
        secret: secret.secretText,
        secretKeyId: secret.keyId,
        secretExpiresAt: secret.endDateTime,
      };
      await step(
        'store-validate',
        'Storing the connection and testing it…',
        async () => {
          try {
            await options.store.save(toStore);
          } catch (error) {
            throw new RegistrationError(
              {
                step: 'store-validate',
                code: 'store-failed',
                message: `The connection could not be stored: ${error instanceof Error ? error.message : String(error)}`,
                fix: 'Check that the data folder is writable and the secret vault available, then undo and run again.',
              },
              created,
            );
          }
          created.stored = true;
          if (signal?.aborted) throw cancelled('store-validate');
          await validateUntilReplicated(
            { cloud: options.cloud, tenant: session.tenantId, clientId: appId, secret: secret.secretText },
            (seconds) =>
              emit({
                step: 'store-validate',
                status: 'waiting',
                retryInSeconds: seconds,
                message: `The new application cannot sign in yet (Entra is replicating it); next test in ${seconds} s.`,
              }),
            created,
            signal,
          );
        },
        () => 'The connection works: users and groups can be read.',
      );
      return {
        tenantId: session.tenantId,
        clientId: appId,
        appObjectId: objectId,
        reused: created.reused,
        secretKeyId: secret.keyId,
        secretHint: maskSecret(secret.secretText),
        secretExpiresAt: secret.endDateTime,
        secret: secret.secretText,
      };
    },

    async undo(session, created) {
      const graph = adminGraphClient(options.cloud, options.transport, session.accessToken);
      const retry = { clock, budgetMs: replicationBudgetMs };
      if (created.stored && created.appId) await options.store.forget({ clientId: created.appId });
      if (!created.appObjectId) return;
      const objectId = created.appObjectId;
      if (created.reused) {
        if (created.secretKeyId) {
          const keyId = created.secretKeyId;
          await retryWhileReplicating(() => graph.api(`/applications/${objectId}/removePassword`).post({ keyId }), retry);
        }
        return;
      }
      // Deleting the application deletes its service principal, consent and secrets with it.
      await retryWhileReplicating(() => graph.api(`/applications/${objectId}`).delete(), retry);
      logger.info('set-up-for-me undone', { appId: created.appId });
    },
  };

  async function validateUntilReplicated(
    input: ValidationInput,
    onWait: (seconds: number) => void,
    created: CreatedSoFar,
    signal?: AbortSignal,
  ) {
    const outcome = await validateWithBackoff(validate, input, {
      clock,
      budgetMs: validationBudgetMs,
      onWait,
      ...(signal ? { signal } : {}),
    });
    if (outcome.passed) return;
    const failed = firstFailure(outcome.report);
    throw new RegistrationError(
      {
        step: 'store-validate',
        code: 'validation-failed',
        message: `The new connection did not pass the test within ${Math.round(validationBudgetMs / 1000)} s: ${failed?.message ?? 'a required check failed'}`,
        fix: failed?.fix || 'Wait a few minutes (Entra can take that long to replicate) and test the connection again.',
        ...(failed ? { detail: failed.code } : {}),
      },
      created,
    );
  }
}

async function servicePrincipalOf(graph: Client, appId: string): Promise<string | undefined> {
  const page = (await graph.api('/servicePrincipals').filter(`appId eq '${appId}'`).select('id,appId').get()) as {
    value?: { id: string }[];
  };
  return page.value?.[0]?.id;
}
