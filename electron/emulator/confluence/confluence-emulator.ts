/**
 * Starts the demo Confluence Data Center: the documented `/rest/api` user, group and long-task resources under a
 * context path, over HTTPS on 127.0.0.1 with a CA generated per run, Bearer personal access tokens (basic auth
 * disabled), Confluence's error bodies, the `X-RateLimit-*` token bucket on every answer, and the applinks manifest
 * that tells an anonymous caller this is Confluence and which version.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../services/ports';
import { failureText, readBody, startHttpsServer } from '../https-server';
import { generateLocalCertificates } from '../certificates';
import { JiraFaults } from '../jira/control';
import { JiraRateLimiter, type RateLimitSettings } from '../jira/rate-limit';
import { createConfluenceControl, emptyConfluenceCounters, type ConfluenceEmulatorControl } from './control';
import { ConfluenceFailure, ConfluenceModel, type NewConfluenceUser } from './model';
import { handleRest, type RestContext } from './rest-api';
import { seedConfluence } from './seed';

export interface ConfluenceEmulatorOptions {
  /** Context path. Default `/confluence`; `''` serves at the root. */
  readonly contextPath?: string;
  /** Emulated version. Default `9.2.1`; below 8.4 the user admin API and `user/list` are missing. */
  readonly version?: string;
  /** DELETE admin/user answers 202 + a long task (default), with false 204 at once, with 'untracked' 202 naming no task. */
  readonly asyncDelete?: boolean | 'untracked';
  /** How long a deletion's long task runs, on the emulator's clock. Default 300 ms. */
  readonly deleteMs?: number;
  /**
   * Reads of its state a deletion's long task also waits for before it finishes: `GET longtask/{id}`, or `GET user`
   * of its user when the 202 named no task. Default 0 (time alone). With `deleteMs: 0`, a task ends on exactly this
   * read, however fast or loaded the machine is.
   */
  readonly deletePolls?: number;
  readonly rateLimit?: RateLimitSettings | null;
  /** Active users the licence allows; default none. */
  readonly userLimit?: number | null;
  readonly users?: readonly NewConfluenceUser[];
  /** Most results per page. Default 1000. */
  readonly maxPageLimit?: number;
  readonly clock?: Clock;
  readonly port?: number;
}

export interface ConfluenceEmulatorInfo {
  /** e.g. `https://127.0.0.1:PORT/confluence`. */
  readonly baseUrl: string;
  /** The administrator's personal access token. Generated per run; never log it. */
  readonly adminToken: string;
  readonly adminUsername: string;
  /** `jsmith`'s token: no administrator rights. */
  readonly userToken: string;
  readonly caCertPath: string;
  readonly caCertPem: string;
}

