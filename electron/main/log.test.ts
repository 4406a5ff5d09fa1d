import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The Electron host's logger: what it hands electron-log's file transport. electron-log needs Electron, so this
 * test replaces it with a recorder (a third-party library, not our HTTP path); the redaction itself is the core's.
 */

const recorded = vi.hoisted(() => ({
  calls: [] as { level: string; args: unknown[] }[],
  initialize: [] as unknown[],
  path: '/var/logs/app/main.log',
}));

vi.mock('electron-log/main', () => {
  const at =
    (level: string) =>
    (...args: unknown[]) => {
      recorded.calls.push({ level, args });
    };
  return {
    default: {
      initialize: (options: unknown) => recorded.initialize.push(options),
      transports: {
        console: { level: 'silly' as string | false },
        file: { writeOptions: { flag: 'a' } as Record<string, unknown>, getFile: () => ({ path: recorded.path }) },
      },
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    },
  };
});

const { createElectronLogger, logFolder } = await import('./log');
const { default: electronLog } = await import('electron-log/main');

// Built at run time so no secret-shaped literal sits in the repository.
const secret = ['Lg4', '8Q~', 'z'.repeat(34)].join('');

beforeEach(() => {
  recorded.calls.length = 0;
});

describe('createElectronLogger', () => {
  it('hands every level its message and the fields with credentials redacted', () => {
    const logger = createElectronLogger();
    logger.debug('d', { clientSecret: secret });
    logger.info('i', { nested: { authorization: `Bearer ${secret}` }, tenant: 'contoso' });
    logger.warn('w', { secretHint: 'Lg4••••••' });
    logger.error('e', { attempts: [{ password: secret }] });
    expect(JSON.stringify(recorded.calls)).not.toContain(secret);
    expect(recorded.calls).toEqual([
      { level: 'debug', args: ['d', { clientSecret: '[redacted]' }] },
      { level: 'info', args: ['i', { nested: { authorization: '[redacted]' }, tenant: 'contoso' }] },
      { level: 'warn', args: ['w', { secretHint: 'Lg4••••••' }] },
      { level: 'error', args: ['e', { attempts: [{ password: '[redacted]' }] }] },
    ]);
  });

  it('passes a message without fields alone (no empty object in the log line)', () => {
    createElectronLogger().info('started');
    expect(recorded.calls).toEqual([{ level: 'info', args: ['started'] }]);
  });

  it('writes owner-only log files, keeping the transport’s other write options, and no preload', () => {
    createElectronLogger();
    expect(electronLog.transports.file.writeOptions).toEqual({ flag: 'a', mode: 0o600 });
    expect(recorded.initialize.at(-1)).toEqual({ preload: false });
  });

  it('logs only warnings to the console outside development', () => {
    const before = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      createElectronLogger();
      expect(electronLog.transports.console.level).toBe('warn');
      process.env.NODE_ENV = 'development';
      createElectronLogger();
      expect(electronLog.transports.console.level).toBe('debug');
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('the log folder is the log file’s directory, with either separator', () => {
    expect(logFolder()).toBe('/var/logs/app');
    recorded.path = 'C:\\Users\\admin\\AppData\\Roaming\\Entra Sync Assistant\\logs\\main.log';
    expect(logFolder()).toBe('C:\\Users\\admin\\AppData\\Roaming\\Entra Sync Assistant\\logs');
  });
});
