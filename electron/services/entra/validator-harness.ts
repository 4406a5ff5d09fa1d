/**
 * Test support for the validator: runs it against a running emulator over real HTTPS and collects everything
 * that could leak a secret (report, progress snapshots, logs, diagnostics text) so tests can assert it does not.
 */
import { customCloud, type Cloud } from '../../../shared/clouds';
import { redactedDiagnostics, type CheckId, type ValidationProgress, type ValidationReport } from '../../../shared/validation';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { jumpingClock } from '../graph/fake-graph-server';
import type { Clock, DemoTenantInfo, Logger } from '../ports';
import { createCredentialValidator, type CredentialValidator, type ValidationInput } from './validator';

/** A logger that keeps every line, fields included, as text. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The emulator as a custom cloud. */
export function emulatorCloud(info: DemoTenantInfo, graphResource?: string): Cloud {
  return customCloud({
    authorityHost: info.authorityHost,
    graphBaseUrl: info.graphBaseUrl,
    label: 'Demo tenant',
    ...(graphResource ? { graphResource } : {}),
  });
}

/** One validator session on the emulator with a recording logger; `close()` releases the transport. */
export interface Session {
  readonly validator: CredentialValidator;
  readonly transport: HttpTransport;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly progress: ValidationProgress[];
  run(overrides?: Partial<ValidationInput>, options?: { retest?: boolean }): Promise<ValidationReport>;
  /** Everything produced so far, as one string (report JSON, snapshots, diagnostics text, logs). */
  everything(): string;
  close(): Promise<void>;
}

/**
 * Opens a session. `trustCa: false` leaves the emulator's CA untrusted; `timeoutMs` bounds each request. Retry waits
 * run on a {@link jumpingClock}, so a persistent fault is reported after the full budget without waiting for real.
 */
export function openSession(info: DemoTenantInfo, opts: { trustCa?: boolean; timeoutMs?: number; clock?: Clock } = {}): Session {
  const transport = createHttpTransport({
    ...(opts.trustCa === false ? {} : { extraCaPem: info.caCertPem }),
    timeoutMs: opts.timeoutMs ?? 10_000,
    env: {},
  });
  const logger = recordingLogger();
  const validator = createCredentialValidator({ transport, host: 'app', logger, clock: opts.clock ?? jumpingClock() });
  const progress: ValidationProgress[] = [];
  const reports: ValidationReport[] = [];
  return {
    validator,
    transport,
    logger,
    progress,
    async run(overrides = {}, options = {}) {
      const input: ValidationInput = {
        cloud: emulatorCloud(info),
        tenant: info.tenantId,
        clientId: info.clientId,
        secret: info.clientSecret,
        ...overrides,
      };
      const report = await validator.validate(input, { ...options, onProgress: (p) => progress.push(p) });
      reports.push(report);
      return report;
    },
    everything() {
      return [
        ...reports.map((r) => JSON.stringify(r)),
        ...reports.map((r) => redactedDiagnostics(r)),
        ...progress.map((p) => JSON.stringify(p)),
        ...logger.lines,
      ].join('\n');
    },
    async close() {
      validator.close();
      await transport.close();
    },
  };
}

/** `{status, code}` of one check, for compact assertions. */
export function outcome(report: ValidationReport, id: CheckId): { status: string; code: string } {
  const check = report.checks.find((c) => c.id === id);
  return { status: check?.status ?? 'missing', code: check?.code ?? 'missing' };
}

/** Every check as `id:status:code`, in order. */
export function summary(report: ValidationReport): string[] {
  return report.checks.map((c) => `${c.id}:${c.status}:${c.code}`);
}
