import { useCallback, useEffect, useState } from 'react';
import type { ReminderStatus } from '../../shared/contract/schedule';
import { call, on } from '../api/client';

/** The secret-expiry reminder status, kept current by `reminders:changed`, with snooze. */
export function useReminders(): {
  readonly reminders: ReminderStatus | undefined;
  readonly error: Error | undefined;
  snooze(): Promise<void>;
  setReminders(status: ReminderStatus): void;
} {
  const [reminders, setReminders] = useState<ReminderStatus>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let cancelled = false;
    call('reminders:get', undefined).then(
      (status) => !cancelled && setReminders(status),
      (e: Error) => !cancelled && setError(e),
    );
    const off = on('reminders:changed', setReminders);
    return () => {
      cancelled = true;
      off();
    };
  }, []);
  const snooze = useCallback(async () => {
    try {
      setReminders(await call('reminders:snooze', undefined));
    } catch (e) {
      setError(e as Error);
    }
  }, []);
  return { reminders, error, snooze, setReminders };
}
