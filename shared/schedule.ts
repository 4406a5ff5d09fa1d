import { z } from 'zod';

/**
 * Pure helpers for cron schedules: the presets a form offers and a pattern described in words.
 *
 * Validation and the next run times come from croner in the main process (`schedule:preview`); this file only
 * explains a pattern to people, so it may fall back to a plainer sentence for exotic syntax but never lies:
 * anything it does not fully understand is described field by field.
 */

/** A ready-made schedule a form can offer. */
export interface SchedulePreset {
  readonly id: 'hourly' | 'every-4-hours' | 'daily' | 'weekdays';
  readonly label: string;
  readonly cron: string;
}

/** The presets, most frequent first. */
export const schedulePresets: readonly SchedulePreset[] = [
  { id: 'hourly', label: 'Every hour', cron: '0 * * * *' },
  { id: 'every-4-hours', label: 'Every 4 hours', cron: '0 */4 * * *' },
  { id: 'daily', label: 'Every day at 02:00', cron: '0 2 * * *' },
  { id: 'weekdays', label: 'Weekdays at 02:00', cron: '0 2 * * 1-5' },
];

/** The schedule a new install proposes: nightly, when nobody is working. */
export const defaultCron = '0 2 * * *';

/** The preset whose pattern is `cron` (spacing ignored), if any. */
export function presetFor(cron: string): SchedulePreset | undefined {
  const normal = normalizeCron(cron);
  return schedulePresets.find((p) => p.cron === normal);
}

/** Collapses whitespace so `0  2 * * *` and `0 2 * * *` compare equal. */
export function normalizeCron(cron: string): string {
  return cron.trim().split(/\s+/).join(' ');
}

const nicknames: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const dayAliases = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const monthAliases = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** One parsed field: every value, a plain step from the start (`*∕n`), or an explicit sorted list. */
interface Field {
  readonly any: boolean;
  /** Set for `*∕n` (and `0∕n` on a zero-based field): every n units from the first. */
  readonly step: number | null;
  readonly values: readonly number[];
}

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly aliases?: readonly string[];
  /** The first alias maps to this number (1 for months). */
  readonly aliasBase?: number;
}

const specs = {
  second: { min: 0, max: 59 },
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  dom: { min: 1, max: 31 },
  month: { min: 1, max: 12, aliases: monthAliases, aliasBase: 1 },
  dow: { min: 0, max: 7, aliases: dayAliases, aliasBase: 0 },
} as const satisfies Record<string, FieldSpec>;

function parseNumber(text: string, spec: FieldSpec): number | null {
  const alias = spec.aliases?.indexOf(text.toUpperCase()) ?? -1;
  if (alias >= 0) return alias + (spec.aliasBase ?? 0);
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : null;
}

