import { request } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateLocalCertificates, type LocalCertificates } from './certificates';
import { failureText, readBody, startHttpsServer } from './https-server';

/** The HTTPS server under every emulator: an emulator bug still answers, and close does not wait for open requests. */
describe('the emulators’ HTTPS server', () => {
  let certs: LocalCertificates;
  beforeAll(async () => {
    certs = await generateLocalCertificates();
  });

  function get(origin: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${origin}${path}`, { ca: certs.caCertPem }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves on 127.0.0.1, and a handler that throws is answered in the emulator’s own shape', async () => {
    const server = await startHttpsServer({
      certs,
      handle: async (req, res) => {
        if (req.url === '/ok') return void res.end('fine');
        if (req.url === '/late') res.writeHead(200);
        throw new Error('bug in the emulator');
      },
      answerFailure: (res, error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ failure: failureText(error) }));
      },
    });
    try {
      expect(server.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(server.origin, '/ok')).toEqual({ status: 200, body: 'fine' });
      expect(await get(server.origin, '/bug')).toEqual({
        status: 500,
        body: JSON.stringify({ failure: 'Emulator failure: bug in the emulator' }),
      });
      // Headers already sent: the connection is cut rather than left hanging.
      await expect(get(server.origin, '/late')).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('reads a body up to its limit, and cuts the request off beyond it', async () => {
    const seen: (string | undefined)[] = [];
    const server = await startHttpsServer({
      certs,
      handle: async (req, res) => {
        const body = await readBody(req, 16);
        seen.push(body);
        res.end(body === undefined ? 'too large' : `got ${body}`);
      },
      answerFailure: (res) => res.end(),
    });
    const post = (body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${server.origin}/`, { method: 'POST', ca: certs.caCertPem }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await post('héllo, wörld')).toBe('got héllo, wörld');
      await post('x'.repeat(64)).catch(() => 'cut off');
      expect(seen).toEqual(['héllo, wörld', undefined]);
    } finally {
      await server.close();
    }
  });

  it('closes at once with a request still open, and says so when the port is taken', async () => {
    let arrived: () => void = () => undefined;
    const hangArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = await startHttpsServer({
      certs,
      handle: (req, res) => {
        if (req.url !== '/hang') return Promise.resolve(void res.end('x'));
        arrived();
        return new Promise<void>(() => undefined);
      },
      answerFailure: () => undefined,
    });
    expect((await get(server.origin, '/')).status).toBe(200);
    const port = Number(new URL(server.origin).port);
    await expect(
      startHttpsServer({ certs, port, handle: async () => undefined, answerFailure: () => undefined }),
    ).rejects.toThrow(/EADDRINUSE/);
    const hanging = get(server.origin, '/hang');
    hanging.catch(() => undefined);
    await hangArrived;
    // Without ending open connections, close() waits for the hanging request for ever (the test times out).
    await server.close();
    await expect(hanging).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(get(server.origin, '/')).rejects.toThrow(/ECONNREFUSED/);
  }, 10_000);
});
