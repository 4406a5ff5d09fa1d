/**
 * Test support: a Graph stand-in over real HTTPS on 127.0.0.1 for answers the demo tenant never gives (link loops,
 * malformed items, NULs). It answers the token request like Entra and every GET with what the test's handler
 * returns; the client side is the production connection (msal-node, the Graph client, our transport), so nothing of
 * our HTTP path is replaced.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { customCloud } from '../../../shared/clouds';
import { generateLocalCertificates } from '../../emulator/certificates';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import { createGraphConnection, type GraphConnection } from './graph-client';

/** What the handler sees of a Graph GET: the path after `/v1.0` and the query. */
export interface StandInRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  /** The full URL, as sent. */
  readonly url: string;
}

/** A JSON body (status 200), or a status with a body. */
export type StandInAnswer = unknown | { readonly status: number; readonly body: unknown };

export interface GraphStandIn {
  readonly origin: string;
  readonly connection: GraphConnection;
  /** Graph GETs received so far. */
  readonly requests: StandInRequest[];
  close(): Promise<void>;
}

/** Answers with `{ status, body }` instead of a 200. */
export function withStatus(status: number, body: unknown): { status: number; body: unknown; [answerMark]: true } {
  return { status, body, [answerMark]: true };
}
const answerMark = Symbol('stand-in answer');

/** Starts the stand-in; `handle` answers each Graph GET. Always `close()` it. */
export async function startGraphStandIn(handle: (request: StandInRequest) => StandInAnswer): Promise<GraphStandIn> {
  const certs = await generateLocalCertificates();
  const requests: StandInRequest[] = [];
  const sockets = new Set<Socket>();
  // Next-page links up to the 16,384 characters the pager accepts (Node's default header limit is 16 KB).
  const tls = { key: certs.serverKeyPem, cert: certs.serverCertPem, maxHeaderSize: 65_536 };
  const server: Server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
        return send(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'stand-in-token' });
      }
      if (!url.pathname.startsWith('/v1.0/')) return send(404, { error: { code: 'NotFound', message: url.pathname } });
      const request = { path: url.pathname.slice('/v1.0'.length), query: url.searchParams, url: `${origin}${req.url}` };
      requests.push(request);
      const answer = handle(request);
      if (answer && typeof answer === 'object' && answerMark in answer) {
        const { status, body } = answer as unknown as { status: number; body: unknown };
        return send(status, body);
      }
      send(200, answer);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport: HttpTransport = createHttpTransport({ extraCaPem: certs.caCertPem, timeoutMs: 15_000, env: {} });
  const connection = createGraphConnection({
    cloud: customCloud({ authorityHost: origin, graphBaseUrl: origin }),
    tenantId: '11111111-2222-3333-4444-555555555555',
    clientId: '66666666-7777-8888-9999-000000000000',
    clientSecret: ['stand', 'in', 'secret'].join('-'),
    transport,
  });
  return {
    origin,
    connection,
    requests,
    async close() {
      connection.close();
      await transport.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