/** Parses one field, or null for syntax this describer does not handle (L, W, #, …). */
function parseField(text: string, spec: FieldSpec): Field | null {
  const t = text === '?' ? '*' : text;
  if (t === '*') return { any: true, step: null, values: range(spec.min, spec.max, 1) };
  const plainStep = /^(\*|0)\/(\d+)$/.exec(t);
  if (plainStep && (plainStep[1] === '*' || spec.min === 0)) {
    const step = Number(plainStep[2]);
    if (step < 1) return null;
    return { any: false, step, values: range(spec.min, spec.max, step) };
  }
  const values = new Set<number>();
  for (const part of t.split(',')) {
    const m = /^([A-Za-z0-9*]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(part);
    if (!m || m[1] === undefined) return null;
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step < 1) return null;
    const from = m[1] === '*' ? spec.min : parseNumber(m[1], spec);
    const to = m[2] !== undefined ? parseNumber(m[2], spec) : m[3] !== undefined || m[1] === '*' ? spec.max : from;
    if (from === null || to === null || to < from) return null;
    for (const v of range(from, to, step)) values.add(v);
  }
  return { any: false, step: null, values: [...values].sort((a, b) => a - b) };
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function ordinalDay(n: number): string {
  const rem100 = n % 100;
  const suffix = rem100 >= 11 && rem100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Whether `values` is a run of consecutive numbers (at least 3, so "8–18" reads better than listing). */
function contiguous(values: readonly number[]): boolean {
  if (values.length < 3) return false;
  return values.every((v, i) => i === 0 || v === (values[i - 1] ?? Number.NaN) + 1);
}

function describeTime(second: Field, minute: Field, hour: Field): string | null {
  const secondPart = second.values.length === 1 && second.values[0] === 0 ? '' : null;
  if (secondPart === null) return null;
  if (minute.any && hour.any) return 'Every minute';
  if (minute.step !== null && hour.any) return `Every ${minute.step} minutes`;
  if (minute.any && !hour.any) {
    if (contiguous(hour.values)) {
      return `Every minute from ${pad(hour.values[0] ?? 0)}:00 to ${pad(hour.values.at(-1) ?? 0)}:59`;
    }
    return `Every minute during the hour${hour.values.length > 1 ? 's' : ''} starting ${list(hour.values.map((h) => `${pad(h)}:00`))}`;
  }
  if (minute.step !== null && !hour.any && contiguous(hour.values)) {
    return `Every ${minute.step} minutes from ${pad(hour.values[0] ?? 0)}:00 to ${pad(hour.values.at(-1) ?? 0)}:59`;
  }
  if (hour.any) {
    if (minute.values.length === 1 && minute.values[0] === 0) return 'Every hour';
    return `Every hour at ${list(minute.values.map((m) => `:${pad(m)}`))}`;
  }
  if (minute.values.length === 1) {
    const m = minute.values[0] ?? 0;
    if (hour.step !== null) {
      const times = hour.values.map((h) => `${pad(h)}:${pad(m)}`);
      return `Every ${hour.step} hours (${times.length <= 6 ? list(times) : `${times[0] ?? ''}, ${times[1] ?? ''}, …`})`;
    }
    if (contiguous(hour.values) && hour.values.length > 4) {
      return `Every hour from ${pad(hour.values[0] ?? 0)}:${pad(m)} to ${pad(hour.values.at(-1) ?? 0)}:${pad(m)}`;
    }
  }
  const times = hour.values.flatMap((h) => minute.values.map((m) => `${pad(h)}:${pad(m)}`));
  if (times.length <= 8) return `at ${list(times)}`;
  return `At minute ${list(minute.values.map(String))} of hour ${list(hour.values.map(String))}`;
}

function weekdays(dow: Field): number[] {
  return [...new Set(dow.values.map((d) => (d === 7 ? 0 : d)))].sort((a, b) => a - b);
}

function describeDays(dom: Field, month: Field, dow: Field): string | null {
  const days = weekdays(dow);
  let dayPart: string;
  if (dom.any && dow.any) dayPart = 'every day';
  else if (dom.any) {
    const key = days.join(',');
    if (key === '1,2,3,4,5') dayPart = 'on weekdays (Monday to Friday)';
    else if (key === '0,6') dayPart = 'on weekends';
    else if (days.length === 7) dayPart = 'every day';
    else dayPart = `every ${list(days.map((d) => dayNames[d] ?? String(d)))}`;
  } else {
    const dates = `on the ${list(dom.values.map(ordinalDay))}`;
    // Classic cron: when both day fields are restricted, a day matching either runs (croner's default too).
    dayPart = dow.any ? dates : `${dates} or every ${list(days.map((d) => dayNames[d] ?? String(d)))}`;
  }
  if (month.any) return dom.any ? dayPart : `${dayPart} of every month`;
  const months = list(month.values.map((m) => monthNames[m - 1] ?? String(m)));
  if (!dom.any && dow.any) return `${dayPart} of ${months}`;
  return dayPart === 'every day' ? `every day in ${months}` : `${dayPart} in ${months}`;
}

/**
 * Describes a cron pattern in words, e.g. `0 2 * * 1-5` → "Weekdays (Monday to Friday) at 02:00".
 * Returns a field-by-field sentence for syntax it cannot phrase naturally; never throws.
 */
export function describeCron(cron: string): string {
  const normal = normalizeCron(cron);
  const expanded = nicknames[normal.toLowerCase()] ?? normal;
  const parts = expanded.split(' ');
  if (parts.length !== 5 && parts.length !== 6) return `Custom schedule (${normal})`;
  const [sec, min, hr, dom, mon, dow] = parts.length === 6 ? parts : ['0', ...parts];
  const fields = [
    parseField(sec ?? '', specs.second),
    parseField(min ?? '', specs.minute),
    parseField(hr ?? '', specs.hour),
    parseField(dom ?? '', specs.dom),
    parseField(mon ?? '', specs.month),
    parseField(dow ?? '', specs.dow),
  ] as const;
  const [fs, fm, fh, fd, fmo, fw] = fields;
  if (!fs || !fm || !fh || !fd || !fmo || !fw) return fieldByField(normal, parts.length === 6);
  const time = describeTime(fs, fm, fh);
  const days = describeDays(fd, fmo, fw);
  if (time === null || days === null) return fieldByField(normal, parts.length === 6);
  if (time.startsWith('at ')) {
    if (days === 'every day') return `Every day ${time}`;
    if (days.startsWith('on weekdays')) return `Weekdays (Monday to Friday) ${time}`;
    if (days === 'on weekends') return `Weekends ${time}`;
    return `${capitalize(days)} ${time}`;
  }
  return days === 'every day' ? time : `${time}, ${days}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fieldByField(pattern: string, withSeconds: boolean): string {
  const names = withSeconds
    ? ['second', 'minute', 'hour', 'day of month', 'month', 'day of week']
    : ['minute', 'hour', 'day of month', 'month', 'day of week'];
  const parts = pattern.split(' ');
  const described = parts.map((p, i) => `${names[i] ?? 'field'} ${p}`);
  return `Custom schedule: ${described.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Settings sections (joined into shared/settings.ts)

const runOutcomeSchema = z.object({
  slotAt: z.string(),
  finishedAt: z.string(),
  status: z.enum(['succeeded', 'failed', 'skipped']),
  attempts: z.number().int().min(0),
  runId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  resolvedAt: z.string().nullable().default(null),
});

/**
 * The `schedule` settings section: what the admin chose, plus the scheduler's bookkeeping (`lastSlotAt`,
 * `lastOutcome`), kept here so a restart neither repeats nor forgets a run.
 */
export const scheduleSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  cron: z.string().default(defaultCron),
  /** IANA zone; empty: this computer's zone. */
  timeZone: z.string().default(''),
  paused: z.boolean().default(false),
  startAtLogin: z.boolean().default(false),
  /** The last slot handled (run, skipped, or the moment the schedule was saved or resumed): nothing before it is due. */
  lastSlotAt: z.string().nullable().default(null),
  lastOutcome: runOutcomeSchema.nullable().default(null),
});
export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;

/**
 * The `reminders` settings section: which thresholds already fired for which expiry date, so each fires once
 * across restarts, and what was snoozed; `oldSecret` is set after a rotation until the admin deleted it.
 */
export const reminderSettingsSchema = z.object({
  /** The expiry date `fired` and `snoozedThreshold` belong to; a different date (rotation) starts afresh. */
  expiresAt: z.string().nullable().default(null),
  /** Thresholds (days) already notified; -1 stands for "has expired". */
  fired: z.array(z.number().int()).default([]),
  snoozedThreshold: z.number().int().nullable().default(null),
  oldSecret: z
    .object({
      hint: z.string(),
      expiresAt: z.string().nullable(),
      keyId: z.string().nullable().default(null),
      displayName: z.string().nullable().default(null),
      replacedAt: z.string(),
    })
    .nullable()
    .default(null),
  /**
   * The expiry read from Graph after a sync (between validations), for the secret named by `secretHint`; the
   * newer of this and the connection's own record counts.
   */
  observed: z.object({ expiresAt: z.string(), secretHint: z.string(), checkedAt: z.string() }).nullable().default(null),
});
export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;
