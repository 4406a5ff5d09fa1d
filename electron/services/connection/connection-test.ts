/**
 * "Test connection": runs the validator on the typed values (the rest from the saved connection, the secret from
 * the vault), then keeps what passed. A candidate test — editing a connection in use — saves nothing at all unless
 * the required checks pass.
 */
import { randomUUID } from 'node:crypto';
import type { Cloud } from '../../../shared/clouds';
import {
  requiredChecksPassed,
  type ConnectionSettings,
  type ConnectionSummary,
  type ConnectionTestInput,
} from '../../../shared/contract/connection';
import { cleanPastedValue, type SecretGone } from '../../../shared/credential-inputs';
import { maskSecret, type ValidationReport } from '../../../shared/validation';
import type { Clock, Logger } from '../ports';
import type { ConnectionTransports } from './connection-transports';
import type { TestOptions } from './connection-service';
import { expiryAfterValidation } from './expiry-record';
import type { SecretKeeper } from './secret-keeper';
import { summariseReport } from './validation-summary';

/** What a connection test reads and writes. */
export interface ConnectionTestDeps {
  readonly keeper: SecretKeeper;
  readonly transports: ConnectionTransports;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The keys (cloud, tenant, app) tested before: a repeat test says a consent just granted may take a while. */
  readonly testedKeys: Set<string>;
  readonly conn: () => ConnectionSettings;
  readonly writeConn: (change: (c: ConnectionSettings) => ConnectionSettings) => ConnectionSettings;
  readonly writeValues: (values: { cloud?: ConnectionSettings['cloud']; tenantId?: string; clientId?: string }) => unknown;
  readonly rejectDemoEdits: (values: { cloud?: string; tenantId?: string; clientId?: string }) => void;
  readonly cloudFor: (c: ConnectionSettings) => Promise<Cloud>;
  readonly changed: () => ConnectionSummary;
}

/** Tests the connection; see `ConnectionService.test`. */
export async function testConnection(
  deps: ConnectionTestDeps,
  input: ConnectionTestInput,
  options: TestOptions,
): Promise<ValidationReport> {
  const { keeper, transports, clock, logger, testedKeys, conn, writeConn, writeValues, rejectDemoEdits, cloudFor, changed } =
    deps;
  rejectDemoEdits(input);
  const candidate = input.candidate === true;
  const saved = conn();
  const values = {
    cloud: input.cloud ?? saved.cloud,
    tenantId: input.tenantId ?? saved.tenantId,
    clientId: input.clientId ?? saved.clientId,
  };
  // The typed values are kept even when the test fails: bad input never loses what was typed. A candidate
  // keeps them in the window instead, so the connection in use stays as it is until the new values pass.
  if (!candidate) writeValues(values);
  const cloud = await cloudFor({ ...conn(), ...values });
  const given = input.secret !== undefined && input.secret.length > 0 ? input.secret : undefined;
  const untested = given === undefined && keeper.holdsUntested();
  const secret = given ?? (await keeper.current()) ?? '';
  const gone = given === undefined && secret === '' ? secretGone(saved, keeper) : undefined;
  const runId = randomUUID();
  const key = `${cloud.authorityHost}|${cloud.graphBaseUrl}|${values.tenantId}|${values.clientId}`;
  const retest = input.retest ?? testedKeys.has(key);
  const report = await transports.validatorFor(transports.transportFor(conn().demo)).validate(
    {
      cloud,
      tenant: values.tenantId,
      clientId: values.clientId,
      secret,
      ...(gone ? { secretGone: gone } : {}),
      ...(saved.manualExpiresAt ? { manualExpiresAt: saved.manualExpiresAt } : {}),
    },
    { retest, ...(options.onProgress ? { onProgress: (p) => options.onProgress?.({ ...p, runId }) } : {}) },
  );
  testedKeys.add(key);

  const passed = requiredChecksPassed(report);
  if (candidate && !passed) {
    logger.info('candidate connection tested; the connection in use is kept', {
      problems: summariseReport(report, clock.now()).problems.join(' '),
    });
    return report;
  }
  if (candidate) writeValues(values);
  const cleanSecret = cleanPastedValue(secret);
  const hint = maskSecret(cleanSecret);
  let inUse = given === undefined;
  if (passed && (given !== undefined || untested)) {
    const outcome = await keeper.keep(cleanSecret, conn().weakStorage, conn().demo);
    inUse = true;
    writeConn((c) => ({ ...c, secretHint: hint, secretStored: outcome === 'stored' }));
  } else if (given !== undefined && cleanSecret.length > 0 && !conn().demo) {
    // Failed, but what was typed is the secret in use for as long as the app runs: a reload's "Test again" has it.
    await keeper.hold(cleanSecret);
    inUse = true;
    writeConn((c) => ({ ...c, secretHint: hint, secretStored: false }));
  }
  const validation = summariseReport(report, clock.now());
  writeConn((c) => ({
    ...c,
    lastValidation: validation,
    // Only the secret in use has its expiry recorded: a rejected new secret says nothing about it.
    ...(inUse && cleanSecret.length > 0
      ? { secretExpiry: expiryAfterValidation(report, c.secretExpiry, hint, clock.now()) }
      : {}),
  }));
  logger.info('connection tested', { ok: report.ok, requiredPassed: passed, problems: validation.problems.join(' ') });
  changed();
  return report;
}

/**
 * Why no secret is known although one was entered before (its hint is saved): it was kept only while the app ran,
 * and the app has restarted. Undefined when none was ever entered, or the vault lost it (that says so elsewhere).
 */
function secretGone(saved: ConnectionSettings, keeper: SecretKeeper): SecretGone | undefined {
  if (saved.demo || saved.secretStored || saved.secretHint.length === 0 || keeper.vaultLost()) return undefined;
  return saved.weakStorage === 'declined' ? 'chosen' : 'session';
}
