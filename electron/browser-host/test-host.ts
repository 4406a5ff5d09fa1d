import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createTestCore } from '../services/app/test-core';
import { createLineLogger } from '../services/logging/line-logger';
import { FakeClock } from '../services/schedule/fake-clock';
import { createBrowserDownloads, type BrowserDownloads } from './downloads';
import { startBrowserHost, type BrowserHostOptions, type RunningBrowserHost } from './server';

/**
 * Test support for the browser host's tests (only tests import it; vitest runs *.test.ts files only, and no app
 * entry imports it, so it is never bundled): a host started over real HTTP on a built renderer folder, with a test
 * core, a fake clock, downloads and a logger that keeps its lines, and raw requests that send any header a hostile
 * local page could.
 */
export interface TestHostWorld {
  /** A fresh folder per test; the renderer is built into `renderer/` inside it, so tests can put files beside it. */
  readonly root: string;
  /** Holds index.html. */
  readonly rendererDir: string;
  readonly test: ReturnType<typeof createTestCore>;
  readonly clock: FakeClock;
  readonly logLines: string[];
  readonly downloads: BrowserDownloads;
  /** Starts a host on this test's core, clock, logger and downloads; it is closed after the test. */
  start(overrides?: Partial<BrowserHostOptions>): Promise<RunningBrowserHost>;
  /** Every log line, parsed. */
  entries(): Record<string, unknown>[];
  /** Stops closing these hosts after the test: the test closed them itself and checks what closing did. */
  forget(...hosts: RunningBrowserHost[]): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Registers the hooks that give each test of the file a fresh world (read its fields inside tests only). */
export function useTestHost(): TestHostWorld {
  const hosts: RunningBrowserHost[] = [];
  const world = {
    async start(overrides: Partial<BrowserHostOptions> = {}) {
      const host = await startBrowserHost({
        rendererDir: world.rendererDir,
        handlers: world.test.core.handlers,
        events: world.test.events,
        logger: createLineLogger((line) => world.logLines.push(line)),
        clock: world.clock,
        downloads: world.downloads,
        ...overrides,
      });
      hosts.push(host);
      return host;
    },
    entries: () => world.logLines.map((line) => JSON.parse(line) as Record<string, unknown>),
    forget(...forgotten: RunningBrowserHost[]) {
      for (const host of forgotten) hosts.splice(hosts.indexOf(host), 1);
    },
  } as Mutable<TestHostWorld>;

  beforeEach(() => {
    world.root = mkdtempSync(join(tmpdir(), 'esa-host-'));
    world.rendererDir = join(world.root, 'renderer');
    mkdirSync(world.rendererDir, { recursive: true });
    writeFileSync(join(world.rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    world.test = createTestCore();
    world.clock = new FakeClock('2026-03-01T10:00:00Z');
    world.logLines = [];
    world.downloads = createBrowserDownloads(world.clock);
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close();
    await world.test.dispose();
    rmSync(world.root, { recursive: true, force: true });
  });
  return world;
}

export type Reply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** False when the connection closed before the whole answer came. */
  complete: boolean;
};

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent last, with the end of the request. */
  body?: string | Buffer;
  /** Written one by one before `body` (chunked encoding unless a content-length header is given). */
  chunks?: readonly (string | Buffer)[];
}

/**
 * One raw request on a keep-alive connection, its path sent as written (`/../x` is not resolved first); resolves
 * when the answer ends or its connection closes. A server that answers before the whole body is sent may close the
 * connection under the rest of it: that is not an error once an answer came.
 */
export function raw(host: RunningBrowserHost, path: string, options: RawOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      new URL(host.origin),
      { path, method: options.method ?? 'GET', headers: { connection: 'keep-alive', ...options.headers } },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete });
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => undefined);
      },
    );
    req.on('error', (error) => answered || reject(error));
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end(options.body);
  });
}

/** The session cookie the host sets (with another token: a forged one). */
export const cookieOf = (host: RunningBrowserHost, token = host.token) => `esa_token_${new URL(host.origin).port}=${token}`;

/** Request options that carry the session cookie, and any other headers. */
export const signedIn = (host: RunningBrowserHost, headers: Record<string, string> = {}) => ({
  headers: { cookie: cookieOf(host), ...headers },
});