export interface RunningConfluenceEmulator {
  readonly info: ConfluenceEmulatorInfo;
  readonly control: ConfluenceEmulatorControl;
  close(): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const HTML_TYPE = { 'content-type': 'text/html;charset=UTF-8' };

function atLeast84(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  return major > 8 || (major === 8 && minor >= 4);
}

/** The request's path with names replaced, for the counters. */
const counted = (path: string) =>
  path
    .replace(/^\/user\/[^/]+\/group\/[^/]+$/, '/user/{u}/group/{g}')
    .replace(/^\/admin\/user\/[^/]+/, '/admin/user/{u}')
    .replace(/^\/admin\/group\/[^/]+$/, '/admin/group/{g}')
    .replace(/^\/group\/[^/]+/, '/group/{g}')
    .replace(/^\/longtask\/[^/]+$/, '/longtask/{id}');

/** Starts a demo Confluence. Always `close()` it. */
export async function startConfluenceEmulator(options: ConfluenceEmulatorOptions = {}): Promise<RunningConfluenceEmulator> {
  const clock = options.clock ?? systemClock;
  const nowMs = () => clock.now().getTime();
  const contextPath = (options.contextPath ?? '/confluence').replace(/\/+$/, '');
  const version = options.version ?? '9.2.1';
  const model = new ConfluenceModel();
  seedConfluence(model, options.users);
  model.userLimit = options.userLimit ?? null;
  const limiter = new JiraRateLimiter(nowMs);
  limiter.configure(options.rateLimit ?? null);
  const faults = new JiraFaults();
  const counters = emptyConfluenceCounters();
  const token = () => randomBytes(33).toString('base64url');
  const adminToken = token();
  const userToken = token();
  const tokens = new Map<string, string>([
    [adminToken, model.findUser('admin')!.key],
    [userToken, model.findUser('jsmith')!.key],
  ]);
  const control = createConfluenceControl({ model, limiter, faults, tokens, counters, nowMs });

  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-confluence-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  let origin = '';
  const rest = (): RestContext => ({
    model,
    baseUrl: `${origin}${contextPath}`,
    fullAdmin: atLeast84(version),
    asyncDelete: options.asyncDelete ?? true,
    deleteMs: options.deleteMs ?? 300,
    deletePolls: options.deletePolls ?? 0,
    maxPageLimit: options.maxPageLimit ?? 1000,
    nowMs,
  });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const failure = (res: ServerResponse, headers: Record<string, string>, f: ConfluenceFailure) =>
    send(res, f.status, { ...headers, ...JSON_TYPE }, f.body);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return failure(res, {}, new ConfluenceFailure(413, 'Request too large.'));
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { 'x-confluence-request-time': String(nowMs()) };
    if (method === 'GET' && url.pathname === `${contextPath}/rest/applinks/1.0/manifest`) {
      return send(
        res,
        200,
        { ...headers, ...JSON_TYPE },
        {
          id: 'emulated-confluence',
          name: 'Confluence (emulated)',
          typeId: 'confluence',
          version,
          buildNumber: Number(
            version
              .split('.')
              .map((p) => p.padStart(2, '0'))
              .join(''),
          ),
          applinksVersion: '9.0.0',
          url: `${origin}${contextPath}`,
        },
      );
    }
    const prefix = `${contextPath}/rest/api`;
    if (!url.pathname.startsWith(`${prefix}/`)) return send(res, 404, HTML_TYPE, '<html><body>Page Not Found</body></html>');
    const path = url.pathname.slice(prefix.length).replace(/\/+$/, '');
    const label = `${method} ${counted(path)}`;
    counters.requests[label] = (counters.requests[label] ?? 0) + 1;

    const fault = faults.next();
    if (fault) {
      counters.faults += 1;
      if (fault === 'reset') return void req.socket.destroy();
      return fault === '503'
        ? send(res, 503, { ...HTML_TYPE, 'retry-after': String(faults.retryAfterSeconds) }, '<html>Service Unavailable</html>')
        : failure(res, headers, new ConfluenceFailure(500, 'An internal error occurred.'));
    }

    // A Bearer personal access token; basic auth is disabled on this instance.
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const actor = bearer === undefined ? undefined : model.userByKey(tokens.get(bearer) ?? '');
    if (!actor || !actor.active) {
      const message = /^Basic\s/i.test(auth)
        ? 'Basic authentication is disabled on this instance. Use a personal access token.'
        : 'This request requires authentication: the personal access token is missing, expired or revoked.';
      return failure(res, { ...headers, 'www-authenticate': 'Bearer realm="confluence"' }, new ConfluenceFailure(401, message));
    }
    const decision = limiter.take(actor.key);
    Object.assign(headers, decision?.headers ?? {}, { 'x-ausername': actor.username });
    if (decision && !decision.allowed) {
      counters.throttled429 += 1;
      return failure(res, headers, new ConfluenceFailure(429, 'Rate limit exceeded. Try again later.'));
    }
    let parsed: unknown;
    if (body.trim()) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return failure(res, headers, new ConfluenceFailure(400, 'The request body is not valid JSON.'));
      }
    }
    const password = (parsed as { password?: unknown } | undefined)?.password;
    if (method === 'POST' && path === '/admin/user' && typeof password === 'string') counters.createdPasswords.push(password);
    try {
      const answer = handleRest(rest(), { method, path, params: url.searchParams, body: parsed, actor });
      return answer.body === undefined
        ? send(res, answer.status, headers)
        : send(res, answer.status, { ...headers, ...JSON_TYPE }, answer.body);
    } catch (error) {
      if (error instanceof ConfluenceFailure) return failure(res, headers, error);
      throw error;
    }
  };

  const server = await startHttpsServer({
    certs,
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle,
    answerFailure: (res, error) => failure(res, {}, new ConfluenceFailure(500, failureText(error))),
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
