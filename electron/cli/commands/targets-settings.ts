import { targetsRequests, type TargetSyncSettings } from '../../../shared/contract/targets';
import { AppError } from '../../../shared/errors';
import { localTargetId, targetProductInfo, type TargetConfig } from '../../../shared/targets';
import { silentLogger, systemClock } from '../../services/ports';
import { createTargetAdmin } from '../../services/targets/target-admin';
import { UsageError, type CliIo } from '../command';
import type { DataFolder } from '../data-folder';

/**
 * `entra-sync targets settings NAME`: a target's sync settings as Sync settings → "Settings for" shows them (the
 * global ones it inherits, or its own; e-mail matching, protected groups beside the product's administrator groups,
 * deletion of vanished groups), and the flags that change them. Every change of one call is checked first and
 * written in one step through the target admin's `saveSync`, as the app saves the form: a wrong value changes nothing.
 */

export const settingsUsage = `  settings NAME  the target's sync settings: the global ones it inherits or its own, and its matching and
                 protection rules (as Sync settings → "Settings for" in the app); with any of these flags, changes
                 them, all in one write (a wrong value changes nothing):
    --inherit on|off          on: use the global sync settings; off: its own, starting from the global ones
                              (edit them in the app's Sync settings)
    --match-by-email on|off   match an existing account by e-mail when no username matches
    --protect-group G         a group the sync never changes, deletes or empties (repeatable); the product's
                              administrator groups and the account the sync signs in with always are
    --unprotect-group G       no longer protected (repeatable)
    --delete-vanished-groups on|off
                              delete groups the sync created when they disappear from Entra ID (cannot be undone)
                 --json prints {"id","name","product","inherit","policy","matchByEmail","protectedGroups",
                 "adminGroups","deleteVanishedGroups","saved"}`;

/** The flags of `targets settings`, for the command's parseArgs. */
export const settingsOptions = {
  inherit: { type: 'string' },
  'match-by-email': { type: 'string' },
  'protect-group': { type: 'string', multiple: true },
  'unprotect-group': { type: 'string', multiple: true },
  'delete-vanished-groups': { type: 'string' },
} as const;

export interface SettingsFlags {
  readonly inherit?: string;
  readonly 'match-by-email'?: string;
  readonly 'protect-group'?: string[];
  readonly 'unprotect-group'?: string[];
  readonly 'delete-vanished-groups'?: string;
}

/** The settings flags given, by name (`--inherit`, …): refused with any other action. */
export const settingsFlagsGiven = (values: SettingsFlags): string[] =>
  Object.keys(settingsOptions)
    .filter((k) => values[k as keyof SettingsFlags] !== undefined)
    .map((k) => `--${k}`);

function onOff(flag: keyof SettingsFlags, values: SettingsFlags): boolean | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !['on', 'off'].includes(value.trim().toLowerCase()))
    throw new UsageError(`--${flag} is on or off (not "${String(value)}").`);
  return value.trim().toLowerCase() === 'on';
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Shows, and with flags changes, the sync settings of the target `config`. */
export async function targetSettings(
  folder: DataFolder,
  config: TargetConfig,
  values: SettingsFlags,
  io: CliIo,
  json: boolean,
): Promise<void> {
  const admin = createTargetAdmin({
    settings: folder.settings,
    vault: folder.vault,
    clock: systemClock,
    logger: silentLogger,
    events: { emit: () => {} },
    isDemoTenant: () => false,
    lastRunOf: () => null,
    forgetLinks: () => {},
    env: io.env as NodeJS.ProcessEnv,
  });
  try {
    const global = folder.settings.get().sync;
    const current = admin.getSync(config.id, global);
    const next = changes(current, values);
    const saved = next !== undefined;
    const shown = next ? await admin.saveSync(next, global) : current;
    if (json) io.stdout(JSON.stringify({ ...shown, saved }) + '\n');
    else io.stdout(settingsLines(shown) + (saved ? `Saved. The next sync into "${shown.name}" uses these settings.\n` : ''));
  } finally {
    await admin.close();
  }
}

