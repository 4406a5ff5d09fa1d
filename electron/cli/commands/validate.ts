import { parseArgs } from 'node:util';
import { customCloud } from '../../../shared/clouds';
import { cleanPastedValue } from '../../../shared/credential-inputs';
import { maskSecret, scrubSecrets, type CheckResult, type ValidationReport } from '../../../shared/validation';
import { createCredentialValidator, type ValidationInput } from '../../services/entra/validator';
import { createHttpTransport, type HttpTransport } from '../../services/http/transport';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { credentialsAndTransport } from '../env-connection';

const usage = `Usage: entra-sync validate [--json] [--demo] [--timeout SECONDS]

Tests the app registration's credentials against Entra ID and Microsoft Graph, check by check: the values,
tenant, application, secret, Directory.Read.All with admin consent, reading users and groups, secret expiry.
Every failed check says what to do and which portal page fixes it. The secret is never printed.

Credentials come from the environment (the Azure SDK's names):
  AZURE_TENANT_ID        Directory (tenant) ID or primary domain
  AZURE_CLIENT_ID        Application (client) ID
  AZURE_CLIENT_SECRET    client secret Value
  AZURE_AUTHORITY_HOST   token host: https://login.microsoftonline.com (default), https://login.microsoftonline.us,
                         https://login.partner.microsoftonline.cn, or a custom endpoint
  ENTRA_GRAPH_BASE_URL   Graph root when it is not the cloud's default (e.g. https://dod-graph.microsoft.us)
  ENTRA_GRAPH_RESOURCE   token audience of a custom endpoint (default https://graph.microsoft.com)
  NODE_EXTRA_CA_CERTS    PEM file of an extra CA to trust (TLS-inspecting proxy, custom endpoint)
  HTTPS_PROXY, NO_PROXY  proxy settings

Both addresses must be https:// (anything else is refused before a request is sent). Throttling (429) and
unavailability (502/503/504, connection resets) are retried for up to 8 seconds per run before a check fails.

  --demo             test against an in-process demo tenant instead of the environment
  --json             print {"ok","checks":[{"id","status","code","message","fix","link","ms"}],"secret":{...}}
  --timeout SECONDS  per-request timeout (default 15)

Exit status: 0 every check passed (warnings allowed), 1 a check failed, 2 usage error.`;

/** A target to test and what to release afterwards. */
export interface ValidationTarget {
  readonly input: ValidationInput;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

/** Parses the options shared by `validate` and `expiry`. */
export function parseTargetArgs(argv: readonly string[]): { json: boolean; demo: boolean; timeoutMs: number } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, demo: { type: 'boolean' }, timeout: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const seconds = values.timeout === undefined ? 15 : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw new UsageError(`--timeout must be a number of seconds (1–600), not '${values.timeout}'.`);
  }
  return { json: values.json === true, demo: values.demo === true, timeoutMs: Math.round(seconds * 1000) };
}

/**
 * Opens what to test: the in-process demo tenant (`--demo`) or the environment's credentials, with one
 * transport that trusts NODE_EXTRA_CA_CERTS in-process too.
 */
export async function openTarget(opts: { demo: boolean; timeoutMs: number }, io: CliIo): Promise<ValidationTarget> {
  if (opts.demo) {
    // Loaded only for --demo: the emulator is not needed to test a real tenant.
    const { startEmulator } = await import('../../emulator');
    const emulator = await startEmulator();
    const { info } = emulator;
    const transport = createHttpTransport({ extraCaPem: info.caCertPem, timeoutMs: opts.timeoutMs, env: {} });
    return {
      input: {
        cloud: customCloud({ authorityHost: info.authorityHost, graphBaseUrl: info.graphBaseUrl, label: 'Demo tenant' }),
        tenant: info.tenantId,
        clientId: info.clientId,
        secret: info.clientSecret,
      },
      transport,
      close: async () => {
        await transport.close();
        await emulator.close();
      },
    };
  }
  const { creds, transport } = credentialsAndTransport(io, opts.timeoutMs);
  return {
    input: { cloud: creds.cloud, tenant: creds.tenant, clientId: creds.clientId, secret: creds.secret },
    transport,
    close: () => transport.close(),
  };
}

const marks: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  warning: 'WARN',
  fail: 'FAIL',
  skipped: 'SKIP',
  running: '....',
  pending: '    ',
};

/** One finished check as terminal lines. */
function checkLines(check: CheckResult): string {
  const lines = [`[${marks[check.status]}] ${check.title}: ${check.message}`];
  if (check.status === 'fail' || check.status === 'warning') {
    if (check.fix) lines.push(`       Fix: ${check.fix}`);
    if (check.link) lines.push(`       ${check.link.label}: ${check.link.url}`);
    for (const detail of check.details) lines.push(`       ${detail}`);
  }
  return lines.join('\n') + '\n';
}

function isFinal(check: CheckResult): boolean {
  return check.status !== 'running' && check.status !== 'pending';
}

/** The `--json` shape of the issue: stable fields only. */
export function reportJson(report: ValidationReport): string {
  return JSON.stringify({
    ok: report.ok,
    checks: report.checks.map((c) => ({
      id: c.id,
      status: c.status,
      code: c.code,
      message: c.message,
      fix: c.fix,
      link: c.link,
      ms: c.ms,
    })),
    secret: { expiresAt: report.secret.expiresAt, daysLeft: report.secret.daysLeft, source: report.secret.source },
  });
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'test the Entra app credentials against Microsoft Graph, with a fix for every failure',
  usage,
  async run(argv, io) {
    const opts = parseTargetArgs(argv);
    const target = await openTarget(opts, io);
    const secrets = [target.input.secret];
    const out = (text: string) => io.stdout(scrubSecrets(text, secrets));
    const validator = createCredentialValidator({ transport: target.transport, host: 'terminal' });
    try {
      if (!opts.json) {
        const { cloud, tenant, clientId, secret } = target.input;
        out(
          `Testing ${cloud.label}: tenant ${tenant.trim()}, app ${clientId.trim()}, secret ${maskSecret(cleanPastedValue(secret))}\n`,
        );
      }
      // Printed in check order as soon as each is final, although independent checks finish in any order.
      let printed = 0;
      const report = await validator.validate(target.input, {
        onProgress: ({ report: snapshot }) => {
          if (opts.json) return;
          for (let next = snapshot.checks[printed]; next && isFinal(next); next = snapshot.checks[printed]) {
            out(checkLines(next));
            printed++;
          }
        },
      });
      if (opts.json) {
        out(reportJson(report) + '\n');
      } else {
        out(
          report.ok
            ? `\nAll checks passed in ${report.ms} ms (${report.requests} ${report.requests === 1 ? 'request' : 'requests'}).\n`
            : `\nA check failed (${report.ms} ms). Fix it and run again.\n`,
        );
      }
      return report.ok ? ExitCode.ok : ExitCode.failed;
    } finally {
      validator.close();
      await target.close();
    }
  },
};
