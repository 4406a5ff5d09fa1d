import Conf from 'conf';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { currentSettingsVersion } from '../../../shared/settings';
import { silentLogger, systemClock } from '../ports';
import { createSettingsStore } from './settings-store';

let dir: string;
const file = () => join(dir, 'settings.json');
const open = () =>
  createSettingsStore({
    open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' }),
    filePath: file(),
    clock: systemClock,
    logger: silentLogger,
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esa-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings store', () => {
  it('starts from defaults with the current version written to disk', () => {
    const store = open();
    expect(store.get().onboarding.model).toBeUndefined();
    expect(store.get().ui.theme).toBe('system');
    expect(store.notice).toBeUndefined();
    expect(JSON.parse(readFileSync(file(), 'utf8')).schemaVersion).toBe(currentSettingsVersion);
  });

  it('keeps a change across a reopen (the app restarting)', () => {
    open().update((s) => ({
      ...s,
      onboarding: { model: 'user-sync', answers: { needGroups: true }, chosenAt: '2026-01-01T00:00:00.000Z' },
    }));
    const reopened = open();
    expect(reopened.get().onboarding).toEqual({
      model: 'user-sync',
      answers: { needGroups: true },
      chosenAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it.skipIf(process.platform === 'win32')('keeps the file readable only by its owner across changes', () => {
    // conf's own default mode (0666 less the umask), as a host that forgets configFileMode would get.
    const store = open();
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    store.update((s) => ({ ...s, ui: { theme: 'dark' } }));
    expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid change and leaves the file as it was', () => {
    const store = open();
    store.update((s) => ({ ...s, ui: { theme: 'dark' } }));
    const before = readFileSync(file(), 'utf8');
    expect(() => store.update((s) => ({ ...s, ui: { theme: 'purple' as never } }))).toThrow();
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(store.get().ui.theme).toBe('dark');
  });

  it('backs up a damaged file, reports it, and never silently resets', () => {
    writeFileSync(file(), '{"onboarding": {"model": "jit"');
    const store = open();
    expect(store.notice?.code).toBe('settings-corrupt');
    const backup = store.notice?.backupPath;
    expect(backup && existsSync(backup)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(backup!).mode & 0o777).toBe(0o600);
    expect(readFileSync(backup!, 'utf8')).toBe('{"onboarding": {"model": "jit"');
    expect(store.get().onboarding.model).toBeUndefined();
  });

  it('keeps the valid sections of a file that does not match the schema, with a backup', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 1, onboarding: { model: 'manual', answers: {} }, ui: { theme: 42 } }));
    const store = open();
    expect(store.notice?.code).toBe('settings-invalid');
    expect(store.get().onboarding.model).toBe('manual');
    expect(store.get().ui.theme).toBe('system');
    expect(readdirSync(dir).some((name) => name.includes('.invalid-'))).toBe(true);
  });

  it('does not overwrite settings written by a newer version, even when a change is asked for', () => {
    const newerVersion = currentSettingsVersion + 1;
    const newer = JSON.stringify({
      schemaVersion: newerVersion,
      onboarding: { model: 'manual', answers: {}, futureField: 1 },
      ui: { theme: 'dark' },
      somethingNew: true,
    });
    writeFileSync(file(), newer);
    const store = open();
    expect(store.notice?.code).toBe('settings-newer');
    expect(store.notice?.readOnly).toBe(true);
    expect(store.notice?.message).toContain(`newer version (v${newerVersion})`);
    // What this version understands is shown as it is, not replaced by defaults.
    expect(store.get().onboarding.model).toBe('manual');
    expect(store.get().ui.theme).toBe('dark');
    expect(store.readOnly).toBe(true);
    let refused: unknown;
    try {
      store.update((s) => ({ ...s, ui: { theme: 'light' } }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('settings-read-only');
    expect((refused as AppError).message).toMatch(/update the app/i);
    expect(readFileSync(file(), 'utf8')).toBe(newer);
    expect(store.get().ui.theme).toBe('dark');
    // Nothing else was left beside it: the file itself is untouched, so no copy is needed.
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });
});
