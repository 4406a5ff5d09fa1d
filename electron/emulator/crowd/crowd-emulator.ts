/**
 * Starts the demo Crowd Data Center: the documented `/rest/usermanagement/1` user and group resources under a
 * context path, over HTTPS on 127.0.0.1 with a CA generated per run, the application's name and password as basic
 * auth, the application's remote-address allow-list, Crowd's `{reason, message}` errors, and an optional rate
 * limit (Crowd documents none: a 429 with `Retry-After`, the `X-RateLimit-*` headers only when asked).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../services/ports';
import { failureText, readBody, startHttpsServer } from '../https-server';
import { generateLocalCertificates } from '../certificates';
import { JiraRateLimiter } from '../jira/rate-limit';
import {
  createCrowdControl,
  CrowdFaults,
  emptyCrowdCounters,
  type CrowdEmulatorControl,
  type CrowdRateLimit,
  type CrowdSettings,
} from './control';
import { CrowdFailure, CrowdModel, type NewCrowdUser, type ReadOnlyRefusal } from './model';
import { handleRest, type RestContext } from './rest-api';
import { seedCrowd } from './seed';

export interface CrowdEmulatorOptions {
  /** Context path. Default `/crowd`; `''` serves at the root. */
  readonly contextPath?: string;
  /** Sent as `X-Embedded-Crowd-Version: Crowd/<version>`. Default `6.1.2`; null sends no version header. */
  readonly version?: string | null;
  /** The application the sync signs in as. Default `entra-sync`. */
  readonly applicationName?: string;
  /** Remote addresses the application accepts (Applications → app → Remote addresses); default any. */
  readonly allowedAddresses?: readonly string[] | null;
  readonly rateLimit?: CrowdRateLimit | null;
  /** Active users the licence allows; default none. */
  readonly userLimit?: number | null;
  readonly readOnlyRefusal?: ReadOnlyRefusal;
  /** Users added after the seed, in the first writable directory. */
  readonly users?: readonly NewCrowdUser[];
  /** Most results per search or member page. Default 1000. */
  readonly searchCap?: number;
  /** Time source for the rate limiter and dates; certificates always use the real time. */
  readonly clock?: Clock;
  readonly port?: number;
}

export interface CrowdEmulatorInfo {
  /** e.g. `https://127.0.0.1:PORT/crowd`: what an admin types as the base URL. */
  readonly baseUrl: string;
  /** The application name (the basic-auth username). */
  readonly applicationName: string;
  /** The application password. Generated per run; never log it. */
  readonly applicationPassword: string;
  /** An application that may read but has no permission to change users or groups. */
  readonly readOnlyApplicationName: string;
  readonly readOnlyApplicationPassword: string;
  readonly caCertPath: string;
  readonly caCertPem: string;
}

