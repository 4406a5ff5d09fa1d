import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { createLineLogger } from '../logging/line-logger';
import { dispatch } from './dispatcher';

/** Handlers that record what they were given; the dispatcher only ever calls the one named by the channel. */
function recording(reply: (args: unknown) => unknown = () => 'done') {
  const received: unknown[] = [];
  const handler = async (args: unknown) => {
    received.push(args);
    return reply(args);
  };
  const handlers = new Proxy({}, { get: () => handler }) as Handlers;
  return { handlers, received };
}

function logLines() {
  const lines: string[] = [];
  return { lines, logger: createLineLogger((line) => lines.push(line)) };
}

describe('dispatch', () => {
  it('hands the handler the parsed payload: trimmed strings, not the raw text', async () => {
    const { handlers, received } = recording();
    const raw = { cron: '  0 3 * * *  ', timeZone: ' Europe/Berlin ' };
    await dispatch(handlers, 'schedule:preview', raw, logLines().logger);
    expect(received).toEqual([{ cron: '0 3 * * *', timeZone: 'Europe/Berlin' }]);
    expect(received[0]).not.toBe(raw);
  });

  it('hands the handler the defaults the schema fills in', async () => {
    const { handlers, received } = recording();
    await dispatch(handlers, 'sync:runs', {}, logLines().logger);
    await dispatch(handlers, 'sync:dryRun', {}, logLines().logger);
    expect(received).toEqual([{ offset: 0, limit: 50 }, { full: false }]);
  });

  it('refuses an invalid payload without calling the handler, and says which field', async () => {
    const { handlers, received } = recording();
    const { logger, lines } = logLines();
    const envelope = await dispatch(handlers, 'sync:runs', { limit: 10_000 }, logger);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-payload', detail: expect.stringContaining('limit') } });
    expect(received).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it('refuses an unknown channel', async () => {
    const { handlers, received } = recording();
    expect(await dispatch(handlers, 'nope:nothing', undefined, logLines().logger)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(received).toEqual([]);
  });

  it('passes an AppError through with its code, and hides an unexpected error behind internal-error', async () => {
    const known = recording(() => {
      throw new AppError('run-not-found', 'That run is not in the history.');
    });
    expect(await dispatch(known.handlers, 'sync:runs', {}, logLines().logger)).toEqual({
      ok: false,
      error: { code: 'run-not-found', message: 'That run is not in the history.' },
    });
    const { logger, lines } = logLines();
    const unexpected = recording(() => {
      throw new Error('SQLITE_CORRUPT at /home/admin/sync.db');
    });
    const envelope = await dispatch(unexpected.handlers, 'sync:runs', {}, logger);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'internal-error' } });
    expect(JSON.stringify(envelope)).not.toContain('SQLITE_CORRUPT');
    expect(lines.join('')).toContain('SQLITE_CORRUPT');
  });

  it('returns what the handler returned, as ok', async () => {
    const { handlers } = recording(() => ({ runs: [], total: 0 }));
    expect(await dispatch(handlers, 'sync:runs', {}, logLines().logger)).toEqual({ ok: true, value: { runs: [], total: 0 } });
  });

  it('tells the caller which request is unknown and that a payload was not valid, in words', async () => {
    const { handlers } = recording();
    const unknown = await dispatch(handlers, 'nope:nothing', undefined, logLines().logger);
    expect(unknown).toEqual({ ok: false, error: { code: 'unknown-channel', message: "Unknown request 'nope:nothing'." } });
    const invalid = await dispatch(handlers, 'sync:runs', { limit: 10_000 }, logLines().logger);
    expect(invalid).toMatchObject({ ok: false, error: { message: 'The request was not valid.' } });
  });

  it('logs a refused payload with its channel and issues, never the payload itself', async () => {
    const { logger, lines } = logLines();
    const envelope = await dispatch(recording().handlers, 'sync:runs', { limit: 10_000, note: 'payload-text' }, logger);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', message: 'refused a request with an invalid payload', channel: 'sync:runs' });
    expect(entry.issues).toBe(envelope.ok ? undefined : envelope.error.detail);
    expect(lines[0]).not.toContain('payload-text');
  });

  it('logs only unexpected failures, with the channel and the error text (thrown strings too)', async () => {
    const known = logLines();
    const appError = recording(() => {
      throw new AppError('run-not-found', 'That run is not in the history.');
    });
    await dispatch(appError.handlers, 'sync:runs', {}, known.logger);
    expect(known.lines).toEqual([]);

    const unexpected = logLines();
    const thrower = recording(() => {
      throw 'disk full';
    });
    expect(await dispatch(thrower.handlers, 'sync:runs', {}, unexpected.logger)).toMatchObject({
      ok: false,
      error: { code: 'internal-error' },
    });
    expect(unexpected.lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'error', message: 'request failed', channel: 'sync:runs', error: 'disk full' }),
    ]);
  });
});
