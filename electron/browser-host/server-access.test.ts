import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cookieOf, raw, signedIn, useTestHost } from './test-host';

/**
 * The browser host's sign-in and static files, over real HTTP: the URL token is traded for a cookie only by a page
 * load with the right token, the cookie is read whole, every refusal is logged under its reason, and the built
 * renderer is served file by file with index.html for everything else.
 */
const world = useTestHost();
const start = (token?: string) => world.start(token === undefined ? {} : { token });

beforeEach(() => {
  mkdirSync(join(world.rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(world.rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(world.root, 'outside.txt'), 'not for the browser');
});

const refusalReasons = () =>
  world
    .entries()
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
