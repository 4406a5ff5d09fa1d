/**
 * "Test connection": the ordered checks of issue 4 against Entra and Graph, producing a typed
 * {@link ValidationReport} with live progress.
 *
 * ```ts
 * const validator = createCredentialValidator({ transport, clock, logger });
 * const report = await validator.validate({ cloud, tenant, clientId, secret }, { onProgress });
 * const again = await validator.validate(sameInput, { retest: true }); // fresh token (skipCache)
 * validator.close();
 * ```
 *
 * Order: inputs (the three values, and https addresses for the token host and Graph) → one token request (answers tenant, app and secret, in Entra's order of checking) → in parallel:
 * permission (real call `GET /users?$top=1`) then users and groups counts, and the secret's expiry.
 * The secret never leaves this module except inside msal: reports carry a masked hint only.
 * Graph reads ride out transient faults (429, 502/503/504, resets) within one time budget per run
 * ({@link RetryBudget}); a check that needed several tries says how many in its details.
 */
import { createHash } from 'node:crypto';
import { appPortalLink, cloudEndpointProblems, type Cloud } from '../../../shared/clouds';
import { checkCredentialInputs, describeTrimmed, type SecretGone } from '../../../shared/credential-inputs';
import { maskSecret, type CheckId, type ValidationProgress, type ValidationReport } from '../../../shared/validation';
import {
  createGraphConnection,
  describeFailure,
  type GraphConnection,
  type GraphToken,
  type TokenSender,
} from '../graph/graph-client';
import type { HttpTransport } from '../http/transport';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { CheckBoard, type CheckOutcome } from './check-board';
import { diagnoseGraphFailure, diagnoseTokenFailure, type DiagnosisContext, type FixHost } from './diagnosis';
import { fromDiagnosis, readSecretExpiry } from './expiry-check';
import { defaultValidationRetry, newTally, RetryBudget, type RetryPolicy, type RetryTally } from './transient-retry';

/** The permission the sync needs (graph-facts §3). */
export const requiredRole = 'Directory.Read.All';
/** Roles that include it. */
const sufficientRoles = new Set([requiredRole, 'Directory.ReadWrite.All']);

/** What the validator is built with. The transport belongs to the caller, who closes it. */
export interface CredentialValidatorDeps {
  readonly transport: HttpTransport;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * How long one run may wait out transient Graph faults, on `clock` (default 8 s, first backoff 0.5 s): a longer
   * Retry-After is reported, not waited out.
   */
  readonly retry?: Partial<RetryPolicy>;
  /** Who reads the fixes: the app (Settings → Network) or the terminal (environment variables). */
  readonly host: FixHost;
}

/** The values under test. */
export interface ValidationInput {
  readonly cloud: Cloud;
  readonly tenant: string;
  readonly clientId: string;
  readonly secret: string;
  /** Set when `secret` is empty because one entered before was kept only while the app ran (see `SecretGone`). */
  readonly secretGone?: SecretGone;
  /** The expiry date the admin typed in when Graph could not tell (ISO 8601). */
  readonly manualExpiresAt?: string;
}

export interface ValidateOptions {
  /** Re-test: skip msal's token cache so newly granted permissions show up. */
  readonly retest?: boolean;
  readonly onProgress?: (progress: ValidationProgress) => void;
}

export interface CredentialValidator {
  validate(input: ValidationInput, options?: ValidateOptions): Promise<ValidationReport>;
  /** Drops the kept connection (and its cached token). */
  close(): void;
}

const tokenChecks: readonly CheckId[] = ['tenant', 'app', 'secret'];
const tokenPass: Record<'tenant' | 'app' | 'secret', (input: ValidationInput, hint: string) => string> = {
  tenant: (i) => `Tenant “${i.tenant}” found in ${i.cloud.label}.`,
  app: (i) => `Application ${i.clientId} found in the tenant.`,
  secret: (_i, hint) => `The client secret ${hint} was accepted and a Graph token issued.`,
};

