import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { BoundaryErrorCode } from '../../shared/errors';
import { dispatch } from '../services/app/dispatcher';
import type { EventHub } from '../services/app/events';
import type { Handlers } from '../../shared/ipc';
import type { Logger } from '../services/ports';

/**
 * The browser host's HTTP server: the built renderer plus the contract over HTTP, on 127.0.0.1 only.
 *
 * Every request needs the per-run token: the first page load carries it in the URL (`/?token=…`), which
 * sets a same-site cookie and redirects to a clean URL; API calls then send the cookie. Requests whose
 * Host or Origin is not this server's own loopback address are refused (DNS rebinding, other sites).
 */
export interface BrowserHostOptions {
  readonly rendererDir: string;
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly port?: number;
  readonly token?: string;
}

export interface RunningBrowserHost {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const cookieName = 'esa_token';
const maxBodyBytes = 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningBrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const indexPath = join(options.rendererDir, 'index.html');
  if (!existsSync(indexPath)) {
    throw new Error(`The renderer is not built (${indexPath} is missing). Run \`npm run build\` first.`);
  }
  const streams = new Set<ServerResponse>();
  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });

  let origin = '';
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error('browser host request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: BoundaryErrorCode.internal, message: 'Internal error.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host) return refuse(res, 'wrong host');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuse(res, 'foreign origin');

    const urlToken = url.searchParams.get('token');
    if (urlToken !== null && req.method === 'GET') {
      if (!sameToken(urlToken, token)) return refuse(res, 'bad token');
      res.writeHead(302, {
        'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!sameToken(readCookie(req) ?? '', token)) return refuse(res, 'missing or bad token');

    if (url.pathname.startsWith('/api/invoke/') && req.method === 'POST') {
      const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
      const body = await readBody(req);
      let payload: unknown;
      try {
        payload = body.length === 0 ? undefined : (JSON.parse(body) as { args?: unknown }).args;
      } catch {
        send(res, 400, {
          ok: false,
          error: { code: BoundaryErrorCode.invalidPayload, message: 'The request body is not JSON.' },
        });
        return;
      }
      send(res, 200, await dispatch(options.handlers, channel, payload, options.logger));
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'GET')
      return send(res, 405, { ok: false, error: { code: 'method-not-allowed', message: 'Method not allowed.' } });
    serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(options.rendererDir, relative);
    if (!file.startsWith(options.rendererDir + sep) && file !== options.rendererDir) return void send(res, 404, 'Not found');
    if (!existsSync(file) || statSync(file).isDirectory()) file = indexPath;
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    createReadStream(file).pipe(res);
  }

  function refuse(res: ServerResponse, why: string): void {
    options.logger.warn('browser host refused a request', { why });
    send(res, 403, { ok: false, error: { code: BoundaryErrorCode.forbiddenSender, message: 'This request is not allowed.' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'cache-control': 'no-store',
  });
  res.end(text);
}

function readCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
