import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
} from '@fluentui/react-components';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';

/**
 * A page with unsaved changes holds the shell's navigation: leaving it asks "Save / Discard / Stay", and closing or
 * reloading the window warns (the browser's own prompt; the desktop host asks in a native dialog).
 */
export interface LeaveGuard {
  /** Saves the page's changes; true once stored (false: the page shows why, and the admin stays). */
  readonly save: () => Promise<boolean>;
}

/** Filled by the shell: a page registers its guard while it has unsaved changes. */
export const LeaveGuardContext = createContext<(guard: LeaveGuard | undefined) => void>(() => undefined);

/**
 * While `dirty`, navigation away from the page asks first, and the window warns before it unloads. Returns `release`,
 * for a page that has just saved and navigates at once (before its new state is rendered).
 */
export function useLeaveGuard(dirty: boolean, save: () => Promise<boolean>): () => void {
  const register = useContext(LeaveGuardContext);
  const latest = useRef(save);
  useEffect(() => {
    latest.current = save;
  });
  useEffect(() => {
    if (!dirty) return;
    register({ save: () => latest.current() });
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older engines need returnValue set to show their prompt.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      register(undefined);
      window.removeEventListener('beforeunload', warn);
    };
  }, [dirty, register]);
  return useCallback(() => register(undefined), [register]);
}

/** The question the shell asks before it leaves a page with unsaved changes. */
export function LeaveDialog(props: { open: boolean; onSave: () => Promise<void>; onDiscard: () => void; onStay: () => void }) {
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await props.onSave();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog open={props.open} modalType="alert" onOpenChange={(_, d) => !d.open && props.onStay()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>You have unsaved changes</DialogTitle>
          <DialogContent>Save them before you leave this page, or discard them. Stay to keep editing.</DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={saving} onClick={() => void save()}>
              {saving ? <Spinner size="tiny" label="Saving…" /> : 'Save'}
            </Button>
            <Button disabled={saving} onClick={props.onDiscard}>
              Discard
            </Button>
            <Button disabled={saving} onClick={props.onStay}>
              Stay
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
