/**
 * The admin's own connection while the demo tenant is tried: what is kept aside in settings when the demo starts
 * over a connection of their own, and the connection it becomes again when the demo tenant is left. Pure; the
 * secret itself is moved by the SecretKeeper (`setAside` / `bringBack`).
 */
import {
  connectionSettingsSchema,
  type ConnectionSettings,
  type KeptConnection,
  type KeptConnectionSummary,
} from '../../../shared/contract/connection';
import type { SecretPlace } from './secret-keeper';

/** True when the connection holds values of the admin's own tenant (typed or working), worth keeping. */
export function hasOwnValues(c: ConnectionSettings): boolean {
  return !c.demo && c.cloud !== 'custom' && (c.tenantId.length > 0 || c.clientId.length > 0);
}

/** The record kept in settings for the admin's connection; `secret` says where its secret was put aside. */
export function keptFrom(c: ConnectionSettings, secret: SecretPlace, now: Date): KeptConnection {
  return {
    cloud: c.cloud,
    tenantId: c.tenantId,
    clientId: c.clientId,
    secretHint: secret === 'none' ? '' : c.secretHint,
    secretStored: secret === 'stored',
    ...(c.manualExpiresAt ? { manualExpiresAt: c.manualExpiresAt } : {}),
    ...(c.lastValidation ? { lastValidation: c.lastValidation } : {}),
    ...(c.secretExpiry ? { secretExpiry: c.secretExpiry } : {}),
    keptAt: now.toISOString(),
  };
}

/** The connection settings once the kept connection is back in use; `secret` says where its secret is now. */
export function connectionFromKept(
  kept: KeptConnection,
  weakStorage: ConnectionSettings['weakStorage'],
  secret: SecretPlace,
): ConnectionSettings {
  return connectionSettingsSchema.parse({
    cloud: kept.cloud,
    tenantId: kept.tenantId,
    clientId: kept.clientId,
    // A secret lost with the session (it was only in memory) must be entered again: no hint claims otherwise.
    secretHint: secret === 'none' ? '' : kept.secretHint,
    secretStored: secret === 'stored',
    weakStorage,
    manualExpiresAt: kept.manualExpiresAt,
    lastValidation: kept.lastValidation,
    secretExpiry: kept.secretExpiry,
  });
}

/** What the renderer may know about the kept connection. */
export function keptSummary(kept: KeptConnection, asideInMemory: boolean): KeptConnectionSummary {
  return {
    cloud: kept.cloud,
    tenantId: kept.tenantId,
    clientId: kept.clientId,
    secretHint: kept.secretHint,
    secretKept: kept.secretStored || asideInMemory,
    keptAt: kept.keptAt,
    ...(kept.lastValidation ? { lastValidation: kept.lastValidation } : {}),
  };
}
