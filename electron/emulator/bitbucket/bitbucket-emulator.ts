/**
 * Starts the demo Bitbucket Data Center: the documented `/rest/api/latest` (= `/rest/api/1.0`) user, group and
 * global-permission resources under a context path, over HTTPS on 127.0.0.1 with a CA generated per run, basic auth
 * of a user's password (an HTTP access token works too, except on admin resources), Bitbucket's error bodies, and
 * its rate limiter: a token bucket per user answering 429 with `Retry-After`, without Jira's `X-RateLimit-*` headers.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../services/ports';
import { failureText, startHttpsServer } from '../https-server';
import { generateLocalCertificates } from '../certificates';
import { JiraFaults } from '../jira/control';
import { JiraRateLimiter, type RateLimitSettings } from '../jira/rate-limit';
import { createBitbucketControl, emptyBitbucketCounters, type BitbucketEmulatorControl } from './control';
import { BitbucketFailure, BitbucketModel, type BitbucketUser, type NewBitbucketUser } from './model';
import { handleRest, type AddUsersBehaviour, type RestContext } from './rest-api';
import { seedBitbucket } from './seed';

export interface BitbucketEmulatorOptions {
  /** Context path. Default `''` (Bitbucket is usually served at the root); e.g. `/bitbucket`. */
  readonly contextPath?: string;
  /** Emulated version. Default `8.19.1`. */
  readonly version?: string;
  /** Rate limiting at start (off by default, as on a real instance): token bucket size and refill per second. */
  readonly rateLimit?: RateLimitSettings | null;
  readonly userLimit?: number | null;
  /** Users added after the seed, internal and licensed through `stash-users`. */
  readonly users?: readonly NewBitbucketUser[];
  /** Most values per page (Bitbucket's `page.max` setting). Default 1000. */
  readonly maxPageLimit?: number;
  /**
   * The status Bitbucket refuses a non-administrator with: 401 with `AuthorisationException` (default, as commonly
   * seen) or 403 (the status is not documented: clients must read both as "not an administrator").
   */
  readonly deniedStatus?: 401 | 403;
  /**
   * `groups/add-users` refusing one of its users part-way: `partial` (default) keeps those added before it, `atomic`
   * rolls them back (Bitbucket does not say which; control `setAddUsers` changes it later).
   */
  readonly addUsers?: 'partial' | 'atomic';
  readonly clock?: Clock;
  readonly port?: number;
}

export interface BitbucketEmulatorInfo {
  /** e.g. `https://127.0.0.1:PORT`: what an admin types as the base URL. */
  readonly baseUrl: string;
  readonly adminUsername: string;
  /** The administrator's password. Generated per run; never log it. */
  readonly adminPassword: string;
  /** `jsmith`, licensed but no administrator. */
  readonly userUsername: string;
  readonly userPassword: string;
  /** An HTTP access token of the administrator: accepted, but admin resources refuse it (BSERV-10482). */
  readonly adminAccessToken: string;
  readonly caCertPath: string;
  readonly caCertPem: string;
}

export interface RunningBitbucketEmulator {
  readonly info: BitbucketEmulatorInfo;
  readonly control: BitbucketEmulatorControl;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };
