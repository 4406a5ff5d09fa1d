import { useCallback, useRef, useState, type ReactNode } from 'react';
import { LeaveDialog, type LeaveGuard } from '../app/leave-guard';

/**
 * The wizard's side of the leave guard (the main window's shell has its own): while a step holds unsaved input (the
 * target form of "Where should users go?"), moving to another step, Back, "Go to the dashboard" or "Choose another
 * model" asks "Save / Discard / Stay" first. `register` goes into LeaveGuardContext; `leave` runs a move once allowed.
 */
export function useWizardLeaveGuard(): {
  register: (guard: LeaveGuard | undefined) => void;
  leave: (move: () => void) => void;
  dialog: ReactNode;
} {
  const guard = useRef<LeaveGuard | undefined>(undefined);
  const register = useCallback((g: LeaveGuard | undefined) => {
    guard.current = g;
  }, []);
  const [pending, setPending] = useState<{ move: () => void }>();
  const go = (move: () => void) => {
    guard.current = undefined;
    setPending(undefined);
    move();
  };
  const leave = (move: () => void) => (guard.current ? setPending({ move }) : move());
  const dialog = (
    <LeaveDialog
      open={pending !== undefined}
      onSave={async () => {
        const target = pending;
        if (target && (await guard.current?.save()) !== false) go(target.move);
        else setPending(undefined);
      }}
      onDiscard={() => pending && go(pending.move)}
      onStay={() => setPending(undefined)}
    />
  );
  return { register, leave, dialog };
}
