/**
 * Where the client secret lives: the secret vault, or — when the vault can only obfuscate and the admin declined
 * (or has not yet answered) — this process's memory for the session. Never the settings file, never a log.
 */
import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { SecretVault } from '../ports';

/** The vault entry holding the connection's client secret. */
export const connectionSecretVaultKey = 'connection.clientSecret';

/** The vault entry holding the admin's own secret while the demo tenant is in use (see `settings.connection.kept`). */
export const keptSecretVaultKey = 'connection.keptClientSecret';

/** Where a secret is (or went): the vault, this process's memory, or nowhere. */
export type SecretPlace = 'stored' | 'memory' | 'none';

/** What happened to a secret handed to {@link SecretKeeper.keep}. */
export type KeepOutcome = 'stored' | 'memory';

/** Keeps the secret in use, honouring the admin's answer about weak storage. */
export class SecretKeeper {
  private memory: string | undefined;
  /**
   * A secret sent with a test that did not pass (yet): held in this process's memory only, never stored, so a
   * reloaded window's "Test again" still has it; kept for good (see {@link keep}) once a test passes.
   */
  private untested: string | undefined;
  /** The admin's own secret put aside in memory (it was never stored) while the demo tenant is in use. */
  private asideMemory: string | undefined;
  /** The vault's damage notice as it was when a secret was last stored: a later notice means that secret is gone. */
  private storedAfter: unknown;

  constructor(private readonly vault: SecretVault) {}

  /**
   * True when the vault was found damaged and moved aside after the last secret stored in it: what the settings
   * call stored is gone, and the admin must enter the secret again.
   */
  vaultLost(): boolean {
    const notice = this.vault.notice?.();
    return notice !== undefined && notice !== this.storedAfter;
  }

  private async store(name: string, secret: string): Promise<void> {
    await this.vault.set(name, secret);
    if (name === connectionSecretVaultKey) this.storedAfter = this.vault.notice?.();
  }

  /** True when the vault really protects secrets (OS keychain, DPAPI, libsecret). */
  secure(): boolean {
    return this.vault.protection().secure;
  }

  backend(): string {
    return this.vault.protection().backend;
  }

  /** True when a secret is held in memory only (lost when the app quits). */
  inMemory(): boolean {
    return this.memory !== undefined || this.untested !== undefined;
  }

  /** True when the secret in use was sent with a test that has not passed yet (see {@link hold}). */
  holdsUntested(): boolean {
    return this.untested !== undefined;
  }

  /**
   * Holds a secret whose test failed in memory, as the secret in use: typed input is never lost to a failed test
   * or a reload. An older stored secret must not outlive it (the values tested with it are saved too).
   */
  async hold(secret: string): Promise<void> {
    this.untested = secret;
    this.memory = undefined;
    await this.vault.delete(connectionSecretVaultKey);
  }

  /** The secret in use: the session's (a held untested one first), else the vault's. */
  async current(): Promise<string | undefined> {
    if (this.untested !== undefined) return this.untested;
    if (this.memory !== undefined) return this.memory;
    const stored = await this.vault.get(connectionSecretVaultKey);
    return stored === undefined || stored.length === 0 ? undefined : stored;
  }

  /**
   * Keeps a secret: in the vault when it is secure or the admin accepted weak storage (or `force`, for the
   * throwaway demo secret), otherwise in memory only.
   */
  async keep(secret: string, weakStorage: ConnectionSettings['weakStorage'], force = false): Promise<KeepOutcome> {
    this.untested = undefined;
    if (force || this.secure() || weakStorage === 'accepted') {
      await this.store(connectionSecretVaultKey, secret);
      this.memory = undefined;
      return 'stored';
    }
    this.memory = secret;
    // A previously stored (older) secret must not outlive the one now in use.
    await this.vault.delete(connectionSecretVaultKey);
    return 'memory';
  }

  /** Moves the in-memory secret into the vault (the admin accepted weak storage). False when none is held. */
  async persistMemory(): Promise<boolean> {
    if (this.memory === undefined) return false;
    await this.store(connectionSecretVaultKey, this.memory);
    this.memory = undefined;
    return true;
  }

  /** Moves a stored secret out of the vault into memory (the admin declined weak storage). */
  async unpersist(): Promise<boolean> {
    const stored = await this.vault.get(connectionSecretVaultKey);
    if (stored === undefined) return false;
    this.memory = stored;
    await this.vault.delete(connectionSecretVaultKey);
    return true;
  }

  /** True when a secret put aside is held in memory (see {@link setAside}). */
  asideInMemory(): boolean {
    return this.asideMemory !== undefined;
  }

  /**
   * Puts the secret in use aside, where it was (vault entry {@link keptSecretVaultKey}, or memory), so the demo
   * tenant's throwaway secret can take its place. Returns where it went.
   */
  async setAside(): Promise<SecretPlace> {
    if (this.untested !== undefined) {
      this.memory = this.untested;
      this.untested = undefined;
    }
    if (this.memory !== undefined) {
      this.asideMemory = this.memory;
      this.memory = undefined;
      return 'memory';
    }
    const stored = await this.vault.get(connectionSecretVaultKey);
    if (stored === undefined || stored.length === 0) return 'none';
    await this.store(keptSecretVaultKey, stored);
    await this.vault.delete(connectionSecretVaultKey);
    return 'stored';
  }

  /** Brings the secret put aside back into use, replacing whatever is in use. Returns where it is now. */
  async bringBack(): Promise<SecretPlace> {
    if (this.asideMemory !== undefined) {
      await this.vault.delete(connectionSecretVaultKey);
      this.memory = this.asideMemory;
      this.asideMemory = undefined;
      return 'memory';
    }
    const stored = await this.vault.get(keptSecretVaultKey);
    if (stored === undefined || stored.length === 0) {
      await this.forget();
      return 'none';
    }
    await this.store(connectionSecretVaultKey, stored);
    await this.vault.delete(keptSecretVaultKey);
    this.memory = undefined;
    return 'stored';
  }

  /** Forgets the secret everywhere. */
  async forget(): Promise<void> {
    this.memory = undefined;
    this.untested = undefined;
    await this.vault.delete(connectionSecretVaultKey);
  }
}
