/**
 * The demo Atlassian Cloud user provisioning API (atlassian-facts.md, SCIM): `/scim/directory/{directoryId}` with
 * `/Users`, `/Groups`, `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`, over HTTPS on 127.0.0.1 with a CA
 * generated per run, the directory's API key as the bearer token, Atlassian's error bodies (`status` as a string),
 * at most 100 per page, and an optional rate limit (unpublished there: a 429 with `Retry-After`, no rate headers).
 * The directory's rules are in atlassian-model.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../services/ports';
import { generateLocalCertificates } from '../certificates';
import { JiraRateLimiter } from '../jira/rate-limit';
import {
  CloudDirectory,
  CloudError,
  parseEqFilter,
  type CloudGroup,
  type CloudUser,
  type PatchOperation,
} from './atlassian-model';
import { cloudDiscovery } from './atlassian-discovery';

export interface AtlassianScimOptions {
  /** Requests per second allowed; none by default. */
  readonly ratePerSecond?: number | null;
  /** What `/ServiceProviderConfig` says about PATCH (and whether PATCH /Users is accepted). Default true. */
  readonly patch?: boolean;
  readonly directoryId?: string;
  readonly clock?: Clock;
  readonly port?: number;
}

export interface AtlassianScimInfo {
  /** `https://127.0.0.1:PORT/scim/directory/{directoryId}`: what an admin types as the base URL. */
  readonly baseUrl: string;
  /** The directory's API key. Generated per run; never log it. */
  readonly token: string;
  readonly caCertPem: string;
  readonly caCertPath: string;
}

export interface AtlassianScimCounters {
  /** By `METHOD /Resource` (`/Users/{id}` for one user). */
  readonly requests: Record<string, number>;
  readonly statuses: Record<string, number>;
  throttled429: number;
}

export interface RunningAtlassianScim {
  readonly info: AtlassianScimInfo;
  readonly directory: CloudDirectory;
  counters(): AtlassianScimCounters;
  resetCounters(): void;
  close(): Promise<void>;
}

const MAX_PAGE = 100;
const MAX_BODY = 2 * 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/scim+json' };

const userOut = (u: CloudUser, base: string) => {
  const { deleted: _deleted, ...rest } = u;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    ...rest,
    meta: { resourceType: 'User', location: `${base}/Users/${u.id}` },
  };
};
const groupOut = (g: CloudGroup, base: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  ...g,
  meta: { resourceType: 'Group', location: `${base}/Groups/${g.id}` },
});

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the demo Atlassian Cloud SCIM API. Always `close()` it. */
export async function startAtlassianScim(options: AtlassianScimOptions = {}): Promise<RunningAtlassianScim> {
  const clock = options.clock ?? systemClock;
  const patch = options.patch ?? true;
  const directoryId = options.directoryId ?? randomBytes(8).toString('hex');
  const directory = new CloudDirectory();
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const limiter = new JiraRateLimiter(() => clock.now().getTime());
  if (options.ratePerSecond)
    limiter.configure({ limit: options.ratePerSecond, fillRate: options.ratePerSecond, intervalSeconds: 1 });
  let counters: AtlassianScimCounters = { requests: {}, statuses: {}, throttled429: 0 };
  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-atlassian-scim-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });
  const prefix = `/scim/directory/${directoryId}`;
  let origin = '';

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    counters.statuses[status] = (counters.statuses[status] ?? 0) + 1;
    res.writeHead(status, { ...(text ? JSON_TYPE : {}), ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const list = <T>(items: T[], url: URL, out: (t: T) => unknown) => {
    const startIndex = Math.max(1, Number(url.searchParams.get('startIndex') ?? 1) || 1);
    const count = Math.min(MAX_PAGE, Math.max(0, Number(url.searchParams.get('count') ?? MAX_PAGE) || 0));
    const page = items.slice(startIndex - 1, startIndex - 1 + count);
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: items.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page.map(out),
    };
  };

  const route = (method: string, path: string, url: URL, body: Record<string, unknown>): [number, unknown] => {
    const base = `${origin}${prefix}`;
    const discovery = cloudDiscovery(path, base, patch);
    if (discovery !== undefined && method === 'GET') return [200, discovery];
    const ops = () => (body.Operations ?? body.operations ?? []) as PatchOperation[];
    const filter = (allowed: readonly string[]) => {
      const f = url.searchParams.get('filter');
      return f ? parseEqFilter(f, allowed) : null;
    };
    const one = /^\/(Users|Groups)\/([^/]+)$/.exec(path);
    if (path === '/Users' && method === 'GET')
      return [200, list(directory.listUsers(filter(['userName', 'externalId'])), url, (u) => userOut(u, base))];
    if (path === '/Users' && method === 'POST') return [201, userOut(directory.createUser(body), base)];
    if (path === '/Groups' && method === 'GET')
      return [200, list(directory.listGroups(filter(['displayName'])), url, (g) => groupOut(g, base))];
    if (path === '/Groups' && method === 'POST') return [201, groupOut(directory.createGroup(body), base)];
    if (one?.[1] === 'Users') {
      const id = decodeURIComponent(one[2]!);
      if (method === 'GET') return [200, userOut(directory.user(id), base)];
      if (method === 'PUT') return [200, userOut(directory.replaceUser(id, body), base)];
      if (method === 'PATCH') {
        if (!patch) throw new CloudError(501, null, 'PATCH is not supported.');
        return [200, userOut(directory.patchUser(id, ops()), base)];
      }
      if (method === 'DELETE') {
        directory.deleteUser(id);
        return [204, undefined];
      }
    }
    if (one?.[1] === 'Groups') {
      const id = decodeURIComponent(one[2]!);
      if (method === 'GET') return [200, groupOut(directory.group(id), base)];
      if (method === 'PATCH') return [200, groupOut(directory.patchGroup(id, ops()), base)];
      if (method === 'DELETE') {
        directory.deleteGroup(id);
        return [204, undefined];
      }
    }
    throw new CloudError(404, null, `No resource at ${method} ${path}.`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith(`${prefix}/`)) return send(res, 404, new CloudError(404, null, 'Not found.').body);
    const path = url.pathname.slice(prefix.length);
    const key = `${method} ${path.replace(/^(\/(?:Users|Groups))\/.+$/, '$1/{id}')}`;
    counters.requests[key] = (counters.requests[key] ?? 0) + 1;
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return send(res, 401, new CloudError(401, null, 'Unauthorized: the API key is not valid for this directory.').body);
    const decision = limiter.take('api-key');
    if (decision && !decision.allowed) {
      counters.throttled429++;
      return send(res, 429, new CloudError(429, null, 'Too many requests.').body, {
        'retry-after': decision.headers['retry-after'] ?? '1',
      });
    }
    if (text === undefined) return send(res, 413, new CloudError(413, null, 'Request too large.').body);
    let body: Record<string, unknown>;
    try {
      body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, new CloudError(400, 'invalidSyntax', 'The body is not JSON.').body);
    }
    try {
      const [status, out] = route(method, path, url, body);
      send(res, status, out);
    } catch (error) {
      if (error instanceof CloudError) return send(res, error.status, error.body);
      send(res, 500, new CloudError(500, null, 'Internal error.').body);
    }
  };

  const server: Server = createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
    handle(req, res).catch(() => send(res, 500, new CloudError(500, null, 'Internal error.').body));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    info: { baseUrl: `${origin}${prefix}`, token, caCertPem: certs.caCertPem, caCertPath },
    directory,
    counters: () => counters,
    resetCounters: () => void (counters = { requests: {}, statuses: {}, throttled429: 0 }),
    close: () =>
      (closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await done;
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
