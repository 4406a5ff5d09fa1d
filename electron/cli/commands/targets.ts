import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import {
  bitbucketDisableModes,
  scimPresets,
  targetProductInfo,
  targetProducts,
  type TargetConfig,
  type TargetProduct,
} from '../../../shared/targets';
import { availableProducts } from '../../services/targets/product-drivers';
import { systemClock, type VaultProtection } from '../../services/ports';
import { probeKeyring } from '../../services/settings/keyring-vault';
import { systemKeyring } from '../../services/settings/keyring-vault-system';
import { openDatabase } from '../../services/sync/database';
import type { TargetTestReport } from '../../../shared/contract/targets';
import {
  findTarget,
  removeTarget,
  saveTarget,
  targetConfigFor,
  targetToken,
  targetTransport,
  testTarget,
} from '../../services/targets/target-registry';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { openDataFolder } from '../data-folder';
import { refuseLocal, settingsFlagsGiven, settingsOptions, settingsUsage, targetSettings } from './targets-settings';

const usage = `Usage: entra-sync targets add PRODUCT --name NAME --url URL [--username U] [--ca-cert FILE] [--save-anyway] [--json]
       entra-sync targets list [--json]
       entra-sync targets test NAME [--write-test] [--json]
       entra-sync targets remove NAME
       entra-sync targets settings NAME [--inherit on|off] [--match-by-email on|off] [--protect-group G]...
                              [--unprotect-group G]... [--delete-vanished-groups on|off] [--json]

The places a sync writes to besides the embedded directory (target "local", always there): PRODUCT is jira
(Jira Software / Service Management Data Center 8.14+), confluence (Confluence Data Center 7.9+), bitbucket
(Bitbucket Data Center), crowd (Crowd Data Center) or scim (any SCIM 2.0 service; --preset atlassian-cloud for
Atlassian Cloud user provisioning). They live in the data folder's settings (--data-dir DIR or
ENTRA_SYNC_DATA_DIR; default the desktop app's), shared with the app. Sync into one with
\`entra-sync sync --target NAME\` (or --target all).

  add PRODUCT    tests the connection first and saves the target only when every check passes (exit 1 with the
                 failing checks otherwise), unless --save-anyway
    --url URL    the base URL with its context path, e.g. https://jira.example.com/jira (https only)
    --username U bitbucket: an administrator's username (its HTTP access tokens cannot hold global ADMIN);
                 crowd: the application's name (Crowd must allow this machine's address for it)
    --disable-means unlicense|delete
                 bitbucket cannot deactivate users: unlicense (default) removes them from the groups that grant
                 a licence; delete deletes them
    --preset generic|atlassian-cloud
                 scim: the service's known rules (Atlassian Cloud hides deactivated users from lists)
    --ca-cert FILE  a private CA certificate (PEM) to trust for this target
  list           the targets with their address and a masked token hint
  test NAME      the connection checks; --json prints {"ok","product","version","checks":[{id,status,code,message,fix}]}
                 (exit 0 when ok, 1 otherwise); the test only reads, except with --write-test: crowd then creates
                 one empty group entra-sync-connection-test-<8 hex digits> and deletes it at once, to confirm the
                 application may write
  remove NAME    removes the target, its token and its links (its runs stay in the history)
${settingsUsage}

The token or password (Jira, Confluence: Profile → Personal Access Tokens, of an administrator; Bitbucket: an
administrator's password; Crowd: the application's password; SCIM: the service's bearer token) comes from
ENTRA_SYNC_TARGET_SECRET, or is typed at a hidden prompt on a terminal; never from a flag, and it is never printed. It
is kept in the system keychain (macOS Keychain, Windows Credential Manager, the Secret Service of a Linux desktop)
under "Entra Sync Assistant (…)", one entry set per data folder, where the app reads it too; where no keychain can be
used (a server without a desktop session), or with ENTRA_SYNC_VAULT=file, in <data folder>/target-secrets.json,
readable only by you (not encrypted). Tokens kept in that file move into the keychain once one can be used.`;

/** The usage, with which vault this computer offers (a probe of the keychain, as opening the vault does). */
function usageHere(): string {
  if (process.env.ENTRA_SYNC_VAULT === 'file')
    return `${usage}\n\nOn this computer: ENTRA_SYNC_VAULT=file, so tokens are kept in <data folder>/target-secrets.json.`;
  const probe = probeKeyring(systemKeyring);
  return `${usage}\n\nOn this computer: ${
    probe.ok
      ? `tokens are kept in the system keychain (${probe.keyring.label}).`
      : `no system keychain was found (${probe.reason}); tokens are kept in <data folder>/target-secrets.json.`
  }`;
}

