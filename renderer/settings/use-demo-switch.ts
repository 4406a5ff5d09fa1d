import { useState } from 'react';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { call } from '../api/client';
import { useConnectionTest, type ConnectionTestState } from '../validation/use-connection-test';

/** The admin's own tenant values are set (typed or working): switching to the demo tenant puts them aside. */
export function hasOwnConnection(c: ConnectionSummary): boolean {
  return !c.demo && (c.tenantId !== '' || c.clientId !== '');
}

/** The demo secret's lifetime unless the admin picks another (the emulator's own default). */
export const demoSecretDefaultDays = 365;

/** Switching to the demo tenant and back, from the settings. */
export interface DemoSwitch {
  readonly busy: boolean;
  readonly error: Error | undefined;
  /** The test run right after a switch (the demo tenant, or the admin's connection once it is back). */
  readonly test: ConnectionTestState;
  /** Which confirmation is open. */
  readonly confirming: 'try' | 'leave' | undefined;
  /** Days until the demo's client secret expires (the demo options): short ones show the expiry warnings. */
  readonly secretDays: number;
  setSecretDays(days: number): void;
  /** Asks first when something of the admin's would be put aside or removed. */
  askTry(): void;
  askLeave(): void;
  closeConfirm(): void;
  tryDemo(): Promise<void>;
  leaveDemo(): Promise<void>;
  clearError(): void;
}

/**
 * "Try with a demo tenant" and "Leave the demo tenant" in the main window. Trying it keeps the admin's own
 * connection aside (the service does); leaving brings it back and tests it, or — when there is none — reopens
 * setup at step 4 so the admin connects a tenant of their own (`onSetupAgain`). `onSwitched` closes what described
 * the connection before the switch (an open editor).
 */
export function useDemoSwitch(
  connection: ConnectionSummary | undefined,
  handlers: { readonly onSwitched: () => void; readonly onSetupAgain: () => void },
): DemoSwitch {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [confirming, setConfirming] = useState<'try' | 'leave'>();
  const [secretDays, setSecretDays] = useState(demoSecretDefaultDays);
  const test = useConnectionTest();

  const guarded = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const tryDemo = () =>
    guarded(async () => {
      await call('connection:startDemo', { secretExpiresInDays: secretDays });
      handlers.onSwitched();
      // Its values are filled in by the service; the test takes them from there.
      await test.run({});
    });

  const leaveDemo = () =>
    guarded(async () => {
      const back = await call('connection:stopDemo', undefined);
      handlers.onSwitched();
      if (back.tenantId === '' && back.clientId === '') {
        // Nothing of the admin's own to go back to: setup reopens where real values are entered.
        await call('connection:saveDraft', {
          setup: { step: 'values', completed: ['register', 'permission', 'secret'], finished: false },
        });
        handlers.onSetupAgain();
        return;
      }
      if (back.complete) await test.run({});
      else test.reset();
    });

  return {
    busy,
    error,
    test,
    confirming,
    secretDays,
    setSecretDays,
    askTry: () => (connection && hasOwnConnection(connection) ? setConfirming('try') : void tryDemo()),
    askLeave: () => setConfirming('leave'),
    closeConfirm: () => setConfirming(undefined),
    tryDemo,
    leaveDemo,
    clearError: () => setError(undefined),
  };
}