/** The `targets:saveSync` input the flags ask for, checked; undefined when no flag changes anything. */
function changes(current: TargetSyncSettings, values: SettingsFlags) {
  if (settingsFlagsGiven(values).length === 0) return undefined;
  const inherit = onOff('inherit', values) ?? current.inherit;
  const matchByEmail = onOff('match-by-email', values) ?? current.matchByEmail;
  const deleteVanishedGroups = onOff('delete-vanished-groups', values) ?? current.deleteVanishedGroups;
  const admins = new Set(current.adminGroups.map(lower));
  const product = targetProductInfo[current.product].shortLabel;
  const add = (values['protect-group'] ?? []).map((g) => g.trim());
  const drop = (values['unprotect-group'] ?? []).map((g) => g.trim());
  if ([...add, ...drop].some((g) => g === '')) throw new UsageError('--protect-group and --unprotect-group need a group name.');
  const both = add.find((g) => drop.some((d) => lower(d) === lower(g)));
  if (both !== undefined) throw new UsageError(`"${both}" is both protected and unprotected; say one of them.`);
  for (const g of drop) {
    if (admins.has(lower(g)))
      throw new AppError(
        'target-group-always-protected',
        `"${g}" is one of ${product}'s administrator groups, which the sync never touches; it cannot be unprotected.`,
      );
    if (!current.protectedGroups.some((p) => lower(p) === lower(g)))
      throw new AppError(
        'target-group-not-protected',
        `"${g}" is not a protected group of "${current.name}" (${current.protectedGroups.length ? `protected: ${current.protectedGroups.join(', ')}` : 'it has none'}).`,
      );
  }
  const protectedGroups = [
    ...current.protectedGroups.filter((p) => !drop.some((d) => lower(d) === lower(p))),
    ...add.filter((g) => !admins.has(lower(g))),
  ];
  const input = {
    id: current.id,
    inherit,
    // Its own settings start as the global ones, as in the app when "Use the global settings" is turned off.
    ...(inherit ? {} : { policy: current.policy }),
    matchByEmail,
    protectedGroups,
    deleteVanishedGroups,
  };
  const parsed = targetsRequests['targets:saveSync'].safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      issue?.path[0] === 'protectedGroups'
        ? `a protected group's name is at most 255 characters, and a target has at most 500 of them.`
        : `these settings are not valid: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

const word = (on: boolean) => (on ? 'on' : 'off');

/** The settings as lines: where they come from, the target's rules, and what the sync settings in use say. */
export function settingsLines(s: TargetSyncSettings): string {
  const product = targetProductInfo[s.product].shortLabel;
  const { policy } = s;
  const users =
    policy.users.scope === 'all' ? 'all users' : `members of ${policy.users.requiredGroupIds.length} required group(s)`;
  const groups =
    policy.groups.scope === 'namePattern'
      ? `groups named ${policy.groups.namePattern}`
      : policy.groups.scope === 'all'
        ? 'all groups'
        : 'the required groups';
  return (
    [
      `${s.name} (${s.product}, ${s.id})`,
      s.inherit
        ? '  sync settings: inherited, the global ones (Sync settings → All targets); --inherit off gives it its own'
        : '  sync settings: its own (changes to the global ones do not reach it); --inherit on uses the global ones again',
      `    ${users}, ${groups}; leavers: ${policy.cleanup.leavers}; guests: ${policy.users.guests}`,
      `  match by e-mail: ${word(s.matchByEmail)} (an existing ${product} account is matched by e-mail when no username matches)`,
      `  protected groups: ${s.protectedGroups.length ? s.protectedGroups.join(', ') : 'none'}`,
      `  always protected: ${s.adminGroups.length ? `${s.adminGroups.join(', ')}, and ` : ''}the account the sync signs in with`,
      `  delete vanished groups: ${word(s.deleteVanishedGroups)} (groups the sync created in ${product}, when they disappear from Entra ID)`,
    ].join('\n') + '\n'
  );
}

/** The embedded directory has no settings of its own. */
export function refuseLocal(name: string | undefined): void {
  if (name !== undefined && lower(name.trim()) === localTargetId)
    throw new AppError(
      'target-settings-local',
      'The embedded directory (local) always syncs with the global sync settings; change them in the app under Sync settings → All targets.',
    );
}
