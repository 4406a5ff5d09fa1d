import type { Logger, LogLevel } from '../ports';

const secretKeys = /secret|password|passphrase|token|authorization|cookie|credential|api[-_]?key|private[-_]?key|pat$/i;

/**
 * A logger that writes one JSON line per entry. Fields whose names look like credentials are replaced by
 * `[redacted]`, as a second line of defence: callers already pass only masked hints.
 */
export function createLineLogger(write: (line: string) => void, clock: () => Date = () => new Date()): Logger {
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    write(JSON.stringify({ time: clock().toISOString(), level, message, ...redactFields(fields) }) + '\n');
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** Replaces the values of credential-like keys, at any depth (objects inside arrays too), with `[redacted]`. */
export function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = secretKeys.test(key) && !/hint$/i.test(key) ? '[redacted]' : redactValue(value);
  }
  return out;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') return redactFields(value as Record<string, unknown>);
  return value;
}
