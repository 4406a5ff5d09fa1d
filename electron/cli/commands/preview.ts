import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createNodeCore } from '../../browser-host/node-core';
import { createBrowserDownloads } from '../../browser-host/downloads';
import { startBrowserHost } from '../../browser-host/server';
import { defaultDataDir } from '../../services/app/data-dir';
import { systemClock, type Clock } from '../../services/ports';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { storageNoticeText } from '../storage-notices';

const usage = `Usage: entra-sync preview [--port P] [--data-dir DIR] [--json]

Serves the app's interface to a normal browser on 127.0.0.1, with the same services as the desktop app.
Prints the URL to open (it carries a one-time token) and serves until Ctrl+C.

  --port P        port to listen on (default: a free one)
  --data-dir DIR  where settings and data live (default: the desktop app's data folder)
  --json          print {"url","origin","token","dataDir"} as one JSON line instead of text`;

/**
 * The services' clock. `ENTRA_SYNC_TEST_NOW` (an ISO instant) starts it there and lets it run on, for the end-to-end
 * tests: day counts and reminder levels then come from a time the test chose, not from the minute it runs.
 */
export function previewClock(env: Readonly<Record<string, string | undefined>>): Clock {
  const start = env.ENTRA_SYNC_TEST_NOW;
  if (!start) return systemClock;
  const at = Date.parse(start);
  if (Number.isNaN(at)) throw new UsageError(`ENTRA_SYNC_TEST_NOW must be an ISO date and time, not '${start}'.`);
  const offset = at - Date.now();
  return { now: () => new Date(Date.now() + offset), setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms) };
}

/**
 * Finds the built renderer: `ENTRA_SYNC_RENDERER_DIR` when set (tests, a renderer built elsewhere), else next to the
 * sources in a checkout, or next to the bundle.
 */
function rendererDir(env: NodeJS.ProcessEnv): string {
  const chosen = env.ENTRA_SYNC_RENDERER_DIR;
  if (chosen) return resolve(chosen);
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../out/renderer'), resolve(here, '../renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

export const previewCommand: CliCommand = {
  name: 'preview',
  summary: 'serve the app to a browser on 127.0.0.1 (the browser host)',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be 0–65535, not '${values.port}'.`);
    const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));

    const clock = previewClock(io.env);
    // Exports are streamed to the page as downloads, never built in memory.
    const downloads = createBrowserDownloads(clock);
    const node = createNodeCore({ dataDir, host: 'browser', clock, deliverExport: downloads.deliver });
    io.stderr(storageNoticeText(await node.core.handlers['app:getInfo'](undefined)));
    let host;
    try {
      host = await startBrowserHost({
        rendererDir: rendererDir(io.env),
        handlers: node.core.handlers,
        events: node.events,
        logger: node.logger,
        port,
        downloads,
        clock,
      });
    } catch (error) {
      await node.close();
      io.stderr(`entra-sync preview: ${(error as Error).message}\n`);
      return ExitCode.failed;
    }
    if (values.json) {
      io.stdout(JSON.stringify({ url: host.url, origin: host.origin, token: host.token, dataDir }) + '\n');
    } else {
      io.stdout(`Entra Sync Assistant is served at:\n\n  ${host.url}\n\nData folder: ${dataDir}\nPress Ctrl+C to stop.\n`);
    }
    await io.stopSignal;
    await host.close();
    await node.close();
    return ExitCode.ok;
  },
};
