import { request, Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalCertificates, type LocalCertificates } from './certificates';
import { failureText, startHttpsServer } from './https-server';

/** The HTTPS server under every emulator: an emulator bug still answers, and close does not wait for idle clients. */
describe('the emulators’ HTTPS server', () => {
  let certs: LocalCertificates;
  beforeAll(async () => {
    certs = await generateLocalCertificates();
  });
  const agents: Agent[] = [];
  afterAll(() => agents.forEach((a) => a.destroy()));

  function get(origin: string, path: string, agent?: Agent): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${origin}${path}`, { ca: certs.caCertPem, agent }, (res) => {
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

  it('closes at once with a client still holding a keep-alive connection, and says so when the port is taken', async () => {
    const server = await startHttpsServer({
      certs,
      handle: async (_req, res) => void res.end('x'),
      answerFailure: () => undefined,
    });
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    agents.push(agent);
    expect((await get(server.origin, '/', agent)).status).toBe(200);
    const port = Number(new URL(server.origin).port);
    await expect(
      startHttpsServer({ certs, port, handle: async () => undefined, answerFailure: () => undefined }),
    ).rejects.toThrow(/EADDRINUSE/);
    // Without ending the idle socket, server.close() waits for the client's keep-alive (a minute here).
    await server.close();
    await expect(get(server.origin, '/')).rejects.toThrow(/ECONNREFUSED/);
  }, 10_000);
});