export interface RunningCrowdEmulator {
  readonly info: CrowdEmulatorInfo;
  readonly control: CrowdEmulatorControl;
  close(): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const HTML_TYPE = { 'content-type': 'text/html;charset=UTF-8' };
const RATE_HEADER = /^x-ratelimit-/;

/** Starts a demo Crowd. Always `close()` it. */
export async function startCrowdEmulator(options: CrowdEmulatorOptions = {}): Promise<RunningCrowdEmulator> {
  const clock = options.clock ?? systemClock;
  const contextPath = (options.contextPath ?? '/crowd').replace(/\/+$/, '');
  const version = options.version === undefined ? '6.1.2' : options.version;
  const model = new CrowdModel(() => clock.now().getTime());
  seedCrowd(model, options.users);
  model.userLimit = options.userLimit ?? null;
  model.readOnlyRefusal = options.readOnlyRefusal ?? 'permission';
  const limiter = new JiraRateLimiter(() => clock.now().getTime());
  limiter.configure(options.rateLimit ?? null);
  const settings: CrowdSettings = {
    allowedAddresses: options.allowedAddresses ? [...options.allowedAddresses] : null,
    rateHeaders: options.rateLimit?.headers ?? false,
  };
  const faults = new CrowdFaults();
  const counters = emptyCrowdCounters();
  const secret = () => randomBytes(24).toString('base64url');
  const appName = options.applicationName ?? 'entra-sync';
  const applications = new Map<string, { password: string; canWrite: boolean }>([
    [appName, { password: secret(), canWrite: true }],
    ['read-only-app', { password: secret(), canWrite: false }],
  ]);
  const control = createCrowdControl({ model, limiter, faults, counters, settings });

  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-crowd-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  let origin = '';
  const prefix = `${contextPath}/rest/usermanagement/1`;
  const rest = (): RestContext => ({ model, apiBase: `${origin}${prefix}`, searchCap: options.searchCap ?? 1000 });
  const product: Record<string, string> = version ? { 'x-embedded-crowd-version': `Crowd/${version}` } : {};

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    res.writeHead(status, { ...product, ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const notFound = (res: ServerResponse, headers: Record<string, string> = {}) =>
    send(res, 404, { ...headers, ...HTML_TYPE }, '<html><body><h1>HTTP Status 404 – Not Found</h1></body></html>');

  const authenticate = (header: string | undefined): { name: string; canWrite: boolean } | undefined => {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const app = applications.get(name);
    const given = Buffer.from(decoded.slice(colon + 1));
    const expected = Buffer.from(app?.password ?? '');
    if (!app || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { name, canWrite: app.canWrite };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, JSON_TYPE, { reason: 'ILLEGAL_ARGUMENT', message: 'Request too large.' });
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith(`${prefix}/`)) {
      // Outside Crowd's REST API: the servlet container's page, without Crowd's headers.
      res.writeHead(404, { ...HTML_TYPE });
      return res.end('<html><body><h1>HTTP Status 404 – Not Found</h1></body></html>');
    }
    const path = url.pathname.slice(prefix.length).replace(/\/+$/, '');
    counters.requests[`${method} ${path}`] = (counters.requests[`${method} ${path}`] ?? 0) + 1;

    const fault = faults.next();
    if (fault) {
      counters.faults += 1;
      if (fault === 'reset') return void req.socket.destroy();
      return fault === '503'
        ? send(res, 503, { ...HTML_TYPE, 'retry-after': String(faults.retryAfterSeconds) }, '<html>Service Unavailable</html>')
        : send(res, 500, JSON_TYPE, { reason: 'OPERATION_FAILED', message: 'Internal server error' });
    }

    const app = authenticate(req.headers.authorization);
    if (!app) {
      return send(
        res,
        401,
        { 'content-type': 'text/plain;charset=UTF-8', 'www-authenticate': 'BASIC realm="Crowd REST Service"' },
        'Application failed to authenticate',
      );
    }
    const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (settings.allowedAddresses && !settings.allowedAddresses.includes(address)) {
      return send(res, 403, JSON_TYPE, {
        reason: 'APPLICATION_ACCESS_DENIED',
        message: `Client with address "${address}" is not allowed to access the application "${app.name}".`,
      });
    }

    const decision = limiter.take(app.name);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(decision?.headers ?? {})) {
      if (settings.rateHeaders ? true : !RATE_HEADER.test(k) && (k !== 'retry-after' || !decision?.allowed)) headers[k] = v;
    }
    if (decision && !decision.allowed) {
      counters.throttled429 += 1;
      return send(res, 429, { ...headers, ...HTML_TYPE }, '<html><body>Too Many Requests</body></html>');
    }

    let parsed: unknown;
    if (body.trim()) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(res, 400, { ...headers, ...JSON_TYPE }, { reason: 'ILLEGAL_ARGUMENT', message: 'Malformed JSON body.' });
      }
    }
    try {
      const answer = handleRest(rest(), {
        method,
        path,
        params: url.searchParams,
        body: parsed,
        canWrite: app.canWrite,
        applicationName: app.name,
      });
      const all = { ...headers, ...(answer.headers ?? {}) };
      return answer.body === undefined
        ? send(res, answer.status, all)
        : send(res, answer.status, { ...all, ...JSON_TYPE }, answer.body);
    } catch (error) {
      if (!(error instanceof CrowdFailure)) throw error;
      if (error.status === 404 && error.reason === 'UNSUPPORTED_OPERATION') return notFound(res, headers);
      return send(res, error.status, { ...headers, ...JSON_TYPE }, error.body);
    }
  };

  const server = await startHttpsServer({
    certs,
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle: async (req, res) => void (await handle(req, res)),
    answerFailure: (res, error) => send(res, 500, JSON_TYPE, { reason: 'OPERATION_FAILED', message: failureText(error) }),
  });
  origin = server.origin;

  let closed: Promise<void> | undefined;
  const main = applications.get(appName)!;
  const readOnly = applications.get('read-only-app')!;
  return {
    info: {
      baseUrl: `${origin}${contextPath}`,
      applicationName: appName,
      applicationPassword: main.password,
      readOnlyApplicationName: 'read-only-app',
      readOnlyApplicationPassword: readOnly.password,
      caCertPath,
      caCertPem: certs.caCertPem,
    },
    control,
    close: () => {
      closed ??= (async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
