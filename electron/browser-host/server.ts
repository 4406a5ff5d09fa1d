import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { BoundaryErrorCode } from '../../shared/errors';
import { dispatch } from '../services/app/dispatcher';
import type { EventHub } from '../services/app/events';
import type { Handlers } from '../../shared/ipc';
import { systemClock, type Clock, type Logger } from '../services/ports';
import { streamExport } from '../services/sync/export';
import { downloadPathPrefix, type BrowserDownloads } from './downloads';

/**
 * The browser host's HTTP server: the built renderer plus the contract over HTTP, on 127.0.0.1 only.
 *
 * Every request needs the per-run token: the first page load carries it in the URL (`/?token=…`), which
 * sets a same-site cookie and redirects to a clean URL; API calls then send the cookie. Requests whose
 * Host or Origin is not this server's own loopback address are refused (DNS rebinding, other sites) — the Origin
 * check is also what stops a page on another loopback port, since cookies ignore ports. The cookie's name carries
 * the port, so a second preview in the same browser does not replace the first one's cookie.
 */
export interface BrowserHostOptions {
  readonly rendererDir: string;
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly port?: number;
  readonly token?: string;
  /** Where exports wait for the page to download them (without it, export channels answer as the core decides). */
  readonly downloads?: BrowserDownloads;
  /** For the refusal log's once-a-minute summary. */
  readonly clock?: Clock;
}

export interface RunningBrowserHost {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;
/** Refused requests are logged as one line per this period, with a count (a hostile page can send thousands). */
const refusalLogPeriodMs = 60_000;

/** A request the server cannot read: answered with its status, never a 500. */
class RequestError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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
  const clock = options.clock ?? systemClock;
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
  let cookieName = '';
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof RequestError) {
        if (error.status === 413) {
          // The rest of the body is not read: close the connection once the answer is out.
          res.setHeader('connection', 'close');
          res.on('finish', () => req.destroy());
        }
        if (!res.headersSent) return send(res, error.status, { ok: false, error: { code: error.code, message: error.message } });
      }
      options.logger.error('browser host request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: BoundaryErrorCode.internal, message: 'Internal error.' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host) return refuse(res, 'wrong host');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuse(res, 'foreign origin');

    const urlToken = url.searchParams.get('token');
    if (urlToken !== null && req.method === 'GET') {
      if (!sameToken(urlToken, token)) return refuse(res, 'wrong link');
      res.writeHead(302, {
        'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!sameToken(readCookie(req, cookieName) ?? '', token)) return refuse(res, 'no session');

    if (url.pathname.startsWith('/api/invoke/') && req.method === 'POST') {
      const channel = decodePath(url.pathname.slice('/api/invoke/'.length));
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
    if (url.pathname.startsWith(downloadPathPrefix) && req.method === 'GET' && options.downloads) {
      return serveDownload(url.pathname.slice(downloadPathPrefix.length), res);
    }
    if (req.method !== 'GET')
      return send(res, 405, { ok: false, error: { code: 'method-not-allowed', message: 'Method not allowed.' } });
    serveStatic(url.pathname, res);
  }

  async function serveDownload(id: string, res: ServerResponse): Promise<void> {
    const job = options.downloads?.take(id);
    if (!job) return send(res, 404, 'This export link was already used or has expired. Export again from the app.');
    const ascii = job.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
    res.writeHead(200, {
      'content-type': `${job.mimeType}; charset=utf-8`,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(job.fileName)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    try {
      const rows = await streamExport(job, res);
      options.logger.info('browser host: export downloaded', { fileName: job.fileName, rows });
    } catch (error) {
      // Mostly the admin cancelling the download; the browser shows it as failed either way.
      options.logger.warn('browser host: export stopped', { fileName: job.fileName, error: String(error) });
      res.destroy();
    }
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const relative = normalize(decodePath(pathname)).replace(/^([/\\])+/, '');
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

  // Refusals since the last line; the first one is logged at once, later ones at most once per period. Reasons are
  // log keys, so none may look like a credential's name (the logger would redact its count).
  const refusals = { count: 0, reasons: {} as Record<string, number>, lastLogged: Number.NEGATIVE_INFINITY };
  function logRefusals(): void {
    if (refusals.count === 0) return;
    options.logger.warn('browser host refused requests', { count: refusals.count, reasons: refusals.reasons });
    refusals.count = 0;
    refusals.reasons = {};
  }

  function refuse(res: ServerResponse, why: string): void {
    refusals.count++;
    refusals.reasons[why] = (refusals.reasons[why] ?? 0) + 1;
    const now = clock.now().getTime();
    if (now - refusals.lastLogged >= refusalLogPeriodMs) {
      refusals.lastLogged = now;
      logRefusals();
    }
    send(res, 403, { ok: false, error: { code: BoundaryErrorCode.forbiddenSender, message: 'This request is not allowed.' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  cookieName = `esa_token_${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      logRefusals();
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

function readCookie(req: IncomingMessage, cookieName: string): string | undefined {
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

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new RequestError(400, 'bad-request', 'The address has a broken percent-encoding (such as %E0%A4%A).');
  }
}

const tooLarge = () =>
  new RequestError(413, 'payload-too-large', `The request body is larger than ${maxBodyBytes / 1024 / 1024} MB.`);

/** The body as text, refused with 413 past the limit (by Content-Length at once, else while reading). */
function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      over = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on('end', () => over || resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
