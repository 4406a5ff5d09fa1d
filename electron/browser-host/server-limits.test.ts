import { describe, expect, it } from 'vitest';
import { exportMimeTypes, type ExportJob } from '../services/sync/export';
import { type RunningBrowserHost } from './server';
import { cookieOf, raw, useTestHost } from './test-host';

/** Access checks and limits of the browser host, over real HTTP with the headers a hostile local page could send. */
const world = useTestHost();
const start = () => world.start();

const invoke = (host: RunningBrowserHost, headers: Record<string, string>, body = JSON.stringify({ args: undefined })) =>
  raw(host, '/api/invoke/app:getInfo', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    chunks: [body],
  });

describe('browser host access checks', () => {
  it('refuses a page on another loopback port, although the browser sends it our cookie', async () => {
    const host = await start();
    const port = Number(new URL(host.origin).port);
    const cookie = cookieOf(host);
    expect((await invoke(host, { cookie, origin: host.origin })).status).toBe(200);
    for (const origin of [`http://127.0.0.1:${port + 1}`, `http://localhost:${port}`, `https://127.0.0.1:${port}`, 'null']) {
      const refused = await invoke(host, { cookie, origin });
      expect(refused.status, origin).toBe(403);
      expect(JSON.parse(refused.body), origin).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
  });

  it('refuses a Host header that is not exactly our address and port (DNS rebinding)', async () => {
    const host = await start();
    const port = Number(new URL(host.origin).port);
    const cookie = cookieOf(host);
    for (const name of [`127.0.0.1:${port + 1}`, `localhost:${port}`, '127.0.0.1', `rebind.example:${port}`]) {
      expect((await invoke(host, { cookie, host: name })).status, name).toBe(403);
    }
  });

  it('names its cookie after its port, so a second preview in the same browser keeps the first one signed in', async () => {
    const first = await start();
    const second = await start();
    const setCookie = async (host: RunningBrowserHost) =>
      String((await raw(host, `/?token=${host.token}`)).headers['set-cookie']).split('=')[0];
    expect(await setCookie(first)).toBe(`esa_token_${new URL(first.origin).port}`);
    expect(await setCookie(second)).toBe(`esa_token_${new URL(second.origin).port}`);
    // What the browser sends to either port: both cookies, since cookies ignore ports.
    const both = `${cookieOf(first)}; ${cookieOf(second)}`;
    expect((await invoke(first, { cookie: both })).status).toBe(200);
    expect((await invoke(second, { cookie: both })).status).toBe(200);
    expect((await invoke(first, { cookie: cookieOf(second) })).status).toBe(403);
  });

  it('logs refused requests once a minute with a count, not one line each', async () => {
    const host = await start();
    const warnings = () => world.entries().filter((l) => l.level === 'warn');
    for (let i = 0; i < 200; i++) await invoke(host, { cookie: 'nope=1' });
    expect(warnings()).toEqual([expect.objectContaining({ count: 1, reasons: { 'no session': 1 } })]);
    await world.clock.advance(30_000);
    await invoke(host, { cookie: cookieOf(host), origin: 'http://127.0.0.1:1' });
    expect(warnings()).toHaveLength(1);
    await world.clock.advance(30_000);
    await invoke(host, { cookie: 'nope=1' });
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ count: 201, reasons: { 'no session': 200, 'foreign origin': 1 } });
    await invoke(host, { cookie: 'nope=1' });
    await host.close();
    world.forget(host);
    expect(warnings()).toHaveLength(3);
    expect(warnings()[2]).toMatchObject({ count: 1 });
  });
});

describe('browser host limits', () => {
  it('answers 400, not 500, to a broken percent-encoding in a path', async () => {
    const host = await start();
    const cookie = cookieOf(host);
    const page = await raw(host, '/assets/%E0%A4%A', { headers: { cookie } });
    expect(page.status).toBe(400);
    expect(JSON.parse(page.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const call = await raw(host, '/api/invoke/app%ZZgetInfo', { method: 'POST', headers: { cookie }, chunks: ['{}'] });
    expect(call.status).toBe(400);
    expect(world.logLines.filter((l) => l.includes('"error"'))).toEqual([]);
  });

  it('answers 413, not 500, to a 20 MB body, whether announced by Content-Length or sent in chunks', async () => {
    const host = await start();
    const cookie = cookieOf(host);
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    const announced = await raw(host, '/api/invoke/app:getInfo', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'content-length': String(big.length) },
      chunks: [big],
    });
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
    const chunks = Array.from({ length: 20 }, () => big.subarray(0, 1024 * 1024));
    const chunked = await raw(host, '/api/invoke/app:getInfo', { method: 'POST', headers: { cookie }, chunks });
    expect(chunked.status).toBe(413);
    // The server is still fine afterwards.
    expect((await invoke(host, { cookie })).status).toBe(200);
  });
});

describe('browser host downloads', () => {
  function job(rows: number): ExportJob {
    return {
      fileName: 'sync-run-Zoë.csv',
      mimeType: exportMimeTypes.csv,
      async write(sink) {
        for (let i = 0; i < rows; i++) await sink(`${i},row\r\n`);
        return rows;
      },
    };
  }

  it('streams an export once, behind the session cookie, as an attachment', async () => {
    const host = await start();
    const result = await world.downloads.deliver(job(100_000));
    if (result.status !== 'download') throw new Error(`expected a download, got ${result.status}`);
    expect((await raw(host, result.url)).status).toBe(403);
    const file = await raw(host, result.url, { headers: { cookie: cookieOf(host) } });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="sync-run-Zo_.csv"; filename*=UTF-8''${encodeURIComponent('sync-run-Zoë.csv')}`,
    );
    const lines = file.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines).toHaveLength(100_001);
    expect(lines.at(-2)).toBe('99999,row');
    expect((await raw(host, result.url, { headers: { cookie: cookieOf(host) } })).status).toBe(404);
  });

  it('lets a download link expire after five minutes', async () => {
    const host = await start();
    const result = await world.downloads.deliver(job(1));
    if (result.status !== 'download') throw new Error(`expected a download, got ${result.status}`);
    await world.clock.advance(5 * 60_000);
    expect((await raw(host, result.url, { headers: { cookie: cookieOf(host) } })).status).toBe(404);
  });
});