/** Where the tokens are, as `targets list` ends: the words of Settings → Targets. */
export function vaultLine(vault: VaultProtection): string {
  return vault.secure
    ? `Tokens are kept in the ${vault.backend}.\n`
    : `No system keychain was found; tokens are kept in an ${vault.backend}.\n`;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        url: { type: 'string' },
        username: { type: 'string' },
        'disable-means': { type: 'string' },
        preset: { type: 'string' },
        'ca-cert': { type: 'string' },
        'save-anyway': { type: 'boolean' },
        'write-test': { type: 'boolean' },
        json: { type: 'boolean' },
        ...settingsOptions,
      },
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The checks as lines: a mark, the message, and the fix under a failing or warning one. */
export function reportLines(report: TargetTestReport): string {
  const mark = { pass: '✓', warning: '!', fail: '✗', skipped: '-' } as const;
  const lines = [
    report.product ? `${report.product} ${report.version ?? ''}`.trim() : 'Product: unknown (not reached)',
    ...report.checks.flatMap((c) => [
      `  ${mark[c.status]} ${c.id}: ${c.message}`,
      ...(c.status !== 'pass' ? c.details.map((d) => `      ${d}`) : []),
      ...(c.fix && c.status !== 'pass' ? [`      fix: ${c.fix}`] : []),
    ]),
    report.ok ? 'Connection OK.' : 'Connection FAILED.',
  ];
  return lines.join('\n') + '\n';
}

export const reportJson = (report: TargetTestReport) =>
  JSON.stringify({
    ok: report.ok,
    product: report.product,
    version: report.version,
    checks: report.checks.map(({ id, status, code, message, fix }) => ({ id, status, code, message, fix })),
  });

async function readToken(io: CliIo, product: TargetProduct): Promise<string> {
  const what = targetProductInfo[product].secretLabel;
  const fromEnv = io.env.ENTRA_SYNC_TARGET_SECRET?.trim();
  if (fromEnv) return fromEnv;
  if (!io.readSecret)
    throw new UsageError(
      `give the ${what.toLowerCase()} in ENTRA_SYNC_TARGET_SECRET (no terminal to type it at); it is never a flag.`,
    );
  const typed = (await io.readSecret(`${what} (not shown): `)).trim();
  if (!typed) throw new UsageError(`no ${what.toLowerCase()} was typed.`);
  return typed;
}

