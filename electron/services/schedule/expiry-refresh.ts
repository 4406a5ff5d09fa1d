/**
 * Reads the secret's expiry from Graph again after a sync, so a date changed in the portal (or a first date for a
 * secret validated before the app could read itself) reaches the reminders between validations. One request,
 * at most every `minIntervalMs`; a 403/404 (the app may not read its own registration) is simply no news.
 */
import type { ConnectionService } from '../connection/connection-service';
import { matchSecretExpiry, type PasswordCredential } from '../entra/secret-expiry';
import type { Clock, Logger } from '../ports';
import type { SettingsStore } from '../settings/settings-store';

export interface ExpiryRefreshDeps {
  readonly connection: Pick<ConnectionService, 'get' | 'openGraph'>;
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default 6 hours. */
  readonly minIntervalMs?: number;
}

/** Returns a function that refreshes the observed expiry when it is due; resolves true when it stored a date. */
export function createExpiryRefresh(deps: ExpiryRefreshDeps): () => Promise<boolean> {
  const { connection, settings, clock, logger } = deps;
  const minIntervalMs = deps.minIntervalMs ?? 6 * 3_600_000;
  let running = false;

  return async () => {
    const summary = connection.get();
    if (running || !summary.complete || summary.secretHint === '') return false;
    const now = clock.now();
    const known = [settings.get().reminders.observed, summary.secretExpiry]
      .filter((r) => r?.secretHint === summary.secretHint)
      .map((r) => Date.parse(r?.checkedAt ?? ''));
    if (known.some((at) => now.getTime() - at < minIntervalMs)) return false;
    running = true;
    try {
      const graph = await connection.openGraph();
      try {
        const app = (await graph.client
          .api(`/applications(appId='${encodeURIComponent(summary.clientId)}')`)
          .select('passwordCredentials')
          .get()) as { passwordCredentials?: PasswordCredential[] };
        // Graph never returns values: the secret in use is matched by its 3-character hint, which is all we pass.
        const verdict = matchSecretExpiry(app.passwordCredentials ?? [], summary.secretHint.slice(0, 3), now);
        const expiresAt = verdict.expiry.source === 'graph' ? verdict.expiry.expiresAt : null;
        if (expiresAt === null) return false;
        settings.update((s) => ({
          ...s,
          reminders: { ...s.reminders, observed: { expiresAt, secretHint: summary.secretHint, checkedAt: now.toISOString() } },
        }));
        logger.info('reminders: expiry read again after a sync', { daysLeft: verdict.expiry.daysLeft });
        return true;
      } finally {
        graph.close();
      }
    } catch (error) {
      logger.debug('reminders: the expiry could not be read after a sync', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    } finally {
      running = false;
    }
  };
}
