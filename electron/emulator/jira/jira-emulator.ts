/**
 * Starts the demo Jira Data Center: the documented `/rest/api/2` user and group resources under a context path,
 * over HTTPS on 127.0.0.1 with a CA generated per run, Bearer personal access tokens, Jira's error bodies, the
 * `X-RateLimit-*` token bucket, and a control API under `/_control`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../services/ports';
import { generateLocalCertificates } from '../certificates';
import { failureText, readBody, startHttpsServer } from '../https-server';
import { createJiraControl, emptyJiraCounters, handleJiraControlHttp, JiraFaults, type JiraEmulatorControl } from './control';
import { JiraFailure, JiraModel, type NewJiraUser } from './model';
import { JiraRateLimiter, type RateLimitSettings } from './rate-limit';
import { handleRest, isAdmin, type RestContext } from './rest-api';
import { seedJira } from './seed';

export interface JiraEmulatorOptions {
  /** Context path the instance is served under. Default `/jira`; `''` serves at the root. */
  readonly contextPath?: string;
  /** Emulated version. Default `10.3.6` (has `user/list`); `9.12.0` has only `user/search`. */
  readonly version?: string;
  /** Rate limiting at start (off by default, as on a real instance). */
  readonly rateLimit?: RateLimitSettings | null;
  /** Licensed-user limit at start; default none. */
  readonly userLimit?: number | null;
  /** Users added after the seed, in the internal directory. */
  readonly users?: readonly NewJiraUser[];
  /** Most results per `user/search` call. Default 1000. */
  readonly searchCap?: number;
  /** Most members per `group/member` page. Default 50. */
  readonly memberPageCap?: number;
  /** Time source for the rate limiter and serverTime. Default: the system clock. */
  readonly clock?: Clock;
  readonly port?: number;
}

export interface JiraEmulatorInfo {
  /** e.g. `https://127.0.0.1:PORT/jira`: what an admin types as the base URL. */
  readonly baseUrl: string;
  /** The administrator's personal access token. Generated per run; never log it. */
  readonly adminToken: string;
  readonly adminUsername: string;
  /** A plain user's token (no administrator rights). */
  readonly userToken: string;
  readonly caCertPath: string;
  readonly caCertPem: string;
  readonly controlUrl: string;
  readonly controlToken: string;
}

