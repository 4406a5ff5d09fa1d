import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../shared/ipc';
import { exportMimeTypes, type ExportJob } from '../services/sync/export';
import { cookieOf, raw, signedIn, useTestHost } from './test-host';

/**
 * What the browser host answers, header by header, over real HTTP: JSON and text answers, refusals, unreadable
 * bodies and the body limit at its edge, the event stream, downloads, start-up and unexpected failures.
 */
const world = useTestHost();
const start = world.start;
const entries = world.entries;
const megabyte = 1024 * 1024;

/** A JSON body of exactly `size` bytes that asks app:getInfo with no args. */
function jsonOfSize(size: number): string {
  const head = '{"pad":"';
  const tail = '"}';
  return head + 'a'.repeat(size - head.length - tail.length) + tail;
}

describe('browser host answers', () => {
  it('answers calls as uncached JSON, and text bodies as text', async () => {
    const host = await start();
    const call = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', ...signedIn(host), body: '{}' });
    expect(call.status).toBe(200);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(call.body)).toMatchObject({ ok: true });
    const unknown = await raw(host, '/api/export/nothing-here', signedIn(host));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('text/plain');
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect(unknown.body).toBe('This export link was already used or has expired. Export again from the app.');
  });

  it('refuses with 403 in JSON, in its own words', async () => {
    const host = await start();
    const refused = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', body: '{}' });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(refused.body)).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: 'This request is not allowed.' },
    });
  });

  it('answers a request with no Cookie header at all with a refusal', async () => {
    const host = await start();
    const reply = await raw(host, '/');
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('<title>');
  });

  it('answers a body that is not JSON with 400 invalid-payload, and passes no args for an empty body', async () => {
    const host = await start();
    const broken = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', ...signedIn(host), body: '{args:' });
    expect(broken.status).toBe(400);
    expect(broken.headers['content-type']).toBe('application/json');
    expect(JSON.parse(broken.body)).toEqual({
      ok: false,
      error: { code: 'invalid-payload', message: 'The request body is not JSON.' },
    });
    const empty = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', ...signedIn(host) });
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toMatchObject({ ok: true });
  });

  it('says what is broken in a percent-encoding', async () => {
    const host = await start();
    const reply = await raw(host, '/assets/%E0%A4%A', signedIn(host));
    expect(JSON.parse(reply.body)).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'The address has a broken percent-encoding (such as %E0%A4%A).' },
    });
    // A request it cannot read but whose body was not cut short keeps its connection.
    expect(reply.headers.connection).toBe('keep-alive');
  });

  it('invokes only on POST, and answers other methods than GET with 405', async () => {
    const host = await start();
    const get = await raw(host, '/api/invoke/app:getInfo', signedIn(host));
    expect(get).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    for (const path of ['/', '/api/events', '/api/export/some-id']) {
      const post = await raw(host, path, { method: 'POST', ...signedIn(host), body: '{}' });
      expect(post.status, path).toBe(405);
      expect(post.headers['content-type'], path).toBe('application/json');
      expect(JSON.parse(post.body), path).toEqual({
        ok: false,
        error: { code: 'method-not-allowed', message: 'Method not allowed.' },
      });
    }
  });
});

describe('browser host body limit', () => {
  it('reads a body of exactly 1 MB, announced or chunked, and refuses one byte more in its own words', async () => {
    const host = await start();
    const exact = jsonOfSize(megabyte);
    expect(Buffer.byteLength(exact)).toBe(megabyte);
    const announced = await raw(host, '/api/invoke/app:getInfo', {
      method: 'POST',
      ...signedIn(host, { 'content-length': String(megabyte) }),
      body: exact,
    });
    expect(announced.status).toBe(200);
    expect(JSON.parse(announced.body)).toMatchObject({ ok: true });
    const chunked = await raw(host, '/api/invoke/app:getInfo', {
      method: 'POST',
      ...signedIn(host, { 'transfer-encoding': 'chunked' }),
      body: exact,
    });
    expect(chunked.status).toBe(200);
    const overHeaders: Record<string, string>[] = [
      { 'content-length': String(megabyte + 1) },
      { 'transfer-encoding': 'chunked' },
    ];
    for (const headers of overHeaders) {
      const over = await raw(host, '/api/invoke/app:getInfo', {
        method: 'POST',
        ...signedIn(host, headers),
        body: jsonOfSize(megabyte + 1),
      });
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body)).toEqual({
        ok: false,
        error: { code: 'payload-too-large', message: 'The request body is larger than 1 MB.' },
      });
      expect(over.headers.connection).toBe('close');
    }
  });

  it('refuses a body announced as too large before any of it arrives, and closes the connection', async () => {
    const host = await start();
    const answer = new Promise<{ status: number; closed: Promise<void> }>((resolve, reject) => {
      const req = request(new URL('/api/invoke/app:getInfo', host.origin), {
        method: 'POST',
        headers: { cookie: cookieOf(host), 'content-length': String(20 * megabyte), connection: 'keep-alive' },
      });
      req.on('response', (res) => {
        res.resume();
        const closed = new Promise<void>((done) => req.socket?.once('close', () => done()));
        resolve({ status: res.statusCode ?? 0, closed });
      });
      req.on('error', () => undefined);
      req.on('socket', (socket) => socket.on('error', reject));
      // Headers only: the 20 MB never come.
      req.flushHeaders();
    });
    const { status, closed } = await answer;
    expect(status).toBe(413);
    await closed;
  });
});