/** Creates a validator that keeps its last working connection, so a re-test can prove `skipCache` matters. */
export function createCredentialValidator(deps: CredentialValidatorDeps): CredentialValidator {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const policy: RetryPolicy = { ...defaultValidationRetry, ...deps.retry };
  let kept: { key: string; connection: GraphConnection } | undefined;
  let tokenSender: TokenSender | undefined;

  const connectionFor = (input: ValidationInput, cleaned: { tenant: string; clientId: string; secret: string }) => {
    const key = createHash('sha256')
      .update([input.cloud.authorityHost, input.cloud.graphBaseUrl, cleaned.tenant, cleaned.clientId, cleaned.secret].join('\n'))
      .digest('hex');
    if (kept?.key === key) return kept.connection;
    kept?.connection.close();
    const connection = createGraphConnection({
      cloud: input.cloud,
      tenantId: cleaned.tenant,
      clientId: cleaned.clientId,
      clientSecret: cleaned.secret,
      transport: deps.transport,
      // The kept connection outlives a run; each run's token requests go through that run's budget.
      sendTokenRequest: (send) => (tokenSender ? tokenSender(send) : send()),
      // The Graph client's own retry sleeps on the real clock; RetryBudget does it on ours, within the budget.
      retry: { maxRetries: 0 },
      logger,
    });
    kept = { key, connection };
    return connection;
  };

  const drop = () => {
    kept?.connection.close();
    kept = undefined;
  };

  return {
    close: drop,
    async validate(input, options = {}) {
      const retest = options.retest === true;
      const inputs = checkCredentialInputs(
        { tenant: input.tenant, clientId: input.clientId, secret: input.secret },
        input.secretGone ? { secretGone: input.secretGone } : {},
      );
      const { cleaned } = inputs;
      const secrets = [cleaned.secret, input.secret].filter((s) => s.length > 0);
      // Requests are counted from this run's start: a kept connection has earlier runs' requests too.
      const counted: { connection?: GraphConnection; base: number } = { base: 0 };
      const board = new CheckBoard(
        { cloud: input.cloud.id, tenant: cleaned.tenant, clientId: cleaned.clientId, retest, startedAt: clock.now() },
        secrets,
        () => (counted.connection ? counted.connection.requestCount() - counted.base : 0),
        options.onProgress,
      );
      const ctx: DiagnosisContext = { cloud: input.cloud, tenant: cleaned.tenant, clientId: cleaned.clientId, host: deps.host };
      const hint = maskSecret(cleaned.secret);

      // 1. Inputs.
      board.start('inputs');
      const endpoints = cloudEndpointProblems(input.cloud);
      if (endpoints.length > 0) {
        board.finish('inputs', {
          status: 'fail',
          code: 'endpoint-insecure',
          message: endpoints.map((p) => p.message).join(' '),
          fix:
            'Use the https:// addresses of the token host and of Microsoft Graph ' +
            (deps.host === 'app'
              ? '(Settings → Network, custom cloud endpoints).'
              : '(AZURE_AUTHORITY_HOST, ENTRA_GRAPH_BASE_URL).'),
          link: null,
        });
        board.skipRemaining('nothing is sent to an address that is not https.');
        return finish(board, logger);
      }
      const failing = inputs.issues.filter((i) => i.severity === 'fail');
      const warnings = inputs.issues.filter((i) => i.severity === 'warning');
      const trimmedNote = inputs.trimmed.length > 0 ? [describeTrimmed(inputs.trimmed)] : [];
      const firstFail = failing[0];
      const firstWarning = warnings[0];
      if (firstFail) {
        board.finish('inputs', {
          status: 'fail',
          code: firstFail.code,
          message: failing.map((i) => i.message).join(' '),
          fix: failing.map((i) => i.fix).join(' '),
          link:
            firstFail.code === 'secret-id-instead-of-value' || firstFail.code === 'secret-masked'
              ? appPortalLink(input.cloud, cleaned.clientId, 'credentials')
              : null,
          details: [...trimmedNote, ...warnings.map((w) => w.message)],
        });
        board.skipRemaining('fix the values above first.');
        return finish(board, logger);
      }
      board.finish(
        'inputs',
        firstWarning
          ? {
              status: 'warning',
              code: firstWarning.code,
              message: warnings.map((w) => w.message).join(' '),
              fix: warnings.map((w) => w.fix).join(' '),
              details: trimmedNote,
            }
          : inputs.trimmed.length > 0
            ? {
                status: 'warning',
                code: 'inputs-trimmed',
                message: describeTrimmed(inputs.trimmed),
                fix: 'Nothing to do here: the cleaned values are used. Elsewhere, paste them without the extra characters.',
              }
            : { status: 'pass', code: 'ok', message: 'The tenant, Application ID and secret have the expected shape.' },
      );

      // 2–4. One token request answers tenant, app and secret.
      const connection = connectionFor(input, cleaned);
      counted.connection = connection;
      counted.base = connection.requestCount();
      board.start(...tokenChecks);
      const budget = new RetryBudget(clock, policy);
      const tokenTally = newTally();
      tokenSender = budget.tokenSender(tokenTally);
      const tokenTries = () => {
        const line = budget.describe(tokenTally);
        return line ? [line] : [];
      };
      let token: GraphToken;
      try {
        token = await connection.getToken({ forceRefresh: retest });
      } catch (error) {
        drop();
        const diagnosis = diagnoseTokenFailure(describeFailure(error), ctx);
        for (const id of tokenChecks) {
          if (id === diagnosis.check) break;
          board.finish(id, { status: 'pass', code: 'ok', message: tokenPass[id as 'tenant'](input, hint) });
        }
        board.finish(diagnosis.check, fromDiagnosis({ ...diagnosis, details: [...diagnosis.details, ...tokenTries()] }));
        board.skipRemaining(
          diagnosis.code.startsWith('network-')
            ? 'Entra could not be reached, so no token was issued.'
            : `no token was issued, because “${board.get(diagnosis.check).title}” failed.`,
        );
        return finish(board, logger);
      }
      for (const id of tokenChecks) {
        const details = id === 'secret' ? tokenTries() : [];
        board.finish(id, { status: 'pass', code: 'ok', message: tokenPass[id as 'tenant'](input, hint), details });
      }

      // 5–7. Graph reads, independent ones in parallel.
      const graph: Reads = { connection, budget, tallies: new Map() };
      const graphFailure = (error: unknown, check: CheckId) =>
        diagnoseGraphFailure(describeFailure(error), ctx, { roles: token.roles, check, retest });
      await Promise.all([
        checkPermissionThenReads(board, graph, token, graphFailure, retest),
        checkExpiry(board, graph, input, cleaned, token.roles, clock.now(), deps.host),
      ]);
      return finish(board, logger);
    },
  };
}