export interface RunningJiraEmulator {
  readonly info: JiraEmulatorInfo;
  readonly control: JiraEmulatorControl;
  close(): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const NOT_AUTHENTICATED = 'You are not authenticated. Authentication required to perform this operation.';

function parseVersion(v: string): [number, number, number] {
  const parts = v.split('.').map((p) => Number.parseInt(p, 10));
  if (parts.length < 2 || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new RangeError(`Bad version '${v}'.`);
  return [parts[0] as number, parts[1] as number, parts[2] ?? 0];
}

/** Starts a demo Jira. Always `close()` it. */
export async function startJiraEmulator(options: JiraEmulatorOptions = {}): Promise<RunningJiraEmulator> {
  const clock = options.clock ?? systemClock;
  const contextPath = (options.contextPath ?? '/jira').replace(/\/+$/, '');
  const versionText = options.version ?? '10.3.6';
  const version = parseVersion(versionText);
  const model = new JiraModel();
  seedJira(model, options.users);
  model.userLimit = options.userLimit ?? null;
  const limiter = new JiraRateLimiter(() => clock.now().getTime());
  limiter.configure(options.rateLimit ?? null);
  const faults = new JiraFaults();
  const counters = emptyJiraCounters();
  const token = () => randomBytes(33).toString('base64url');
  const adminToken = token();
  const userToken = token();
  // PAT → user key. A token outlives renames: it belongs to the key.
  const tokens = new Map<string, string>([
    [adminToken, 'admin'],
    [userToken, 'jsmith'],
  ]);
  const control = createJiraControl({ model, limiter, faults, tokens, counters });
  const controlToken = randomBytes(24).toString('base64url');

  // TLS clients check validity against the real time, whatever clock drives the emulated instance.
  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-jira-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  let origin = '';
  const rest = (): RestContext => ({
    model,
    baseUrl: `${origin}${contextPath}`,
    version,
    searchCap: options.searchCap ?? 1000,
    memberPageCap: options.memberPageCap ?? 50,
    now: () => clock.now(),
  });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (res: ServerResponse, headers: Record<string, string>, f: JiraFailure) =>
    f.status === 404 && f.errorMessages.length === 0 && Object.keys(f.errors).length === 0
      ? send(res, 404, { ...headers, 'content-type': 'text/html;charset=UTF-8' }, '<html><body>Not Found</body></html>')
      : send(res, f.status, { ...headers, ...JSON_TYPE }, f.body);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, JSON_TYPE, { errorMessages: ['Request too large.'], errors: {} });
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_control/')) {
      const answer = handleJiraControlHttp(
        control,
        controlToken,
        url.pathname.slice('/_control/'.length),
        req.headers.authorization,
        body,
      );
      return send(res, answer.status, JSON_TYPE, answer.body);
    }
    const prefix = `${contextPath}/rest/api/2`;
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return send(res, 404, { 'content-type': 'text/html;charset=UTF-8' }, '<html><body>Not Found</body></html>');
    }
    const path = url.pathname.slice(prefix.length).replace(/\/+$/, '');
    counters.requests[`${method} ${path}`] = (counters.requests[`${method} ${path}`] ?? 0) + 1;

    const fault = faults.next();
    if (fault) {
      counters.faults += 1;
      if (fault === 'reset') {
        const raw = (req.socket as Socket & { _parent?: Socket })._parent;
        if (raw && typeof raw.resetAndDestroy === 'function') raw.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      return fault === '503'
        ? send(
            res,
            503,
            { 'content-type': 'text/html;charset=UTF-8', 'retry-after': String(faults.retryAfterSeconds) },
            '<html><body>Service Unavailable</body></html>',
          )
        : send(res, 500, JSON_TYPE, { errorMessages: ['Internal server error'], errors: {} });
    }

    // Who is asking: a Bearer PAT, or nobody. Basic auth is disabled, as by default on Jira 11.
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const actor = bearer === undefined ? undefined : model.findUserByKey(tokens.get(bearer) ?? '');
    const unauthenticated = (reason: string, message: string) =>
      send(
        res,
        401,
        { ...JSON_TYPE, 'www-authenticate': 'OAuth realm="jira"', 'x-seraph-loginreason': reason, 'x-ausername': 'anonymous' },
        { errorMessages: [message], errors: {} },
      );
    if (auth && !actor) {
      if (/^Basic\s/i.test(auth)) {
        return unauthenticated(
          'AUTHENTICATION_DENIED',
          'Basic authentication is disabled on this instance. Use a personal access token.',
        );
      }
      return unauthenticated('AUTHENTICATED_FAILED', NOT_AUTHENTICATED);
    }
    if (actor && !actor.active) return unauthenticated('AUTHENTICATION_DENIED', NOT_AUTHENTICATED);

    const decision = limiter.take(actor?.key ?? 'anonymous');
    const headers: Record<string, string> = { 'x-ausername': actor?.name ?? 'anonymous', ...(decision?.headers ?? {}) };
    if (decision && !decision.allowed) {
      counters.throttled429 += 1;
      return send(res, 429, { ...headers, ...JSON_TYPE }, { errorMessages: ['Rate limit exceeded.'], errors: {} });
    }

    if (method === 'GET' && path === '/serverInfo') {
      const ctx = rest();
      return send(
        res,
        200,
        { ...headers, ...JSON_TYPE },
        {
          baseUrl: ctx.baseUrl,
          version: versionText,
          versionNumbers: [...version],
          deploymentType: 'Server',
          buildNumber: version[0] * 1_000_000 + version[1] * 1_000 + version[2],
          buildDate: '2025-01-15T00:00:00.000+0000',
          serverTime: clock.now().toISOString().replace('Z', '+0000'),
          scmInfo: 'emulated',
          serverTitle: 'Jira (emulated)',
        },
      );
    }
    if (!actor) return unauthenticated('AUTHENTICATION_DENIED', NOT_AUTHENTICATED);

    let parsed: unknown;
    if (body.trim()) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(
          res,
          400,
          { ...headers, ...JSON_TYPE },
          { errorMessages: ['Unexpected character in the JSON body.'], errors: {} },
        );
      }
    }
    try {
      const answer = handleRest(rest(), {
        method,
        path,
        params: url.searchParams,
        body: parsed,
        actor,
        actorIsAdmin: isAdmin(model, actor),
      });
      return answer.body === undefined
        ? send(res, answer.status, headers)
        : send(res, answer.status, { ...headers, ...JSON_TYPE }, answer.body);
    } catch (error) {
      if (error instanceof JiraFailure) return fail(res, headers, error);
      throw error;
    }
  };

  const server = await startHttpsServer({
    certs,
    port: options.port,
    handle,
    // An emulator bug must still answer, in Jira's shape, never hang.
    answerFailure: (res, error) => send(res, 500, JSON_TYPE, { errorMessages: [failureText(error)], errors: {} }),
  });
  origin = server.origin;

  let closed: Promise<void> | undefined;
  return {
    info: {
      baseUrl: `${origin}${contextPath}`,
      adminToken,
      adminUsername: 'admin',
      userToken,
      caCertPath,
      caCertPem: certs.caCertPem,
      controlUrl: `${origin}/_control`,
      controlToken,
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
