/**
 * The admin's targets: kept in the settings' `targets` section, each token in the secret vault under the target id
 * (the settings hold a masked hint only). What every host uses to add, list, test, remove and sync into targets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SyncPolicyInput } from '../../../shared/sync';
import type { TargetTestReport } from '../../../shared/contract/targets';
import {
  maskToken,
  reservedTargetNames,
  targetConfigSchema,
  targetProductInfo,
  targetSecretName,
  type BitbucketDisableMode,
  type ScimPreset,
  type TargetConfig,
  type TargetProduct,
} from '../../../shared/targets';
import { createHttpTransport, type HttpTransport } from '../http/transport';
import type { Clock, Logger, SecretVault } from '../ports';
import { keychainService, openKeyringVault } from '../settings/keyring-vault';
import { systemKeyring } from '../settings/keyring-vault-system';
import type { SettingsStore } from '../settings/settings-store';
import type { SqliteDatabase } from '../sync/database';
import type { EngineTarget } from '../sync/engine-target';
import type { TargetCredential } from './product-driver';
import { driverOf } from './product-drivers';
import { createSqliteLinks } from './remote/sqlite-links';
import { pemCertificates } from './target-test-values';

/**
 * The vault the target tokens live in, one both the terminal and the other hosts can open from plain Node: the OS
 * keychain (macOS Keychain, Windows Credential Manager, the Secret Service), else, said in the log and by
 * `protection()`, the owner-only file `target-secrets.json` in the data folder, which is also where earlier versions
 * kept them (moved into the keychain once one can be used; see keyring-vault.ts). Apart from the app's
 * `secrets.json` on purpose: the desktop app encrypts that one with Electron's safeStorage, which plain Node cannot
 * read (and a vault it cannot read is moved aside).
 */
