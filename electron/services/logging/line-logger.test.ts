import { describe, expect, it } from 'vitest';
import { createLineLogger, redactFields } from './line-logger';

// Built at run time so no secret-shaped literal sits in the repository.
const secret = ['Zx9', '8Q~', 'q'.repeat(34)].join('');

describe('log field redaction', () => {
  it.each([
    'secret',
    'clientSecret',
    'client_secret',
    'password',
    'accessToken',
    'token',
    'Authorization',
    'cookie',
    'jiraPat',
    'apiKey',
    'x-api-key',
    'privateKey',
    'private_key',
    'ssh-private-key',
    'api_key',
    'credentials',
    'passphrase',
  ])('replaces the value of %s', (key) => {
    expect(redactFields({ [key]: secret, keep: 'visible' })).toEqual({ [key]: '[redacted]', keep: 'visible' });
  });

  it('keeps masked hints and harmless fields', () => {
    expect(redactFields({ secretHint: 'Zx9••••••', tenant: 't', count: 3, key: 'user:1', patterns: 2 })).toEqual({
      secretHint: 'Zx9••••••',
      tenant: 't',
      count: 3,
      key: 'user:1',
      patterns: 2,
    });
  });

  it('redacts at any depth, in objects and inside arrays', () => {
    const out = redactFields({
      request: { headers: { authorization: `Bearer ${secret}` }, url: 'https://graph.example/v1.0/users' },
      attempts: [{ token: secret }, [{ password: secret }], 'plain'],
    });
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out).toEqual({
      request: { headers: { authorization: '[redacted]' }, url: 'https://graph.example/v1.0/users' },
      attempts: [{ token: '[redacted]' }, [{ password: '[redacted]' }], 'plain'],
    });
  });

  it('writes one JSON line per entry, with the fields redacted', () => {
    const lines: string[] = [];
    const logger = createLineLogger(
      (line) => lines.push(line),
      () => new Date('2026-01-02T03:04:05.000Z'),
    );
    logger.warn('saving the connection', { clientSecret: secret, nested: { cookie: secret }, tenant: 'contoso' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'warn',
      message: 'saving the connection',
      clientSecret: '[redacted]',
      nested: { cookie: '[redacted]' },
      tenant: 'contoso',
    });
  });

  it('spares only keys that end in "hint": a key that merely contains it is still redacted', () => {
    expect(redactFields({ passwordHintAnswer: secret, tokenHint: 'Zx9••••••' })).toEqual({
      passwordHintAnswer: '[redacted]',
      tokenHint: 'Zx9••••••',
    });
  });

  it('writes every level under its own name, and an entry without fields as just time, level and message', () => {
    const lines: string[] = [];
    const logger = createLineLogger(
      (line) => lines.push(line),
      () => new Date('2026-01-02T03:04:05.000Z'),
    );
    logger.debug('d', { token: secret });
    logger.info('i');
    logger.warn('w');
    logger.error('e', { count: 1 });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'debug', message: 'd', token: '[redacted]' },
      { time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'i' },
      { time: '2026-01-02T03:04:05.000Z', level: 'warn', message: 'w' },
      { time: '2026-01-02T03:04:05.000Z', level: 'error', message: 'e', count: 1 },
    ]);
    expect(redactFields(undefined)).toEqual({});
  });

  it('stamps entries with the real time when no clock is given', () => {
    const lines: string[] = [];
    createLineLogger((line) => lines.push(line)).info('now');
    const { time } = JSON.parse(lines[0] ?? '') as { time: string };
    expect(new Date(time).toISOString()).toBe(time);
  });
});
