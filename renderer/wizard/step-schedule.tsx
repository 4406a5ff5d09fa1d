import {
  Body1,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle2,
  Switch,
  Text,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SchedulePreview, ScheduleStatus } from '../../shared/contract/schedule';
import { defaultCron, presetFor, schedulePresets } from '../../shared/schedule';
import { call } from '../api/client';
import { useStepStyles } from './wizard-styles';

/** The schedule being edited in step 6, with its preview from the main process (croner, in the admin's zone). */
export interface ScheduleDraft {
  readonly loaded: boolean;
  readonly enabled: boolean;
  readonly cron: string;
  /** '' = this computer's time zone. */
  readonly timeZone: string;
  readonly systemTimeZone: string;
  readonly preview: SchedulePreview | undefined;
  readonly previewing: boolean;
  readonly valid: boolean;
  /** Why Next is disabled, in words. */
  readonly problem: string;
  readonly saving: boolean;
  readonly error: Error | undefined;
  setEnabled(enabled: boolean): void;
  setCron(cron: string): void;
  setTimeZone(zone: string): void;
  /**
   * Saves through `schedule:save`; false (with `error` set) when it was refused. `enabled` overrides the draft's
   * own on/off (the schedule page saves the pattern and leaves on, off or paused as they are).
   */
  save(enabled?: boolean): Promise<boolean>;
}

const previewDelayMs = 250;

/**
 * Loads the saved schedule once `active`, previews every change, and saves on demand. With `patternOnly` the draft
 * edits only the pattern and zone (the schedule page, whose one on/off control lives in its status card): the
 * pattern must then be valid to save, whatever the on/off state.
 */