/** The product named on the command line, when this build can sync into it. */
function productArg(value: string | undefined): TargetProduct {
  const offered = availableProducts();
  if (!value || !(targetProducts as readonly string[]).includes(value) || !offered.includes(value as TargetProduct))
    throw new UsageError(
      `the product to add is one of ${offered.join(', ')}: entra-sync targets add ${offered[0]} --name N --url U`,
    );
  return value as TargetProduct;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} is one of ${allowed.join(', ')}.`);
  return value as T;
}

async function runTest(
  config: Pick<TargetConfig, 'baseUrl' | 'caCertPem' | 'caCertPath' | 'product' | 'username' | 'scimPreset' | 'bitbucketDisable'>,
  token: string,
  io: CliIo,
  writeTest = false,
) {
  const transport = targetTransport(config, io.env);
  try {
    return await testTarget(config, token, transport, systemClock, writeTest);
  } finally {
    await transport.close();
  }
}

const summaryOf = (t: TargetConfig) => ({
  id: t.id,
  name: t.name,
  product: t.product,
  url: t.baseUrl,
  ...(t.username ? { username: t.username } : {}),
  ...(t.bitbucketDisable ? { disableMeans: t.bitbucketDisable } : {}),
  ...(t.scimPreset ? { preset: t.scimPreset } : {}),
  tokenHint: t.tokenHint,
  caCert: Boolean(t.caCertPem || t.caCertPath),
  sync: t.sync === 'inherit' ? 'inherit' : 'own',
});

export const targetsCommand: CliCommand = {
  name: 'targets',
  summary: 'add, list, test or remove the Jira, Confluence, Bitbucket, Crowd and SCIM targets, and their sync settings',
  get usage() {
    return usageHere();
  },
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    const [action, ...args] = positionals;
    const json = values.json === true;
    const settingsFlags = settingsFlagsGiven(values);
    if (action !== 'settings' && settingsFlags.length > 0)
      throw new UsageError(
        `${settingsFlags.join(', ')} go${settingsFlags.length === 1 ? 'es' : ''} with \`targets settings NAME\`.`,
      );
    const folder = openDataFolder(io);
    const fail = (error: AppError) => {
      io.stderr(`entra-sync targets: ${error.message}\n`);
      if (json) io.stdout(JSON.stringify({ error: { code: error.code, message: error.message } }) + '\n');
      return ExitCode.failed;
    };
    try {
      switch (action) {
        case 'add': {
          const product = productArg(args[0]);
          const info = targetProductInfo[product];
          if (!values.name || !values.url) throw new UsageError(`targets add ${product} needs --name and --url.`);
          if (info.usernameLabel && !values.username)
            throw new UsageError(`targets add ${product} needs --username (${info.usernameLabel.toLowerCase()}).`);
          if (!info.usernameLabel && values.username) throw new UsageError(`--username is not used by ${product}.`);
          const bitbucketDisable = choice('disable-means', values['disable-means'], bitbucketDisableModes);
          if (bitbucketDisable && product !== 'bitbucket') throw new UsageError('--disable-means goes with bitbucket.');
          const scimPreset = choice('preset', values.preset, scimPresets);
          if (scimPreset && product !== 'scim') throw new UsageError('--preset goes with scim.');
          let caCertPem: string | undefined;
          const caCertPath = values['ca-cert'] ? resolve(values['ca-cert']) : undefined;
          if (caCertPath) {
            if (!existsSync(caCertPath)) throw new UsageError(`--ca-cert ${caCertPath} does not exist.`);
            caCertPem = readFileSync(caCertPath, 'utf8');
            if (!caCertPem.includes('-----BEGIN CERTIFICATE-----'))
              throw new UsageError(`--ca-cert ${caCertPath} holds no PEM certificate.`);
          }
          const token = await readToken(io, product);
          const config = targetConfigFor(
            folder.settings,
            {
              name: values.name,
              product,
              baseUrl: values.url,
              caCertPem,
              caCertPath,
              ...(values.username ? { username: values.username } : {}),
              ...(bitbucketDisable ? { bitbucketDisable } : {}),
              ...(scimPreset ? { scimPreset } : {}),
            },
            token,
            systemClock.now(),
          );
          const report = await runTest(config, token, io);
          if (!report.ok && values['save-anyway'] !== true) {
            if (json) io.stdout(JSON.stringify({ saved: false, report: JSON.parse(reportJson(report)) }) + '\n');
            else io.stdout(reportLines(report));
            io.stderr(
              `entra-sync targets: "${config.name}" was not saved: the test failed (use --save-anyway to save it regardless).\n`,
            );
            return ExitCode.failed;
          }
          await saveTarget(folder.settings, folder.vault, config, token);
          if (json)
            io.stdout(JSON.stringify({ saved: true, target: summaryOf(config), report: JSON.parse(reportJson(report)) }) + '\n');
          else io.stdout(`${reportLines(report)}Saved target "${config.name}" (${config.id}), token ${config.tokenHint}.\n`);
          return ExitCode.ok;
        }
        case 'list': {
          const targets = folder.settings.get().targets;
          if (json) {
            io.stdout(
              JSON.stringify({
                targets: [
                  { id: 'local', name: 'local', product: 'local', url: null, tokenHint: '', caCert: false, sync: 'inherit' },
                  ...targets.map(summaryOf),
                ],
                vault: folder.vault.protection(),
              }) + '\n',
            );
          } else {
            io.stdout('local   the embedded directory (default)\n');
            for (const t of targets) io.stdout(`${t.name}   ${t.product} ${t.baseUrl}   token ${t.tokenHint}   (${t.id})\n`);
            io.stdout(vaultLine(folder.vault.protection()));
          }
          return ExitCode.ok;
        }
        case 'test': {
          const config = mustFind(folder.settings, args[0]);
          const report = await runTest(config, await targetToken(folder.vault, config), io, values['write-test'] === true);
          io.stdout(json ? reportJson(report) + '\n' : reportLines(report));
          return report.ok ? ExitCode.ok : ExitCode.failed;
        }
        case 'remove': {
          const config = mustFind(folder.settings, args[0]);
          const dbPath = join(folder.dir, 'sync.db');
          const db = existsSync(dbPath) ? openDatabase(dbPath) : undefined;
          try {
            await removeTarget(folder.settings, folder.vault, config, db);
          } finally {
            db?.close();
          }
          io.stdout(json ? JSON.stringify({ removed: true, id: config.id }) + '\n' : `Removed target "${config.name}".\n`);
          return ExitCode.ok;
        }
        case 'settings': {
          refuseLocal(args[0]);
          await targetSettings(folder, mustFind(folder.settings, args[0]), values, io, json);
          return ExitCode.ok;
        }
        default:
          throw new UsageError(action ? `unknown action '${action}'.` : 'say what to do: add, list, test, remove or settings.');
      }
    } catch (error) {
      if (error instanceof AppError) return fail(error);
      throw error;
    }
  },
};

function mustFind(settings: Parameters<typeof findTarget>[0], name: string | undefined): TargetConfig {
  if (!name) throw new UsageError('name the target.');
  const found = findTarget(settings, name);
  if (!found) throw new AppError('target-not-found', `No target is called "${name}"; \`entra-sync targets list\` shows them.`);
  return found;
}
