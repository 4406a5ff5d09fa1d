import { useCallback, useEffect, useState } from 'react';
import { cloudIdSchema } from '../../shared/clouds';
import { requiredChecksPassed, type ConnectionSummary, type ConnectionTestInput } from '../../shared/contract/connection';
import { cleanPastedValue, isGuid } from '../../shared/credential-inputs';
import { call } from '../api/client';
import { useConnectionTest, type ConnectionTestState } from '../validation/use-connection-test';
import type { ValuesDraft } from '../wizard/step-values';
import type { WizardStep } from '../wizard/wizard-steps';

/** The wizard steps the editor can show: the three portal steps (for help) and the two that change the connection. */
export type EditorStep = Extract<WizardStep, 'register' | 'permission' | 'secret' | 'values' | 'test'>;

/**
 * Where the values being typed wait while the admin looks at another page: this window's session storage, never
 * the settings (they must not replace the connection in use) and never with the secret, which is asked again.
 */
const draftKey = 'entra-sync.settings.connection-edit';

function readDraft(): ValuesDraft | undefined {
  try {
    const raw = window.sessionStorage.getItem(draftKey);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Record<keyof ValuesDraft, unknown>>;
    const cloud = cloudIdSchema.safeParse(parsed.cloud);
    if (!cloud.success || typeof parsed.tenantId !== 'string' || typeof parsed.clientId !== 'string') return undefined;
    return { cloud: cloud.data, tenantId: parsed.tenantId, clientId: parsed.clientId };
  } catch {
    return undefined;
  }
}

function writeDraft(values: ValuesDraft | undefined): void {
  try {
    if (values) window.sessionStorage.setItem(draftKey, JSON.stringify(values));
    else window.sessionStorage.removeItem(draftKey);
  } catch {
    // Session storage may be unavailable (privacy settings): the draft then lasts as long as the page.
  }
}

const valuesOf = (c: ConnectionSummary): ValuesDraft => ({ cloud: c.cloud, tenantId: c.tenantId, clientId: c.clientId });

/** The editor's state, for the connection section. */
export interface ConnectionEditor {
  readonly open: boolean;
  readonly step: EditorStep;
  readonly values: ValuesDraft;
  readonly secret: string;
  readonly secretIdPasted: boolean;
  readonly test: ConnectionTestState;
  /** The test of the values as typed passed: they are now the connection in use. */
  readonly passed: boolean;
  readonly checklist: Readonly<Record<string, boolean>>;
  start(): void;
  cancel(): void;
  goTo(step: EditorStep): void;
  editValues(patch: Partial<ValuesDraft>): void;
  editSecret(value: string): void;
  secretPasted(text: string): void;
  tick(id: string, checked: boolean): void;
  /** Tests the values as a candidate: the connection in use changes only if they pass. */
  runTest(): Promise<void>;
  /** Saves the values (and the secret) without a passing test, after the admin confirmed it. */
  saveUntested(): Promise<void>;
  readonly error: Error | undefined;
}

/**
 * Editing the connection later through the wizard's steps 4 and 5, as a candidate: what the admin types stays in
 * this window (and the session, without the secret) until the test passes, so the working connection is in use
 * until then. A failed test keeps everything typed.
 */
export function useConnectionEditor(connection: ConnectionSummary): ConnectionEditor {
  // Read once: an edit left open when the admin went to another page comes back as it was (without the secret).
  const [restored] = useState(readDraft);
  const [open, setOpen] = useState(restored !== undefined);
  const [step, setStep] = useState<EditorStep>('values');
  const [values, setValues] = useState<ValuesDraft>(restored ?? valuesOf(connection));
  const [secret, setSecret] = useState('');
  const [secretIdPasted, setSecretIdPasted] = useState(false);
  const [passed, setPassed] = useState(false);
  const [checklist, setChecklist] = useState<Readonly<Record<string, boolean>>>({});
  const [error, setError] = useState<Error>();
  const test = useConnectionTest();

  // The portal steps' checklists, as the wizard saved them: shown when a failed check sends the admin there.
  useEffect(() => {
    if (!open) return;
    call('connection:getSetup', undefined).then(
      (setup) => setChecklist(setup.checklist),
      () => undefined,
    );
  }, [open]);

  // The service fills in the values when the demo tenant starts or is left: only such a switch replaces what is typed.
  const [seenDemo, setSeenDemo] = useState(connection.demo);
  if (seenDemo !== connection.demo) {
    setSeenDemo(connection.demo);
    setValues(valuesOf(connection));
  }

  const close = useCallback(() => {
    writeDraft(undefined);
    setOpen(false);
    setSecret('');
    setSecretIdPasted(false);
    setPassed(false);
    setError(undefined);
    test.reset();
  }, [test]);

  const start = () => {
    const initial = valuesOf(connection);
    setValues(initial);
    writeDraft(initial);
    setStep('values');
    setPassed(false);
    test.reset();
    setOpen(true);
  };

  const editValues = (patch: Partial<ValuesDraft>) => {
    const next = { ...values, ...patch };
    setValues(next);
    writeDraft(next);
    setPassed(false);
    test.reset();
  };

  const editSecret = (value: string) => {
    setSecret(value);
    if (!isGuid(cleanPastedValue(value))) setSecretIdPasted(false);
    setPassed(false);
    test.reset();
  };

  const runTest = async () => {
    setStep('test');
    setPassed(false);
    setError(undefined);
    const input: ConnectionTestInput = {
      candidate: true,
      // The demo tenant's values are the service's own: only a secret can be tried.
      ...(connection.demo ? {} : values),
      ...(secret ? { secret } : {}),
      ...(test.report ? { retest: true } : {}),
    };
    const report = await test.run(input);
    if (report && requiredChecksPassed(report)) {
      // Now stored in the vault (or memory) by the service: this window forgets it.
      setSecret('');
      setSecretIdPasted(false);
      setPassed(true);
      writeDraft(undefined);
    }
  };

  const saveUntested = async () => {
    try {
      await call('connection:save', { ...values, ...(secret ? { secret } : {}) });
      close();
    } catch (e) {
      setError(e as Error);
    }
  };

  const tick = (id: string, checked: boolean) => {
    setChecklist((c) => ({ ...c, [id]: checked }));
    void call('connection:saveDraft', { setup: { checklist: { [id]: checked } } }).catch(() => undefined);
  };

  return {
    open,
    step,
    values,
    secret,
    secretIdPasted,
    test,
    passed,
    checklist,
    start,
    cancel: close,
    goTo: setStep,
    editValues,
    editSecret,
    secretPasted: (text) => setSecretIdPasted(isGuid(cleanPastedValue(text))),
    tick,
    runTest,
    saveUntested,
    error,
  };
}