export function useScheduleDraft(active: boolean, proposeOn: boolean, patternOnly = false): ScheduleDraft {
  const [status, setStatus] = useState<ScheduleStatus>();
  const [enabled, setEnabled] = useState(true);
  const [cron, setCron] = useState(defaultCron);
  const [timeZone, setTimeZone] = useState('');
  const [preview, setPreview] = useState<{ key: string; value: SchedulePreview }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (!active || status) return;
    let cancelled = false;
    call('schedule:get', undefined).then(
      (s) => {
        if (cancelled) return;
        setStatus(s);
        // On the first visit the schedule is proposed on (nightly): most admins want exactly that.
        setEnabled(s.enabled || proposeOn);
        setCron(s.cron || defaultCron);
        setTimeZone(s.timeZone);
      },
      (e: Error) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [active, status, proposeOn]);

  useEffect(() => {
    if (!active || !status) return;
    let cancelled = false;
    const key = `${cron}\n${timeZone}`;
    const timer = setTimeout(() => {
      call('schedule:preview', { cron: cron.trim() || '-', timeZone }).then(
        (value) => !cancelled && setPreview({ key, value }),
        (e: Error) => !cancelled && setError(e),
      );
    }, previewDelayMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [active, status, cron, timeZone]);

  const save = useCallback(
    async (enabledNow?: boolean) => {
      setSaving(true);
      try {
        setStatus(await call('schedule:save', { enabled: enabledNow ?? enabled, cron: cron.trim(), timeZone }));
        setError(undefined);
        return true;
      } catch (e) {
        setError(e as Error);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [enabled, cron, timeZone],
  );

  // The preview shown is the one of the current pattern; until it arrives, the pattern is being checked.
  const previewing = preview?.key !== `${cron}\n${timeZone}` && error === undefined;
  const current = previewing ? undefined : preview?.value;
  const valid = status !== undefined && !previewing && ((!patternOnly && !enabled) || current?.valid === true);
  const problem = !status
    ? 'Loading the schedule…'
    : previewing
      ? 'Checking the expression…'
      : (current?.error?.message ?? 'Fix the cron expression, or turn the schedule off.');
  return {
    loaded: status !== undefined,
    enabled,
    cron,
    timeZone,
    systemTimeZone: status?.systemTimeZone ?? '',
    preview: current,
    previewing,
    valid,
    problem,
    saving,
    error,
    setEnabled,
    setCron,
    setTimeZone,
    save,
  };
}

/** Every IANA zone this browser knows, for the zone picker. */
function allTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** A run time in the zone it is planned in, e.g. "Tuesday, 3 March 2026 at 02:00". */
function formatRun(iso: string, zone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: zone || undefined }).format(
      new Date(iso),
    );
  } catch {
    return iso;
  }
}

/**
 * Step 6: scheduled synchronisation on/off, cron with presets, the expression in words and the next five runs.
 * `onOffSwitch={false}` leaves the on/off out (the schedule page has its own, beside the state it changes).
 */
export function StepSchedule(props: { draft: ScheduleDraft; onOffSwitch?: boolean }) {
  const onOffSwitch = props.onOffSwitch ?? true;
  const styles = useStepStyles();
  const d = props.draft;
  const preset = presetFor(d.cron);
  // "Custom" is a choice of its own: picking it keeps the pattern (even a preset's) and hands over to the field.
  const [custom, setCustom] = useState(false);
  const cronInput = useRef<HTMLInputElement>(null);
  const choice = custom || !preset ? 'custom' : preset.id;
  const zone = d.preview?.effectiveTimeZone ?? (d.timeZone || d.systemTimeZone);
  if (!d.loaded) {
    return d.error ? (
      <MessageBar intent="error">
        <MessageBarBody>The schedule could not be loaded: {d.error.message}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner label="Loading the schedule…" />
    );
  }
  return (
    <div className={styles.step}>
      <Body1>
        Syncs run in the background while the app is running, also when its window is closed. You can always sync by hand with
        “Sync now” on the dashboard.
      </Body1>
      {onOffSwitch && (
        <Switch
          checked={d.enabled}
          onChange={(_, data) => d.setEnabled(data.checked)}
          label={d.enabled ? 'Scheduled synchronisation is on' : 'Scheduled synchronisation is off'}
        />
      )}
      {(d.enabled || !onOffSwitch) && (
        <div className={styles.columns}>
          <div className={styles.fields}>
            <Field label="How often">
              <RadioGroup
                value={choice}
                onChange={(_, data) => {
                  const chosen = schedulePresets.find((p) => p.id === data.value);
                  setCustom(!chosen);
                  if (chosen) d.setCron(chosen.cron);
                  else cronInput.current?.focus();
                }}
              >
                {schedulePresets.map((p) => (
                  <Radio key={p.id} value={p.id} label={p.label} />
                ))}
                <Radio value="custom" label="Custom cron expression" />
              </RadioGroup>
            </Field>
            <Field
              label="Cron expression"
              hint="Minute, hour, day of month, month, day of week — for example 30 6 * * 1-5."
              validationState={d.preview && !d.preview.valid && !d.previewing ? 'error' : 'none'}
              validationMessage={d.preview && !d.preview.valid && !d.previewing ? d.preview.error?.message : undefined}
            >
              <Input
                ref={cronInput}
                value={d.cron}
                onChange={(_, data) => d.setCron(data.value)}
                spellCheck={false}
                style={{ fontFamily: 'monospace' }}
                data-testid="cron-input"
              />
            </Field>
            <Field label="Time zone" hint="The times are planned in this zone, including daylight-saving changes.">
              <Select value={d.timeZone} onChange={(_, data) => d.setTimeZone(data.value)}>
                <option value="">This computer’s time zone ({d.systemTimeZone || 'unknown'})</option>
                {allTimeZones().map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Card className={styles.card} aria-live="polite">
            <Subtitle2 as="h3" className={styles.cardTitle}>
              What this means
            </Subtitle2>
            {d.preview?.valid ? (
              <>
                <Text weight="semibold" data-testid="cron-words">
                  {d.preview.description}
                </Text>
                <Text>Next five runs ({zone}):</Text>
                <ol className={styles.instructions} aria-label="Next five runs">
                  {d.preview.nextRuns.map((run, i) => (
                    <li key={run} className={styles.instruction}>
                      <span className={styles.plainMarker} aria-hidden>
                        {i + 1}
                      </span>
                      <Text>{formatRun(run, zone)}</Text>
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <Text className={styles.muted}>
                {d.previewing ? 'Checking…' : 'Enter a valid expression to see the next runs.'}
              </Text>
            )}
          </Card>
        </div>
      )}
      {d.error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{d.error.message}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
