/**
 * The connection `entra-sync register` saves in the data folder, and `validate`, `expiry` and `sync` use when the
 * AZURE_* variables are not set: `terminal-connection.json` (owner-only; ids, cloud and endpoints, the extra CA
 * the registration trusted, the secret's keyId and expiry — nothing secret) and the client secret in the data
 * folder's vault (the OS keychain, else the owner-only file beside it) under {@link terminalSecretKey} — named by the
 * client id, as keychain entries are shared by every data folder of the user.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { customCloud, resolveCloud, type Cloud } from '../../shared/clouds';
import { defaultDataDir, ownerOnlyFileMode } from '../services/app/data-dir';
import type { SecretVault } from '../services/ports';
import { openTargetVault } from '../services/targets/target-registry';
import type { CliIo } from './command';

/** Vault entry of the saved connection's client secret. */
export const terminalSecretKey = (clientId: string) => `terminal.connection.${clientId}.clientSecret`;
/** File name of the saved connection in the data folder. */
export const TERMINAL_CONNECTION_FILE = 'terminal-connection.json';
/** The extra CA of the saved connection as a file, for NODE_EXTRA_CA_CERTS. */
export const TERMINAL_CA_FILE = 'terminal-connection-ca.pem';

const recordSchema = z.object({
  version: z.literal(1),
  cloud: z.object({ authorityHost: z.string(), graphBaseUrl: z.string(), graphResource: z.string() }),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  appObjectId: z.string(),
  secretKeyId: z.string(),
  secretExpiresAt: z.string(),
  /** The extra CA (PEM) the registration trusted (NODE_EXTRA_CA_CERTS), kept so later commands trust it too. */
  caCertPem: z.string().optional(),
  savedAt: z.string(),
});
/** The saved connection, as stored (no secret). */
export type SavedConnectionRecord = z.infer<typeof recordSchema>;

/** A saved connection with its secret, ready to use. */
export interface SavedConnection {
  readonly record: SavedConnectionRecord;
  readonly cloud: Cloud;
  readonly secret: string;
}

const fileOf = (dir: string) => join(dir, TERMINAL_CONNECTION_FILE);

/** The cloud a record names (a Microsoft cloud by its hosts, else custom endpoints). */
export function cloudOfRecord(record: SavedConnectionRecord): Cloud {
  const known = resolveCloud(record.cloud.authorityHost, record.cloud.graphBaseUrl, record.cloud.graphResource);
  return known.id !== 'custom' ? known : customCloud({ ...record.cloud, label: 'Saved custom endpoints' });
}

/** Saves the connection: the secret in the vault first, then the record (written aside, then renamed). */
export async function saveConnection(
  dir: string,
  vault: SecretVault,
  record: SavedConnectionRecord,
  secret: string,
): Promise<void> {
  await vault.set(terminalSecretKey(record.clientId), secret);
  const tmp = `${fileOf(dir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(recordSchema.parse(record), null, 2)}\n`, { mode: ownerOnlyFileMode });
  renameSync(tmp, fileOf(dir));
  if (record.caCertPem) writeFileSync(join(dir, TERMINAL_CA_FILE), record.caCertPem, { mode: ownerOnlyFileMode });
}

/** Switches the saved secret (rotation): the new value in the vault, its keyId and expiry in the record. */
export async function switchSavedSecret(
  dir: string,
  vault: SecretVault,
  next: { secret: string; keyId: string; expiresAt: string },
): Promise<void> {
  const record = readRecord(dir);
  if (!record) throw new Error('No saved connection in this data folder.');
  await saveConnection(
    dir,
    vault,
    { ...record, secretKeyId: next.keyId, secretExpiresAt: next.expiresAt, savedAt: new Date().toISOString() },
    next.secret,
  );
}

/** Forgets the saved connection (undo of a registration). */
export async function forgetConnection(dir: string, vault: SecretVault): Promise<void> {
  const record = readRecord(dir);
  if (record) await vault.delete(terminalSecretKey(record.clientId));
  rmSync(fileOf(dir), { force: true });
  rmSync(join(dir, TERMINAL_CA_FILE), { force: true });
}

/** The saved record, or undefined when there is none; a damaged file is an error that says which file. */
export function readRecord(dir: string): SavedConnectionRecord | undefined {
  const file = fileOf(dir);
  if (!existsSync(file)) return undefined;
  try {
    return recordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    throw new Error(
      `The saved connection ${file} is damaged: run 'entra-sync register --device-code' again, or set the AZURE_* variables.`,
    );
  }
}

/** The saved connection with its secret, or undefined when none is saved. */
export async function loadConnection(dir: string, vault: SecretVault): Promise<SavedConnection | undefined> {
  const record = readRecord(dir);
  if (!record) return undefined;
  const secret = await vault.get(terminalSecretKey(record.clientId));
  if (!secret) {
    throw new Error(
      `The saved connection of ${dir} has no client secret in the vault (it was removed, or the keychain is locked): run 'entra-sync rotate --device-code' or 'register' again.`,
    );
  }
  return { record, cloud: cloudOfRecord(record), secret };
}

/** The commands that fall back to the saved connection. */
const SAVED_CONNECTION_COMMANDS = new Set(['validate', 'expiry', 'sync']);

/**
 * For `validate`, `expiry` and `sync` without `--demo` and with none of AZURE_TENANT_ID, AZURE_CLIENT_ID,
 * AZURE_CLIENT_SECRET set: the command's environment with the saved connection in those names (and its cloud and
 * CA), so the commands read it exactly as they read the variables. In memory only; `process.env` is untouched.
 * Otherwise `io` as it is.
 */
export async function withSavedConnection(command: string, argv: readonly string[], io: CliIo): Promise<CliIo> {
  if (!SAVED_CONNECTION_COMMANDS.has(command) || argv.includes('--demo')) return io;
  const env = io.env;
  if (env.AZURE_TENANT_ID || env.AZURE_CLIENT_ID || env.AZURE_CLIENT_SECRET) return io;
  const dir = defaultDataDir(env);
  if (!existsSync(fileOf(dir))) return io;
  const saved = await loadConnection(dir, openTargetVault(dir));
  if (!saved) return io;
  const { record } = saved;
  const ca = join(dir, TERMINAL_CA_FILE);
  return {
    ...io,
    env: {
      ...env,
      AZURE_TENANT_ID: record.tenantId,
      AZURE_CLIENT_ID: record.clientId,
      AZURE_CLIENT_SECRET: saved.secret,
      AZURE_AUTHORITY_HOST: record.cloud.authorityHost,
      ENTRA_GRAPH_BASE_URL: record.cloud.graphBaseUrl,
      ENTRA_GRAPH_RESOURCE: record.cloud.graphResource,
      ...(!env.NODE_EXTRA_CA_CERTS && record.caCertPem && existsSync(ca) ? { NODE_EXTRA_CA_CERTS: ca } : {}),
    },
  };
}
