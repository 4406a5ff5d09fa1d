/** Helpers for the schedule tests: a real settings file in a temp folder, a recording logger and notifier. */
import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Logger, LogLevel, Notification, Notifier } from '../ports';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store';
import { silentLogger } from '../ports';

/** A temp folder holding a settings file; `open()` reads it again, like an app restart. */
export interface TempSettings {
  readonly dir: string;
  open(clock: Clock): SettingsStore;
  dispose(): void;
}

export function tempSettings(): TempSettings {
  const dir = mkdtempSync(join(tmpdir(), 'esa-schedule-'));
  return {
    dir,
    open: (clock) =>
      createSettingsStore({
        open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
        filePath: join(dir, 'settings.json'),
        clock,
        logger: silentLogger,
      }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A notifier that keeps every notification. */
export function recordingNotifier(): Notifier & { readonly sent: Notification[] } {
  const sent: Notification[] = [];
  return { sent, notify: (n) => void sent.push(n) };
}