describe('browser host event stream', () => {
  it('opens an uncached event stream on GET, and drops it when the page closes it', async () => {
    const host = await start();
    const opened = await new Promise<{ headers: Record<string, string | string[] | undefined>; first: string }>(
      (resolve, reject) => {
        const req = request(new URL('/api/events', host.origin), { headers: { cookie: cookieOf(host) } }, (res) => {
          res.setEncoding('utf8');
          res.once('data', (chunk: string) => {
            req.destroy();
            resolve({ headers: res.headers, first: chunk });
          });
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(opened.headers['content-type']).toBe('text/event-stream');
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.headers.connection).toBe('keep-alive');
    expect(opened.first).toBe(': connected\n\n');
    // An event after the page went away reaches nobody and breaks nothing.
    world.test.events.emit('app:notification', { id: 'n1', title: 'Hello', body: 'World', severity: 'info' });
    expect((await raw(host, '/api/invoke/app:getInfo', { method: 'POST', ...signedIn(host), body: '{}' })).status).toBe(200);
  });
});

describe('browser host downloads', () => {
  const job = (write: ExportJob['write']): ExportJob => ({ fileName: 'users Zoë.csv', mimeType: exportMimeTypes.csv, write });

  it('sends an export uncached and unsniffed, and logs its file and rows', async () => {
    const host = await start();
    const result = await world.downloads.deliver(
      job(async (sink) => {
        await sink('a,b\r\n');
        await sink('c,d\r\n');
        return 2;
      }),
    );
    if (result.status !== 'download') throw new Error(`expected a download, got ${result.status}`);
    const file = await raw(host, result.url, signedIn(host));
    expect(file.status).toBe(200);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^attachment; /);
    expect(file.body).toBe('\ufeffa,b\r\nc,d\r\n');
    expect(entries()).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'browser host: export downloaded', fileName: 'users Zoë.csv', rows: 2 }),
    );
  });

  it('cuts a download whose export fails midway, and logs that it stopped', async () => {
    const host = await start();
    const result = await world.downloads.deliver(
      job(async (sink) => {
        await sink('a,b\r\n');
        throw new Error('the directory went away');
      }),
    );
    if (result.status !== 'download') throw new Error(`expected a download, got ${result.status}`);
    const file = await raw(host, result.url, signedIn(host));
    expect(file.complete).toBe(false);
    expect(entries()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'browser host: export stopped',
        fileName: 'users Zoë.csv',
        error: 'Error: the directory went away',
      }),
    );
    expect(entries().filter((entry) => entry.message === 'browser host: export downloaded')).toEqual([]);
  });
});

describe('browser host static file types', () => {
  it('serves each built file type with its content type, and an unknown one as bytes', async () => {
    const host = await start();
    const types: Record<string, string> = {
      'app.css': 'text/css; charset=utf-8',
      'logo.svg': 'image/svg+xml',
      'logo.png': 'image/png',
      'favicon.ico': 'image/x-icon',
      'manifest.json': 'application/json',
      'font.woff2': 'font/woff2',
      'data.bin': 'application/octet-stream',
    };
    for (const [name, type] of Object.entries(types)) {
      writeFileSync(join(world.rendererDir, name), `content of ${name}`);
      const reply = await raw(host, `/${name}`, signedIn(host));
      expect(reply, name).toMatchObject({ status: 200, body: `content of ${name}` });
      expect(reply.headers['content-type'], name).toBe(type);
    }
  });
});

describe('browser host start-up', () => {
  it('refuses to start without a built renderer, and says how to build it', async () => {
    rmSync(join(world.rendererDir, 'index.html'));
    await expect(start()).rejects.toThrow(
      `The renderer is not built (${join(world.rendererDir, 'index.html')} is missing). Run \`npm run build\` first.`,
    );
  });

  it('listens on the port it is given, on IPv4 loopback only, and hands out the signed link', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const host = await start({ port: free });
    expect(host.origin).toBe(`http://127.0.0.1:${free}`);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect((await raw(host, '/', signedIn(host))).status).toBe(200);
    // Not on the IPv6 loopback (nor any other address): a listener on every address would answer there.
    const v6 = await new Promise<string>((resolve) => {
      const req = request({ host: '::1', port: free, path: '/' }, (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end();
    });
    expect(v6).toBe('ECONNREFUSED');
  });

  it('fails to start on a port already taken', async () => {
    const first = await start();
    await expect(start({ port: Number(new URL(first.origin).port) })).rejects.toThrow(/EADDRINUSE/);
  });

  it('logs no refusal line when nothing was refused, nor a second one for refusals already logged', async () => {
    const host = await start();
    await host.close();
    const second = await start();
    await raw(second, '/');
    await second.close();
    world.forget(host, second);
    expect(entries().filter((entry) => entry.message === 'browser host refused requests')).toEqual([
      expect.objectContaining({ count: 1 }),
    ]);
  });
});

describe('browser host unexpected failures', () => {
  it('answers 500 internal-error and logs one line when an answer cannot be sent', async () => {
    const handlers = {
      ...world.test.core.handlers,
      // A value JSON cannot write: the failure happens in the host, after the dispatcher answered.
      'app:getInfo': async () => ({ size: 1n }),
    } as unknown as Handlers;
    const host = await start({ handlers });
    const reply = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', ...signedIn(host), body: '{}' });
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'internal-error', message: 'Internal error.' } });
    const failures = entries().filter((entry) => entry.level === 'error');
    expect(failures).toEqual([
      expect.objectContaining({ message: 'browser host request failed', error: expect.stringContaining('BigInt') }),
    ]);
    // The host still answers.
    expect((await raw(host, '/', signedIn(host))).status).toBe(200);
  });
});