type GraphFailureFn = (error: unknown, check: CheckId) => ReturnType<typeof diagnoseGraphFailure>;

/** The connection for the Graph checks, the run's retry budget, and each check's tries. */
interface Reads {
  readonly connection: GraphConnection;
  readonly budget: RetryBudget;
  readonly tallies: Map<CheckId, RetryTally>;
}

/** Sends one check's request through the run's retry budget. */
function send<T>(reads: Reads, check: CheckId, request: () => Promise<T>): Promise<T> {
  let tally = reads.tallies.get(check);
  if (!tally) reads.tallies.set(check, (tally = newTally()));
  return reads.budget.run(request, tally);
}

/** Finishes a check, adding how many tries it took when there was more than one. */
function finishCheck(board: CheckBoard, reads: Reads, id: CheckId, outcome: CheckOutcome): void {
  const tally = reads.tallies.get(id);
  const tries = tally ? reads.budget.describe(tally) : undefined;
  board.finish(id, tries ? { ...outcome, details: [...(outcome.details ?? []), tries] } : outcome);
}

async function checkPermissionThenReads(
  board: CheckBoard,
  graph: Reads,
  token: GraphToken,
  graphFailure: GraphFailureFn,
  retest: boolean,
): Promise<void> {
  board.start('permission');
  const roles = token.roles.length > 0 ? `Roles in the token: ${token.roles.join(', ')}.` : 'The token carries no roles.';
  try {
    await send(graph, 'permission', () => graph.connection.client.api('/users').select('id').top(1).get());
  } catch (error) {
    const diagnosis = graphFailure(error, 'permission');
    finishCheck(board, graph, 'permission', fromDiagnosis({ ...diagnosis, details: [roles, ...diagnosis.details] }));
    board.skip(['users', 'groups'], 'needs the permission above.');
    return;
  }
  const hasRole = token.roles.some((r) => sufficientRoles.has(r));
  finishCheck(
    board,
    graph,
    'permission',
    hasRole
      ? {
          status: 'pass',
          code: 'ok',
          message: `${requiredRole} is granted with admin consent; a test read of users worked.`,
          details: [roles, ...(retest ? ['Re-test used a fresh token.'] : [])],
        }
      : {
          status: 'warning',
          code: 'permission-partial',
          message: `Users can be read, but ${requiredRole} is not among the token’s roles: some reads may fail.`,
          fix: `Add Microsoft Graph › Application permissions › ${requiredRole} and grant admin consent.`,
          link: null,
          details: [roles],
        },
  );
  await Promise.all([checkUsers(board, graph, graphFailure), checkGroups(board, graph, graphFailure)]);
}