export function openTargetVault(
  dataDir: string,
  clock?: Clock,
  logger?: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SecretVault {
  // ENTRA_SYNC_VAULT=file: the owner-only file even where a keychain exists (tests, servers without a desktop).
  const fileOnly = env.ENTRA_SYNC_VAULT === 'file';
  return openKeyringVault({
    filePath: join(dataDir, 'target-secrets.json'),
    keyring: fileOnly
      ? () => {
          throw new Error('ENTRA_SYNC_VAULT=file asks for the owner-only file');
        }
      : systemKeyring,
    // One keychain service per data folder: a copied folder or a second one never shares (or removes) its tokens.
    service: `${keychainService} (${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 8)})`,
    ...(clock ? { clock } : {}),
    ...(logger ? { logger } : {}),
  });
}

export interface NewTarget {
  readonly name: string;
  readonly product: TargetProduct;
  readonly baseUrl: string;
  /** Bitbucket's administrator, Crowd's application name. */
  readonly username?: string;
  readonly bitbucketDisable?: BitbucketDisableMode;
  readonly scimPreset?: ScimPreset;
  readonly caCertPem?: string;
  readonly caCertPath?: string;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** The target called `name` (or with that id), case-insensitively; undefined when none. */
export function findTarget(settings: SettingsStore, name: string): TargetConfig | undefined {
  const key = lower(name.trim());
  return settings.get().targets.find((t) => lower(t.name) === key || t.id === key);
}

/** Checks a new target's fields and returns its config (not saved). */
export function targetConfigFor(settings: SettingsStore, input: NewTarget, token: string, now: Date): TargetConfig {
  const name = input.name.trim();
  if ((reservedTargetNames as readonly string[]).includes(lower(name)))
    throw new AppError('target-name-reserved', `"${name}" is reserved; choose another name for the target.`);
  if (findTarget(settings, name)) throw new AppError('target-exists', `A target called "${name}" exists already.`);
  const info = targetProductInfo[input.product];
  if (!driverOf(input.product))
    throw new AppError('target-product-unavailable', `This build cannot sync into ${info.label} yet.`);
  if (info.usernameLabel && !input.username?.trim())
    throw new AppError('target-username-missing', `${info.label} needs the ${lower(info.usernameLabel)} as well.`);
  let url: URL;
  try {
    url = new URL(input.baseUrl);
  } catch {
    throw new AppError(
      'target-url-invalid',
      `"${input.baseUrl}" is not a URL; give the address with its context path, e.g. ${info.urlExample}.`,
    );
  }
  if (url.protocol !== 'https:')
    throw new AppError(
      'target-url-invalid',
      'The target address must start with https:// (the token must never cross the network in clear).',
    );
  const slug =
    lower(name)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'target';
  return targetConfigSchema.parse({
    id: `${input.product}-${slug}-${randomBytes(3).toString('hex')}`,
    name,
    product: input.product,
    baseUrl: url.href.replace(/\/+$/, ''),
    ...(input.caCertPem ? { caCertPem: input.caCertPem } : {}),
    ...(input.caCertPath ? { caCertPath: input.caCertPath } : {}),
    tokenHint: maskToken(token),
    ...(info.usernameLabel && input.username ? { username: input.username.trim() } : {}),
    ...(input.product === 'bitbucket' ? { bitbucketDisable: input.bitbucketDisable ?? 'unlicense' } : {}),
    ...(input.product === 'scim' ? { scimPreset: input.scimPreset ?? 'generic' } : {}),
    addedAt: now.toISOString(),
  });
}

/** Saves a target and its token (the token to the vault first: a saved target always has one). */
export async function saveTarget(
  settings: SettingsStore,
  vault: SecretVault,
  config: TargetConfig,
  token: string,
): Promise<void> {
  await vault.set(targetSecretName(config.id), token);
  settings.update((s) => ({ ...s, targets: [...s.targets.filter((t) => t.id !== config.id), config] }));
}

/** Removes a target, its token and (given the database) its links. */
export async function removeTarget(
  settings: SettingsStore,
  vault: SecretVault,
  config: TargetConfig,
  db?: SqliteDatabase,
): Promise<void> {
  settings.update((s) => ({ ...s, targets: s.targets.filter((t) => t.id !== config.id) }));
  await vault.delete(targetSecretName(config.id));
  if (db) createSqliteLinks(db, config.id).clear();
}

/** The token of a saved target; an error value when the vault has none. */
export async function targetToken(vault: SecretVault, config: TargetConfig): Promise<string> {
  const token = await vault.get(targetSecretName(config.id));
  if (!token)
    throw new AppError(
      'target-token-missing',
      `No token is stored for target "${config.name}". Remove the target and add it again with a new token.`,
    );
  return token;
}

/** A transport trusting the target's own CA, if it has one. */
export function targetTransport(
  config: Pick<TargetConfig, 'caCertPem' | 'caCertPath'>,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = 30_000,
): HttpTransport {
  let pem = config.caCertPem;
  if (!pem && config.caCertPath) {
    try {
      pem = readFileSync(config.caCertPath, 'utf8');
    } catch (error) {
      throw new AppError(
        'target-ca-unreadable',
        `The CA certificate ${config.caCertPath} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      );
    }
  }
  // Every certificate of a bundle is trusted, whatever its order (root and intermediate, or several CAs).
  return createHttpTransport({ ...(pem ? { extraCaPem: pemCertificates(pem) } : {}), env, timeoutMs });
}

/** The driver of a target's product, or an error saying this build lacks it. */
function driverFor(product: TargetProduct) {
  const driver = driverOf(product);
  if (!driver)
    throw new AppError('target-product-unavailable', `This build cannot sync into ${targetProductInfo[product].label}.`);
  return driver;
}

/** How a target signs in: the username from its settings, the secret from the vault. */
export const credentialOf = (config: Pick<TargetConfig, 'username'>, secret: string): TargetCredential =>
  config.username ? { username: config.username, secret } : { secret };

/** Test connection: the product's checks with a verdict, a fix for each, stamped with when. */
export async function testTarget(
  config: Pick<TargetConfig, 'baseUrl' | 'product' | 'username' | 'scimPreset' | 'bitbucketDisable'>,
  secret: string,
  transport: HttpTransport,
  clock: Clock,
  /** The admin's opt-in to the product's write test (Crowd); off: the test only reads. */
  writeTest = false,
): Promise<TargetTestReport> {
  const report = await driverFor(config.product).test({
    baseUrl: config.baseUrl,
    credential: credentialOf(config, secret),
    transport,
    clock,
    ...(writeTest ? { writeTest } : {}),
    options: {
      ...(config.scimPreset ? { scimPreset: config.scimPreset } : {}),
      ...(config.bitbucketDisable ? { bitbucketDisable: config.bitbucketDisable } : {}),
    },
  });
  return { ...report, at: clock.now().toISOString() };
}

/** The engine target of a saved target. */
export function engineTargetFor(input: {
  config: TargetConfig;
  token: string;
  db: SqliteDatabase;
  transport: HttpTransport;
  clock: Clock;
  globalPolicy: SyncPolicyInput;
}): EngineTarget {
  const { config, token, ...rest } = input;
  return driverFor(config.product).engineTarget({ ...rest, config, credential: credentialOf(config, token) });
}
