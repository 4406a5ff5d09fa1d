import log from 'electron-log/main';
import type { Logger } from '../services/ports';
import { redactFields } from '../services/logging/line-logger';
import { ownerOnlyFileMode } from '../services/app/data-dir';

/** The core's logger port on electron-log's file transport (main.log in the app's log folder). */
export function createElectronLogger(): Logger {
  log.initialize({ preload: false });
  log.transports.console.level = process.env.NODE_ENV === 'development' ? 'debug' : 'warn';
  // Owner-only log files, a new main.log after a rotation included (the rotated one keeps its mode; the folder is
  // tightened at start, see data-dir.ts).
  log.transports.file.writeOptions = { ...log.transports.file.writeOptions, mode: ownerOnlyFileMode };
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    fields ? log[level](message, redactFields(fields)) : log[level](message);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export function logFolder(): string {
  return log.transports.file.getFile().path.replace(/[\\/][^\\/]+$/, '');
}
