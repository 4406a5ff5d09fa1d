import Conf from 'conf';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { currentSettingsVersion } from '../../../shared/settings';
import { createLineLogger } from '../logging/line-logger';
import { FakeClock } from '../schedule/fake-clock';
import { migrateSettings } from './migrations';
import { createSettingsStore, type SettingsFile } from './settings-store';

/**
 * What the settings store does with files it did not write itself: older versions migrated and written back, a
 * current file left byte for byte, damaged and invalid files kept under a name every file system accepts, and what
 * the admin and the log are told each time.
 */
let dir: string;
let logLines: string[];
const file = () => join(dir, 'settings.json');
const clock = new FakeClock('2026-03-01T10:20:30.456Z');
const stamp = '2026-03-01T10-20-30-456Z';
const conf = () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'test' });
const open = (openFile: () => SettingsFile = conf) =>
  createSettingsStore({
    open: openFile,
    filePath: file(),
    clock,
    logger: createLineLogger((line) => logLines.push(line)),
  });
const logged = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esa-settings-recovery-'));
  logLines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migrateSettings', () => {
  it('brings a version 0 file to the current version, keeping every field', () => {
    const raw = { schemaVersion: 0, ui: { theme: 'dark' }, onboarding: { answers: {} } };
    expect(migrateSettings(raw, 0)).toEqual({ ...raw, schemaVersion: currentSettingsVersion });
  });

  it('leaves a current file as it is, only stamped', () => {
    const raw = { ui: { theme: 'light' } };
    expect(migrateSettings(raw, currentSettingsVersion)).toEqual({
      ui: { theme: 'light' },
      schemaVersion: currentSettingsVersion,
    });
  });

  it('refuses a version it has no step for, naming it', () => {
    expect(() => migrateSettings({}, -1)).toThrow('No settings migration from version -1');
  });
});

describe('settings store: versions', () => {
  it('writes a migrated older file back at the current version, with what it held', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 0, ui: { theme: 'dark' } }));
    const store = open();
    expect(store.get().ui.theme).toBe('dark');
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({
      schemaVersion: currentSettingsVersion,
      ui: { theme: 'dark' },
    });
    expect(store.notice).toBeUndefined();
  });

  it.each([
    ['at the current version', { schemaVersion: currentSettingsVersion, ui: { theme: 'dark' } }],
    ['without a version', { ui: { theme: 'dark' } }],
  ])('opens a valid file %s without rewriting it', (_, content) => {
    const text = JSON.stringify(content);
    writeFileSync(file(), text);
    expect(open().get().ui.theme).toBe('dark');
    expect(readFileSync(file(), 'utf8')).toBe(text);
  });

  it('tells the admin and the log what a newer file means', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: currentSettingsVersion + 1, ui: { theme: 'dark' } }));
    const store = open();
    expect(store.notice?.message).toContain('Scheduled syncs wait until then.');
    expect(logged()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'settings written by a newer version: opened read-only',
        version: currentSettingsVersion + 1,
        supported: currentSettingsVersion,
      }),
    ]);
    expect(() => store.update((s) => s)).toThrow(AppError);
    expect(() => store.update((s) => s)).toThrow(/^This change was not saved: the settings were written by a newer version/);
  });
});

describe('settings store: damaged and invalid files', () => {
  it('moves a damaged file aside under a timestamp without colons or dots, and says so', () => {
    writeFileSync(file(), '{"ui": ');
    const store = open();
    const backupPath = `${file()}.corrupt-${stamp}.json`;
    expect(store.notice).toEqual({
      code: 'settings-corrupt',
      message:
        'The settings file was damaged and could not be read. It was kept as a backup and the app started with default settings.',
      backupPath,
    });
    expect(readFileSync(backupPath, 'utf8')).toBe('{"ui": ');
    expect(logged()).toEqual([
      expect.objectContaining({ level: 'warn', message: 'settings file was not valid JSON; moved aside', backupPath }),
    ]);
  });

  it('passes on a failure to open when there is no file to blame (a folder it cannot write, say)', () => {
    const denied = new Error('EACCES: permission denied');
    expect(() =>
      open(() => {
        throw denied;
      }),
    ).toThrow(denied);
    expect(existsSync(file())).toBe(false);
  });

  it('copies an invalid file aside, logs which settings were wrong, and tells the admin', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: currentSettingsVersion, ui: { theme: 42 } }));
    const store = open();
    const backupPath = `${file()}.invalid-${stamp}.json`;
    expect(store.notice).toEqual({
      code: 'settings-invalid',
      message: 'Some settings were not valid and were reset to defaults. The original file was kept as a backup.',
      backupPath,
    });
    expect(JSON.parse(readFileSync(backupPath, 'utf8'))).toEqual({ schemaVersion: currentSettingsVersion, ui: { theme: 42 } });
    expect(logged()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'settings did not match the schema; kept a copy and used what was valid',
        backupPath,
        issues: ['ui.theme'],
      }),
    ]);
  });

  it('salvages invalid settings that are not on disk yet without failing on the missing copy', () => {
    const memory: SettingsFile = { path: file(), store: { schemaVersion: currentSettingsVersion, ui: { theme: 42 } } };
    const store = open(() => memory);
    expect(store.notice?.code).toBe('settings-invalid');
    expect(store.get().ui.theme).toBe('system');
    expect(existsSync(`${file()}.invalid-${stamp}.json`)).toBe(false);
  });
});
