import { useCallback, useState } from 'react';
import type { ReminderStatus } from '../../shared/contract/schedule';
import { call } from '../api/client';
import { useLive } from '../api/use-live';

/** The secret-expiry reminder status, kept current by `reminders:changed`, with snooze. */
export function useReminders(): {
  readonly reminders: ReminderStatus | undefined;
  readonly error: Error | undefined;
  snooze(): Promise<void>;
  setReminders(status: ReminderStatus): void;
} {
  // Kept current by reminders:changed; an answer older than the latest change is dropped (see useLive).
  const live = useLive('reminders:changed', () => call('reminders:get', undefined));
  const { set } = live;
  const [snoozeError, setSnoozeError] = useState<Error>();
  const snooze = useCallback(async () => {
    try {
      set(await call('reminders:snooze', undefined));
      setSnoozeError(undefined);
    } catch (e) {
      setSnoozeError(e as Error);
    }
  }, [set]);
  return { reminders: live.value, error: snoozeError ?? live.error, snooze, setReminders: set };
}