interface CountPage {
  readonly '@odata.count'?: number;
  readonly value?: readonly { readonly id?: string; readonly displayName?: string | null }[];
}

async function checkUsers(board: CheckBoard, graph: Reads, graphFailure: GraphFailureFn): Promise<void> {
  board.start('users');
  try {
    const page = (await send(graph, 'users', () =>
      graph.connection.client.api('/users').header('ConsistencyLevel', 'eventual').count(true).select('id').top(1).get(),
    )) as CountPage;
    const count = page['@odata.count'];
    finishCheck(board, graph, 'users', {
      status: 'pass',
      code: 'ok',
      message: count === undefined ? 'Users can be read (Graph gave no count).' : `${count} users can be read.`,
    });
  } catch (error) {
    finishCheck(board, graph, 'users', fromDiagnosis(graphFailure(error, 'users')));
  }
}

async function checkGroups(board: CheckBoard, graph: Reads, graphFailure: GraphFailureFn): Promise<void> {
  board.start('groups');
  try {
    const page = (await send(graph, 'groups', () =>
      graph.connection.client
        .api('/groups')
        .header('ConsistencyLevel', 'eventual')
        .count(true)
        .select('id,displayName')
        .top(5)
        .get(),
    )) as CountPage;
    const count = page['@odata.count'];
    const sample = page.value ?? [];
    const named = sample.filter((g) => typeof g.displayName === 'string' && g.displayName.length > 0);
    const counted = count === undefined ? 'Groups can be read' : `${count} groups can be read`;
    if (sample.length > 0 && named.length < sample.length) {
      finishCheck(board, graph, 'groups', {
        status: 'warning',
        code: 'group-names-hidden',
        message: `${counted}, but their names are hidden (${sample.length - named.length} of ${sample.length} sampled have none).`,
        fix: `Names need ${requiredRole} (GroupMember.Read.All is not enough): add it and grant admin consent.`,
      });
      return;
    }
    finishCheck(board, graph, 'groups', {
      status: 'pass',
      code: 'ok',
      message: sample.length === 0 ? `${counted}; the tenant has none yet.` : `${counted}, with their names.`,
      details: named.length > 0 ? [`For example: ${named.map((g) => g.displayName).join(', ')}`] : [],
    });
  } catch (error) {
    finishCheck(board, graph, 'groups', fromDiagnosis(graphFailure(error, 'groups')));
  }
}

async function checkExpiry(
  board: CheckBoard,
  graph: Reads,
  input: ValidationInput,
  cleaned: { tenant: string; clientId: string; secret: string },
  roles: readonly string[],
  now: Date,
  host: FixHost,
): Promise<void> {
  board.start('expiry');
  const { outcome, expiry } = await readSecretExpiry(graph.connection, input, cleaned, roles, now, host, (request) =>
    send(graph, 'expiry', request),
  );
  board.setSecretExpiry(expiry);
  finishCheck(board, graph, 'expiry', outcome);
}

function finish(board: CheckBoard, logger: Logger): ValidationReport {
  const report = board.close();
  logger.info('connection test finished', {
    ok: report.ok,
    ms: report.ms,
    requests: report.requests,
    checks: report.checks.map((c) => `${c.id}:${c.status}:${c.code}`).join(' '),
  });
  return report;
}
