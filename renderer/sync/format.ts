import type { PlanItemKind, RunStatus, RunTrigger, SyncPhase } from '../../shared/sync';

/** Words for the sync's codes, shared by the dashboard, the plan preview and the history. */

export const kindLabels: Record<PlanItemKind, string> = {
  'create-user': 'Create user',
  'update-user': 'Update user',
  'enable-user': 'Enable user',
  'disable-user': 'Disable user',
  'delete-user': 'Delete user',
  'create-group': 'Create group',
  'update-group': 'Update group',
  'delete-group': 'Delete group',
  'add-member': 'Add member',
  'remove-member': 'Remove member',
};

/** Kinds in the order people read a plan: users, groups, memberships. */
export const kindDisplayOrder: readonly PlanItemKind[] = [
  'create-user',
  'update-user',
  'enable-user',
  'disable-user',
  'delete-user',
  'create-group',
  'update-group',
  'delete-group',
  'add-member',
  'remove-member',
];

export const phaseLabels: Record<SyncPhase, string> = {
  starting: 'Starting',
  'reading-source': 'Reading Entra ID',
  'reading-target': 'Reading the directory',
  planning: 'Planning changes',
  applying: 'Applying changes',
  finishing: 'Finishing',
};

export const statusLabels: Record<RunStatus, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  blocked: 'Held by the safety brake',
  cancelled: 'Cancelled',
  partial: 'Partly applied',
};

export const triggerLabels: Record<RunTrigger, string> = { manual: 'Manual', scheduled: 'Scheduled', terminal: 'Terminal' };

/** Badge colours per status. */
export function statusColor(status: RunStatus): 'success' | 'danger' | 'warning' | 'informative' | 'subtle' {
  switch (status) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'danger';
    case 'blocked':
    case 'partial':
      return 'warning';
    case 'running':
      return 'informative';
    case 'cancelled':
      return 'subtle';
  }
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number) => numberFormat.format(n);

/** `1 min 5 s`, `850 ms`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A date and time in the admin's locale; in `timeZone` when given (a schedule's own zone), else this computer's. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/** `5 minutes ago`, `in 3 hours`. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const diff = Date.parse(iso) - now.getTime();
  if (Number.isNaN(diff)) return '';
  const abs = Math.abs(diff);
  if (abs < 10_000) return diff <= 0 ? 'just now' : 'in a few seconds';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, size] of units) if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  return rtf.format(Math.round(diff / 1000), 'second');
}

/** Sum of a counts record. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
