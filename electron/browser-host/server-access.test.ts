import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore } from '../services/app/test-core';
import { createLineLogger } from '../services/logging/line-logger';
import { FakeClock } from '../services/schedule/fake-clock';
import { startBrowserHost, type RunningBrowserHost } from './server';

/**
 * The browser host's sign-in and static files, over real HTTP: the URL token is traded for a cookie only by a page
 * load with the right token, the cookie is read whole, every refusal is logged under its reason, and the built
 * renderer is served file by file with index.html for everything else.
 */
let root: string;
let rendererDir: string;
let test: ReturnType<typeof createTestCore>;
let clock: FakeClock;
let logLines: string[];
const hosts: RunningBrowserHost[] = [];

async function start(token?: string): Promise<RunningBrowserHost> {
  const host = await startBrowserHost({
    rendererDir,
    handlers: test.core.handlers,
    events: test.events,
    logger: createLineLogger((line) => logLines.push(line)),
    clock,
    ...(token === undefined ? {} : { token }),
  });
  hosts.push(host);
  return host;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'esa-access-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'outside.txt'), 'not for the browser');
  test = createTestCore();
  clock = new FakeClock('2026-03-01T10:00:00Z');
  logLines = [];
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  await test.dispose();
  rmSync(root, { recursive: true, force: true });
});

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function raw(host: RunningBrowserHost, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(new URL(host.origin), { path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookieOf = (host: RunningBrowserHost, token = host.token) => `esa_token_${new URL(host.origin).port}=${token}`;
const refusalReasons = () =>
  logLines
    .map((line) => JSON.parse(line) as { message: string; reasons?: Record<string, number> })
    .filter((entry) => entry.message === 'browser host refused requests')
    .map((entry) => entry.reasons);

describe('browser host sign-in', () => {
  it('trades the right URL token for an HttpOnly, strict, site-wide cookie and a clean, uncached redirect', async () => {
    const host = await start();
    const reply = await raw(host, `/settings?token=${host.token}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/settings');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['set-cookie']).toEqual([`${cookieOf(host)}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  it('refuses a page load with a wrong token, and sets no cookie', async () => {
    const host = await start();
    const reply = await raw(host, `/?token=${'x'.repeat(host.token.length)}`);
    expect(reply.status).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(refusalReasons()).toEqual([{ 'wrong link': 1 }]);
  });

  it('does not sign in an API call that carries the token in its URL: only a page load trades it', async () => {
    const host = await start();
    const reply = await raw(host, `/api/invoke/app:getInfo?token=${host.token}`, { method: 'POST' });
    expect(reply.status).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(refusalReasons()).toEqual([{ 'no session': 1 }]);
  });

  it('reads the whole cookie value, a token with "=" in it included', async () => {
    const host = await start('padded==token');
    expect((await raw(host, '/', { headers: { cookie: `other=1; ${cookieOf(host)}` } })).status).toBe(200);
    expect((await raw(host, '/', { headers: { cookie: cookieOf(host, 'padded') } })).status).toBe(403);
  });

  it('logs each refusal under its reason', async () => {
    const host = await start();
    await raw(host, '/', { headers: { host: 'rebind.example' } });
    expect(refusalReasons()).toEqual([{ 'wrong host': 1 }]);
  });
});

describe('browser host static files', () => {
  const signedIn = (host: RunningBrowserHost) => ({ headers: { cookie: cookieOf(host) } });

  it('serves the page at / and a built asset as itself, with its type, never cached or framed', async () => {
    const host = await start();
    const page = await raw(host, '/', signedIn(host));
    expect(page).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    const asset = await raw(host, '/assets/app.js', signedIn(host));
    expect(asset).toMatchObject({ status: 200, body: 'console.log("app");' });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers a missing file or a folder with the page (client-side routes)', async () => {
    const host = await start();
    for (const path of ['/sync/history', '/assets/', '/assets']) {
      expect(await raw(host, path, signedIn(host)), path).toMatchObject({
        status: 200,
        body: '<!doctype html><title>app</title>',
      });
    }
  });

  it('never serves a file outside the renderer folder, however the path is written', async () => {
    const host = await start();
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '//../outside.txt',
      '/assets/../../outside.txt',
    ]) {
      const reply = await raw(host, path, signedIn(host));
      expect(reply.body, path).not.toContain('not for the browser');
    }
  });
});
