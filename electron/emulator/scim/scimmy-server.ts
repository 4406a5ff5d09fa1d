/**
 * A real SCIM 2.0 service for tests and the bench, built on `scimmy` (its User and Group resource classes, schemas,
 * filter parser and PATCH handling) and `scimmy-routers` (its Express routes: `/Users`, `/Groups`,
 * `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`), over HTTPS on 127.0.0.1 with a CA generated per run.
 * Only the storage (scimmy-store.ts: uniqueness, member lists, the page-size cap) and the bearer check are ours.
 *
 * Express 5 re-parses `req.query` at every read, which undoes scimmy-routers' cast of `startIndex` and `count` to
 * numbers (scimmy then ignores them): the query is fixed once per request, with the numbers cast.
 *
 * One deviation, a finding about scimmy 1.3.5: its filter tokeniser does not read RFC 7644's escaped strings (its
 * string pattern ends at the first `\"`, and `\\` stays two characters), so a `userName eq "…"` holding a quote or a
 * backslash is answered by this server itself (the value unescaped as JSON); every other filter goes to scimmy.
 *
 * scimmy keeps its resource handlers and config per process: every server started here shares one declaration and
 * finds its own store through the request (the `context` the routers pass to the handlers).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { generateLocalCertificates } from '../certificates';
import { ScimStore, StoreError, type StoredGroup, type StoredUser } from './scimmy-store';

export interface ScimmyServerOptions {
  /** Most resources per page (`filter.maxResults`). Default 100. */
  readonly maxResults?: number;
  readonly port?: number;
}

export interface ScimmyServerInfo {
  /** e.g. `https://127.0.0.1:PORT/scim/v2`. */
  readonly baseUrl: string;
  /** The bearer token. Generated per run; never log it. */
  readonly token: string;
  readonly caCertPem: string;
  readonly caCertPath: string;
}

export interface RunningScimmyServer {
  readonly info: ScimmyServerInfo;
  readonly store: ScimStore;
  /** Requests by `METHOD /Resource` (ids left out), for the bench and the tests. */
  readonly requests: Record<string, number>;
  close(): Promise<void>;
}

interface Context {
  readonly store: ScimStore;
  /** A single `eq` with an escaped value, read by this server (see the module comment). */
  readonly eq?: { readonly attribute: string; readonly value: string };
}

let declared = false;
const scimError = (e: unknown) =>
  e instanceof StoreError ? new SCIMMY.Types.Error(e.status, e.scimType as string, e.message) : (e as Error);

/** Answers a list from the store: the indexed single `eq`, else scimmy's filter; the page size capped. */
function list<T extends { id: string }>(
  resource: { id?: string; filter?: unknown; constraints?: { count?: number; startIndex?: number } },
  ctx: Context,
  all: Map<string, T>,
  where: (attribute: string, value: string) => T[] | undefined,
): T | T[] {
  if (resource.id) {
    const found = all.get(resource.id);
    if (!found) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${resource.id} not found`);
    return found;
  }
  const max = ctx.store.maxResults;
  resource.constraints = { ...(resource.constraints ?? {}), count: Math.min(resource.constraints?.count ?? max, max) };
  if (ctx.eq) return where(ctx.eq.attribute, ctx.eq.value) ?? [];
  const filter = resource.filter as ({ [k: string]: unknown[] }[] & { match(v: T[]): T[] }) | undefined;
  if (!filter) return [...all.values()];
  const only = filter.length === 1 ? Object.entries(filter[0]!) : [];
  if (only.length === 1 && only[0]![1][0] === 'eq' && typeof only[0]![1][1] === 'string') {
    const fast = where(only[0]![0], only[0]![1][1]);
    if (fast) return fast;
  }
  return filter.match([...all.values()]);
}

function declareResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, instance, ctx: Context) => {
      try {
        return ctx.store.writeUser(resource.id, instance as unknown as Record<string, unknown>);
      } catch (e) {
        throw scimError(e);
      }
    })
    .egress((resource, ctx: Context) => list<StoredUser>(resource, ctx, ctx.store.users, (a, v) => ctx.store.usersWhere(a, v)))
    .degress((resource, ctx: Context) => {
      try {
        ctx.store.deleteUser(resource.id!);
      } catch (e) {
        throw scimError(e);
      }
    });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance, ctx: Context) => {
      try {
        return ctx.store.writeGroup(resource.id, instance as unknown as Record<string, unknown>);
      } catch (e) {
        throw scimError(e);
      }
    })
    .egress((resource, ctx: Context) => list<StoredGroup>(resource, ctx, ctx.store.groups, (a, v) => ctx.store.groupsWhere(a, v)))
    .degress((resource, ctx: Context) => {
      try {
        ctx.store.deleteGroup(resource.id!);
      } catch (e) {
        throw scimError(e);
      }
    });
}

const ESCAPED_EQ = /^\s*([A-Za-z][\w.]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

/** Starts a scimmy-backed SCIM service. Always `close()` it. */
export async function startScimmyServer(options: ScimmyServerOptions = {}): Promise<RunningScimmyServer> {
  declareResources();
  const maxResults = options.maxResults ?? 100;
  SCIMMY.Config.set('filter', maxResults);
  const store = new ScimStore(maxResults);
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const requests: Record<string, number> = {};
  const certs = await generateLocalCertificates(new Date());
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-scimmy-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  const app = express();
  app.locals.store = store;
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const path = new URL(req.url, 'https://x').pathname.replace(/^\/scim\/v2/, '');
    const key = `${req.method} ${path.replace(/^(\/(?:Users|Groups))\/.+$/, '$1/{id}')}`;
    requests[key] = (requests[key] ?? 0) + 1;
    next();
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    // scimmy cannot read an escaped filter string: take a single `eq` holding one out of its way (module comment).
    const url = new URL(req.url, 'https://x');
    const filter = url.searchParams.get('filter');
    const m = filter?.includes('\\') ? ESCAPED_EQ.exec(filter) : null;
    if (m) {
      (req as Request & { scimEq?: Context['eq'] }).scimEq = { attribute: m[1]!, value: JSON.parse(m[2]!) as string };
      url.searchParams.set('filter', 'id pr');
      req.url = `${url.pathname}${url.search}`;
    }
    // Express 5 parses `req.query` anew at every read, so scimmy-routers' cast of startIndex and count to numbers
    // (written for Express 4) is lost and scimmy ignores them: the query is fixed once, with the numbers cast.
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
    for (const k of ['startIndex', 'count']) if (/^\d+$/.test(String(query[k] ?? ''))) query[k] = Number(query[k]);
    Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true });
    next();
  });
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://datatracker.ietf.org/doc/html/rfc6750',
      handler: (req) => {
        const given = Buffer.from(req.header('authorization') ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          throw new Error('The bearer token is not valid.');
        return 'entra-sync';
      },
      context: (req) => ({
        store: (req.app.locals as { store: ScimStore }).store,
        eq: (req as Request & { scimEq?: Context['eq'] }).scimEq,
      }),
    }),
  );

  const server: Server = createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, app);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    info: { baseUrl: `https://127.0.0.1:${port}/scim/v2`, token, caCertPem: certs.caCertPem, caCertPath },
    store,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
