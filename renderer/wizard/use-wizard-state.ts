import { useCallback, useEffect, useRef, useState } from 'react';
import type { CloudId } from '../../shared/clouds';
import type { ConnectionDraft, ConnectionSummary, SetupProgress } from '../../shared/contract/connection';
import { call, on } from '../api/client';
import type { ValuesDraft } from './step-values';
import type { WizardStep } from './wizard-steps';

/** How long typing may pause before the values are saved (so a crash or a restart keeps them). */
const saveDelayMs = 400;

/**
 * The wizard's saved state: progress (`settings.setup`), the connection summary (kept current by
 * `connection:changed`), and the values being typed, saved shortly after each change. The secret is not here:
 * it never goes to settings.
 */
export function useWizardState(initialSetup: SetupProgress, initialConnection: ConnectionSummary) {
  const [setup, setSetup] = useState(initialSetup);
  const [connection, setConnection] = useState(initialConnection);
  const [values, setValues] = useState<ValuesDraft>({
    cloud: initialConnection.cloud,
    tenantId: initialConnection.tenantId,
    clientId: initialConnection.clientId,
  });
  const [error, setError] = useState<Error>();
  const dirty = useRef(false);

  useEffect(() => on('connection:changed', setConnection), []);

  /** Saves; `keepLocalSetup` when this window's progress is ahead of the answer (quick ticks in a row). */
  const saveDraft = useCallback(async (draft: ConnectionDraft, keepLocalSetup = false) => {
    try {
      const saved = await call('connection:saveDraft', draft);
      setConnection(saved.connection);
      if (!keepLocalSetup) setSetup(saved.setup);
      setError(undefined);
      return saved;
    } catch (e) {
      setError(e as Error);
      return undefined;
    }
  }, []);

  // Values typed by the admin are saved shortly after the last keystroke.
  useEffect(() => {
    if (!dirty.current || connection.demo) return;
    const timer = setTimeout(() => {
      dirty.current = false;
      void saveDraft({ cloud: values.cloud, tenantId: values.tenantId, clientId: values.clientId });
    }, saveDelayMs);
    return () => clearTimeout(timer);
  }, [values, connection.demo, saveDraft]);

  const editValues = useCallback((patch: Partial<ValuesDraft>) => {
    dirty.current = true;
    setValues((v) => ({ ...v, ...patch }));
  }, []);

  /** Takes the values from a connection the service filled in (demo started or stopped). */
  const adoptConnection = useCallback((summary: ConnectionSummary) => {
    dirty.current = false;
    setConnection(summary);
    setValues({ cloud: summary.cloud, tenantId: summary.tenantId, clientId: summary.clientId });
  }, []);

  /** Moves to a step, optionally marking others done (or no longer done), and saves the progress. */
  const moveTo = useCallback(
    (step: WizardStep, change: { done?: readonly WizardStep[]; undone?: readonly WizardStep[] } = {}) => {
      const completed = [...new Set([...setup.completed, ...(change.done ?? [])])].filter(
        (s) => !(change.undone ?? []).includes(s),
      );
      setSetup((s) => ({ ...s, step, completed }));
      return saveDraft({ setup: { step, completed } });
    },
    [setup.completed, saveDraft],
  );

  const tick = useCallback(
    (id: string, checked: boolean) => {
      setSetup((s) => ({ ...s, checklist: { ...s.checklist, [id]: checked } }));
      void saveDraft({ setup: { checklist: { [id]: checked } } }, true);
    },
    [saveDraft],
  );

  /** Saves the typed values now (before testing). */
  const flushValues = useCallback(async () => {
    if (connection.demo) return true;
    dirty.current = false;
    return (await saveDraft({ cloud: values.cloud, tenantId: values.tenantId, clientId: values.clientId })) !== undefined;
  }, [connection.demo, values, saveDraft]);

  const cloudId: CloudId = values.cloud;
  return {
    setup,
    connection,
    values,
    cloudId,
    error,
    setError,
    setConnection,
    editValues,
    adoptConnection,
    moveTo,
    tick,
    flushValues,
    saveDraft,
  };
}
