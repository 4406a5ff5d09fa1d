/**
 * The ports: what differs between the Electron, browser and terminal hosts.
 *
 * Services receive these in their constructor (or factory options); they never reach for a global.
 */
import type { VaultNotice } from '../../shared/settings';

/** Wall-clock time. Tests pass a controlled clock; nothing in the core calls `Date.now()` directly for decisions. */
export interface Clock {
  now(): Date;
  /** Schedules `fn` after `ms` milliseconds of this clock's time; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger. Messages and fields must never carry a secret: callers pass masked hints only. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A desktop notification (Electron), an in-page toast (browser host) or a line on stderr (terminal). */
export interface Notification {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly severity: 'info' | 'success' | 'warning' | 'error';
  /** Where clicking it should take the admin, as an app route such as `rotation`. */
  readonly action?: string;
}

export interface Notifier {
  notify(notification: Notification): void;
}

/** What protects secrets at rest: lets the UI warn when protection is weak. */
export interface VaultProtection {
  readonly backend: string;
  /** False when secrets are only obfuscated (Linux without a keyring, plain-file vault). */
  readonly secure: boolean;
}

/** Stores secrets (client secret, tokens). Values never leave the main process. */
export interface SecretVault {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  protection(): VaultProtection;
  /** Set when the vault's store was found damaged and moved aside: what it held is gone (see FileVault). */
  notice?(): VaultNotice | undefined;
}
