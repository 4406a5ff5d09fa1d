import log from 'electron-log/main';
import type { Logger } from '../services/ports';
import { redactFields } from '../services/logging/line-logger';

/** The core's logger port on electron-log's file transport (main.log in the app's log folder). */
export function createElectronLogger(): Logger {
  log.initialize({ preload: false });
  log.transports.console.level = process.env.NODE_ENV === 'development' ? 'debug' : 'warn';
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    fields ? log[level](message, redactFields(fields)) : log[level](message);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export function logFolder(): string {
  return log.transports.file.getFile().path.replace(/[\\/][^\\/]+$/, '');
}
