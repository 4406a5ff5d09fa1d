/**
 * The HTTPS server every emulator runs on: 127.0.0.1, the emulator's own certificate, a handler whose failure still
 * answers (in the emulated product's shape, never a hung request), and a close that does not wait for idle
 * keep-alive connections.
 *
 * ```ts
 * const server = await startHttpsServer({ certs, port, handle, answerFailure: (res, error) => send(res, 500, …) });
 * server.origin; // https://127.0.0.1:<port>
 * await server.close();
 * ```
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HttpsServerOptions {
  readonly certs: { readonly serverKeyPem: string; readonly serverCertPem: string };
  /** Default 0: a free port. */
  readonly port?: number;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers a request whose handler threw (an emulator bug) before anything was sent, in the product's shape. */
  readonly answerFailure: (res: ServerResponse, error: unknown) => void;
}

export interface RunningHttpsServer {
  readonly origin: string;
  readonly server: Server;
  /** Stops listening and ends every open connection; resolves when the server has closed. */
  close(): Promise<void>;
}

/**
 * A request's body as text, or undefined (the request cut off) once it passes `maxBytes` (4 MiB by default): the
 * emulator answers 413 without reading the rest.
 */
export function readBody(req: IncomingMessage, maxBytes = 4 * 1024 * 1024): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The text of an emulator failure for its 500 answer. */
export function failureText(error: unknown): string {
  return `Emulator failure: ${error instanceof Error ? error.message : String(error)}`;
}

/** Starts the server and resolves once it listens (rejects when the port is taken). */
export async function startHttpsServer(options: HttpsServerOptions): Promise<RunningHttpsServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: options.certs.serverKeyPem, cert: options.certs.serverCertPem }, (req, res) => {
    options.handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else options.answerFailure(res, error);
    });
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client aborting the handshake is not an emulator error.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close() {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return done;
    },
  };
}