const HTML_TYPE = { 'content-type': 'text/html;charset=UTF-8' };
const API_PREFIXES = ['/rest/api/latest', '/rest/api/1.0'];

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Starts a demo Bitbucket. Always `close()` it. */
export async function startBitbucketEmulator(options: BitbucketEmulatorOptions = {}): Promise<RunningBitbucketEmulator> {
  const clock = options.clock ?? systemClock;
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  const version = options.version ?? '8.19.1';
  const model = new BitbucketModel();
  seedBitbucket(model, options.users);
  model.userLimit = options.userLimit ?? null;
  const limiter = new JiraRateLimiter(() => clock.now().getTime());
  limiter.configure(options.rateLimit ?? null);
  const faults = new JiraFaults();
  const counters = emptyBitbucketCounters();
  const secret = () => randomBytes(24).toString('base64url');
  const admin = model.findUser('admin') as BitbucketUser;
  const plain = model.findUser('jsmith') as BitbucketUser;
  const passwords = new Map<number, string>([
    [admin.id, secret()],
    [plain.id, secret()],
  ]);
  const adminAccessToken = secret();
  const tokens = new Map<string, number>([[adminAccessToken, admin.id]]);
  const addUsers: AddUsersBehaviour = {
    atomic: options.addUsers === 'atomic',
    crashAfter: null,
    onCrash: () => faults.set({ rate500: 1 }),
  };
  const control = createBitbucketControl({ model, limiter, faults, passwords, tokens, counters, addUsers });

  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-bitbucket-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  let origin = '';
  const rest = (): RestContext => ({
    model,
    baseUrl: `${origin}${contextPath}`,
    version,
    maxPageLimit: options.maxPageLimit ?? 1000,
    deniedStatus: options.deniedStatus ?? 401,
    addUsers,
  });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body?: unknown) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const notFound = (res: ServerResponse) => send(res, 404, HTML_TYPE, '<html><body>Page not found</body></html>');

  /** The signed-in user: basic auth with a password or an access token, or a Bearer access token. */
  const authenticate = (header: string): { user: BitbucketUser; viaToken: boolean } | null | undefined => {
    if (!header) return undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (bearer !== undefined) {
      const id = tokens.get(bearer);
      const user = id === undefined ? undefined : model.userById(id);
      return user ? { user, viaToken: true } : null;
    }
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    if (basic === undefined) return null;
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = model.findUser(decoded.slice(0, colon));
    const given = decoded.slice(colon + 1);
    if (!user) return null;
    if (same(given, passwords.get(user.id) ?? `\u0000${secret()}`)) return { user, viaToken: false };
    const tokenUser = tokens.get(given);
    return tokenUser === user.id ? { user, viaToken: true } : null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, JSON_TYPE, new BitbucketFailure(413, 'Request too large.').body);
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const prefix = API_PREFIXES.map((p) => `${contextPath}${p}`).find((p) => url.pathname.startsWith(`${p}/`));
    if (!prefix) return notFound(res);
    const path = url.pathname.slice(prefix.length).replace(/\/+$/, '');
    const counted = path.startsWith('/users/') ? '/users/{slug}' : path;
    counters.requests[`${method} ${counted}`] = (counters.requests[`${method} ${counted}`] ?? 0) + 1;
    if (method === 'POST' && path === '/admin/users') {
      counters.createdPasswords.push(url.searchParams.get('password') ?? '');
    }

    const fault = faults.next();
    if (fault) {
      counters.faults += 1;
      if (fault === 'reset') return void req.socket.destroy();
      return fault === '503'
        ? send(res, 503, { ...HTML_TYPE, 'retry-after': String(faults.retryAfterSeconds) }, '<html>Service Unavailable</html>')
        : send(res, 500, JSON_TYPE, new BitbucketFailure(500, 'An unexpected error occurred.').body);
    }

    const who = authenticate(req.headers.authorization ?? '');
    if (who === null) {
      return send(
        res,
        401,
        { ...JSON_TYPE, 'www-authenticate': 'Basic realm="Bitbucket"' },
        new BitbucketFailure(
          401,
          'Authentication failed. Please check your credentials and try again.',
          'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException',
        ).body,
      );
    }
    const headers: Record<string, string> = {
      'x-ausername': who?.user.name ?? 'anonymous',
      'x-arequestid': secret().slice(0, 12),
    };
    // Bitbucket's limiter: a bucket per user, no X-RateLimit-* headers, 429 with Retry-After.
    const decision = limiter.take(who ? String(who.user.id) : 'anonymous');
    if (decision && !decision.allowed) {
      counters.throttled429 += 1;
      return send(
        res,
        429,
        { ...headers, ...JSON_TYPE, 'retry-after': decision.headers['retry-after'] ?? '1' },
        new BitbucketFailure(
          429,
          'You have exceeded the rate limit. Try again later.',
          'com.atlassian.bitbucket.ratelimit.RateLimitedException',
        ).body,
      );
    }

    if (method === 'GET' && path === '/application-properties') {
      return send(
        res,
        200,
        { ...headers, ...JSON_TYPE },
        {
          version,
          buildNumber: version
            .split('.')
            .map((p) => p.padStart(3, '0'))
            .join(''),
          buildDate: '1735689600000',
          displayName: 'Bitbucket',
        },
      );
    }
    if (!who) {
      return send(
        res,
        401,
        { ...headers, ...JSON_TYPE },
        new BitbucketFailure(401, 'Authentication required.', 'com.atlassian.bitbucket.AuthorisationException').body,
      );
    }

    let parsed: unknown;
    if (body.trim()) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(
          res,
          400,
          { ...headers, ...JSON_TYPE },
          new BitbucketFailure(400, 'The request body is not valid JSON.').body,
        );
      }
    }
    try {
      const answer = handleRest(rest(), {
        method,
        path,
        params: url.searchParams,
        body: parsed,
        actor: who.user,
        viaToken: who.viaToken,
      });
      return answer.body === undefined
        ? send(res, answer.status, headers)
        : send(res, answer.status, { ...headers, ...JSON_TYPE }, answer.body);
    } catch (error) {
      if (!(error instanceof BitbucketFailure)) throw error;
      return send(res, error.status, { ...headers, ...JSON_TYPE }, error.body);
    }
  };

  const server = await startHttpsServer({
    certs,
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle,
    answerFailure: (res, error) => send(res, 500, JSON_TYPE, new BitbucketFailure(500, failureText(error)).body),
  });
  origin = server.origin;

  let closed: Promise<void> | undefined;
  return {
    info: {
      baseUrl: `${origin}${contextPath}`,
      adminUsername: admin.name,
      adminPassword: passwords.get(admin.id) as string,
      userUsername: plain.name,
      userPassword: passwords.get(plain.id) as string,
      adminAccessToken,
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

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
