/**
 * The guided secret rotation's main-process side: test a new secret and replace the stored one only when it
 * works, then let the reminders follow the new expiry and remind to delete the old secret in the portal.
 *
 * The new secret goes through the ConnectionService's own test (the same checks and live progress as the wizard),
 * which stores it when the required checks pass; this module only adds what a rotation needs around it.
 */
import { appPortalLink, cloudById } from '../../../shared/clouds';
import type { ConnectionSummary } from '../../../shared/contract/connection';
import { requiredChecksPassed } from '../../../shared/contract/connection';
import type { DemoNewSecret, RotationInfo, RotationResult } from '../../../shared/contract/schedule';
import { cleanPastedValue } from '../../../shared/credential-inputs';
import { AppError } from '../../../shared/errors';
import { maskSecret } from '../../../shared/validation';
import type { EventSink } from '../app/events';
import { connectionSecretVaultKey, type ConnectionService, type OpenedGraph } from '../connection/connection-service';
import type { Logger, SecretVault } from '../ports';
import type { ReminderService } from './reminders';

export interface RotationDeps {
  readonly connection: Pick<ConnectionService, 'get' | 'test' | 'demoControl' | 'openGraph'>;
  readonly vault: SecretVault;
  readonly reminders: ReminderService;
  readonly events: EventSink;
  readonly logger: Logger;
}

export interface Rotation {
  info(): RotationInfo;
  replace(secret: string): Promise<RotationResult>;
  confirmOldDeleted(): ReturnType<ReminderService['confirmOldDeleted']>;
  demoNewSecret(days: number): DemoNewSecret;
}

interface CredentialIdentity {
  readonly keyId: string | null;
  readonly displayName: string | null;
}

/** The old secret's portal identity, when the last validation matched exactly one credential to it. */
function identify(summary: ConnectionSummary): CredentialIdentity {
  const candidates = summary.secretExpiry?.secretHint === summary.secretHint ? summary.secretExpiry.candidates : [];
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return { keyId: only?.keyId || null, displayName: only?.displayName ?? null };
}

/**
 * Reads the app's credentials with the new secret and picks the one the old secret was (by its 3-character hint),
 * so the reminder can name the Secret ID to delete. Unknown (null) when the app may not read itself or the hint is
 * shared.
 */
async function lookUpOld(graph: OpenedGraph, clientId: string, oldHint: string): Promise<CredentialIdentity | null> {
  try {
    const app = (await graph.client
      .api(`/applications(appId='${encodeURIComponent(clientId)}')`)
      .select('passwordCredentials')
      .get()) as { passwordCredentials?: { keyId?: string | null; displayName?: string | null; hint?: string | null }[] };
    const same = (app.passwordCredentials ?? []).filter((c) => c.hint === oldHint.slice(0, 3));
    const only = same.length === 1 ? same[0] : undefined;
    return only ? { keyId: only.keyId ?? null, displayName: only.displayName ?? null } : null;
  } catch {
    return null;
  } finally {
    graph.close();
  }
}

/** Creates the rotation support over the connection and the reminders. */
export function createRotation(deps: RotationDeps): Rotation {
  const { connection, vault, reminders, events, logger } = deps;

  function info(): RotationInfo {
    const summary = connection.get();
    const configured = summary.tenantId !== '' && summary.clientId !== '';
    // The demo tenant has no portal; every real cloud has Certificates & secrets for the app.
    const link =
      configured && !summary.demo && summary.cloud !== 'custom'
        ? appPortalLink(cloudById(summary.cloud), summary.clientId, 'credentials')
        : null;
    return {
      configured,
      demo: summary.demo,
      credentialsLink: link,
      appId: configured ? summary.clientId : null,
      currentHint: summary.secretHint || null,
      reminders: reminders.status(),
    };
  }

  return {
    info,
    async replace(secret) {
      const before = connection.get();
      if (before.tenantId === '' || before.clientId === '') {
        throw new AppError('not-configured', 'Set up the connection first: there is no secret to replace yet.');
      }
      const clean = cleanPastedValue(secret);
      const current = await vault.get(connectionSecretVaultKey);
      if (current !== undefined && current === clean) {
        return { report: null, replaced: false, sameAsCurrent: true, reminders: reminders.status() };
      }
      const old = { hint: before.secretHint, expiresAt: reminders.expiry().expiresAt, ...identify(before) };
      // A candidate test: a wrong new secret must not replace (or mark broken) the one that still works.
      const report = await connection.test(
        { secret: clean, candidate: true },
        { onProgress: (progress) => events.emit('connection:progress', progress) },
      );
      const replaced = requiredChecksPassed(report) && connection.get().secretHint === maskSecret(clean);
      if (!replaced) {
        logger.warn('rotation: the new secret did not pass the test; the stored one was kept', { newHint: maskSecret(clean) });
        return { report, replaced: false, sameAsCurrent: false, reminders: reminders.check() };
      }
      logger.info('rotation: secret replaced', { oldHint: old.hint, newHint: maskSecret(clean) });
      if (!old.hint) return { report, replaced: true, sameAsCurrent: false, reminders: reminders.check() };
      const found = old.keyId
        ? null
        : await connection.openGraph().then(
            (graph) => lookUpOld(graph, before.clientId, old.hint),
            () => null,
          );
      const status = reminders.recordReplaced({ ...old, ...(found ?? {}) });
      return { report, replaced: true, sameAsCurrent: false, reminders: status };
    },
    confirmOldDeleted: () => reminders.confirmOldDeleted(),
    demoNewSecret(days) {
      const control = connection.demoControl();
      if (!connection.get().demo || !control) {
        throw new AppError(
          'not-demo',
          'Only the demo tenant can create a secret here. For your tenant, use Certificates & secrets in the portal.',
        );
      }
      // The demo tenant's throwaway value is shown once, as the portal shows a new secret's Value once.
      const created = control.addSecret({ days, displayName: 'Rotated with Entra Sync Assistant' });
      logger.info('rotation: demo tenant created a new secret', { hint: maskSecret(created.secretText) });
      return {
        value: created.secretText,
        hint: maskSecret(created.secretText),
        keyId: created.keyId,
        displayName: created.displayName,
        expiresAt: created.endDateTime,
      };
    },
  };
}
