/**
 * Test support: an independent HTTPS server on 127.0.0.1 acting as a hostile or flaky Entra + Graph, with a
 * certificate made at run time. Unlike the emulator it does whatever a test scripts — answer without checking the
 * token, link to another port or host, redirect to http, fail the next N requests — and records every request it
 * received, with its Authorization header, so a test can prove where the token went.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { customCloud, type Cloud } from '../../../shared/clouds';
import { generateLocalCertificates } from '../../emulator/certificates';
import type { Clock } from '../ports';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1.0/users?$top=1`. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly host: string | undefined;
}

/** What to answer: a status with JSON and headers, or a connection cut without an answer. */
export type Reply =
  | { readonly status: number; readonly json?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly reset: true };

/** Decides the answer to a Graph request (anything but the token POST). */
export type GraphRoute = (request: SeenRequest) => Reply | undefined;

export interface FakeGraph {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** PEM to trust (the CA that signed the server's certificate, for 127.0.0.1 and localhost). */
  readonly caCertPem: string;
  /** The access token the token endpoint hands out (a JWT-shaped string with `roles`). */
  readonly accessToken: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request received, token POSTs included, in order. */
  readonly seen: SeenRequest[];
  /** The Graph requests received (not the token POST). */
  graphRequests(): SeenRequest[];
  /** Answers Graph requests with `route` first; unmatched requests get the default tenant answers. */
  route(route: GraphRoute): void;
  /**
   * The next requests whose path starts with `pathPrefix` (token POSTs included) get these replies, one each, before
   * the normal answer.
   */
  queue(pathPrefix: string, replies: readonly Reply[]): void;
  /** This server as a custom cloud (token host and Graph root both on it). */
  cloud(graphBaseUrl?: string): Cloud;
  close(): Promise<void>;
}

const tenantId = '3f2c9a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const clientId = '8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Default answers of a small healthy tenant: 3 users, 2 named groups, the app's one secret. */
function defaultAnswer(request: SeenRequest, secretHint: string): Reply {
  const path = request.url.split('?')[0] ?? '';
  if (path === '/v1.0/users') {
    return { status: 200, json: { '@odata.count': 3, value: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }].slice(0, 1) } };
  }
  if (path === '/v1.0/groups') {
    return {
      status: 200,
      json: {
        '@odata.count': 2,
        value: [
          { id: 'g1', displayName: 'jira-users' },
          { id: 'g2', displayName: 'jira-admins' },
        ],
      },
    };
  }
  if (path.startsWith('/v1.0/applications(')) {
    const end = new Date(Date.now() + 200 * 86_400_000).toISOString();
    return {
      status: 200,
      json: {
        displayName: 'Entra Sync',
        passwordCredentials: [{ keyId: '0a0b0c0d-1111-4222-8333-444455556666', hint: secretHint, endDateTime: end }],
      },
    };
  }
  return { status: 404, json: { error: { code: 'Request_ResourceNotFound', message: `No route ${path}` } } };
}

function send(res: ServerResponse, reply: Reply): void {
  if ('reset' in reply) {
    res.socket?.destroy();
    return;
  }
  const body = reply.json === undefined ? '' : JSON.stringify(reply.json);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startFakeGraph(options: { readonly roles?: readonly string[] } = {}): Promise<FakeGraph> {
  const certs = await generateLocalCertificates();
  const clientSecret = `fk8Q~${randomBytes(24).toString('base64url').slice(0, 35)}`;
  const accessToken = [
    base64url({ alg: 'none', typ: 'JWT' }),
    base64url({
      aud: 'https://graph.microsoft.com',
      tid: tenantId,
      appid: clientId,
      roles: options.roles ?? ['Directory.Read.All'],
    }),
    randomBytes(16).toString('base64url'),
  ].join('.');
  const seen: SeenRequest[] = [];
  const routes: GraphRoute[] = [];
  const queues: { prefix: string; replies: Reply[] }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
      host: req.headers.host,
    };
    seen.push(request);
    // The body is read to the end so the client sees a complete exchange, whatever the answer.
    req.resume();
    req.on('end', () => {
      const queued = queues.find((q) => request.url.startsWith(q.prefix) && q.replies.length > 0)?.replies.shift();
      if (queued) {
        send(res, queued);
        return;
      }
      if (request.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(request.url.split('?')[0] ?? '')) {
        send(res, {
          status: 200,
          json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
        });
        return;
      }
      const reply = routes.map((r) => r(request)).find((r) => r !== undefined);
      send(res, reply ?? defaultAnswer(request, clientSecret.slice(0, 3)));
    });
  };

  const server: Server = createServer({ cert: certs.serverCertPem, key: certs.serverKeyPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    port,
    caCertPem: certs.caCertPem,
    accessToken,
    tenantId,
    clientId,
    clientSecret,
    seen,
    graphRequests: () => seen.filter((r) => r.method !== 'POST'),
    route: (route) => void routes.unshift(route),
    queue: (prefix, replies) => void queues.push({ prefix, replies: [...replies] }),
    cloud: (graphBaseUrl = origin) => customCloud({ authorityHost: origin, graphBaseUrl, label: 'Fake Graph' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A clock for retry tests: a timer fires on the next turn of the event loop and moves `now()` forward by its delay,
 * so waits are counted exactly and no test sleeps for real. `waits` lists every delay asked for.
 */
export function jumpingClock(start = new Date()): Clock & { readonly waits: number[] } {
  let now = start.getTime();
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(now),
    setTimeout(fn, ms) {
      waits.push(ms);
      let cancelled = false;
      setImmediate(() => {
        if (cancelled) return;
        now += ms;
        fn();
      });
      return () => {
        cancelled = true;
      };
    },
  };
}
