import {
  Body1,
  Card,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { safetyDefaults, type SafetyPolicy } from '../../shared/brake';

/** The brake's six limits, as three rows (users, groups, memberships) of a share and a count. */
type LimitKey = keyof SafetyPolicy;

const rows = [
  {
    title: 'Users disabled or deleted',
    noun: 'users',
    verb: 'disable or delete',
    share: 'maxShare',
    count: 'maxCount',
  },
  { title: 'Groups deleted', noun: 'groups', verb: 'delete', share: 'maxGroupShare', count: 'maxGroupCount' },
  {
    title: 'Memberships removed',
    noun: 'memberships',
    verb: 'remove',
    share: 'maxMembershipShare',
    count: 'maxMembershipCount',
  },
] as const satisfies readonly { share: LimitKey; count: LimitKey; [k: string]: string }[];

/** A limit as the form edits it: text, with "no limit" as an unticked checkbox. */
export type SafetyDraft = Record<LimitKey, { readonly text: string; readonly on: boolean }>;

const isShare = (key: LimitKey) => key.endsWith('Share');
const shown = (key: LimitKey, value: number) => String(isShare(key) ? Math.round(value * 1000) / 10 : value);

export function safetyDraftOf(safety: SafetyPolicy): SafetyDraft {
  const draft = {} as Record<LimitKey, { text: string; on: boolean }>;
  for (const key of Object.keys(safetyDefaults) as LimitKey[]) {
    const value = safety[key];
    draft[key] = { text: shown(key, value ?? safetyDefaults[key]), on: value !== null };
  }
  return draft;
}

/** The limits the form describes, or an error per field (keyed by limit). */
export function parseSafetyDraft(draft: SafetyDraft): { safety?: SafetyPolicy; errors: Partial<Record<LimitKey, string>> } {
  const errors: Partial<Record<LimitKey, string>> = {};
  const safety = {} as Record<LimitKey, number | null>;
  for (const key of Object.keys(safetyDefaults) as LimitKey[]) {
    const { text, on } = draft[key];
    if (!on) {
      safety[key] = null;
      continue;
    }
    const value = Number(text.replace(',', '.'));
    if (isShare(key)) {
      if (!(text.trim() && value >= 0 && value <= 100)) errors[key] = 'Enter a percentage from 0 to 100.';
      safety[key] = value / 100;
    } else {
      if (!(text.trim() && Number.isInteger(value) && value >= 0)) errors[key] = 'Enter a whole number, 0 or more.';
      safety[key] = value;
    }
  }
  return Object.keys(errors).length ? { errors } : { safety: safety as SafetyPolicy, errors };
}

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  subject: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL, alignItems: 'start' },
  narrow: { width: '300px' },
});

/** The Sync settings card of the safety brake: each limit with its default said beside it. */
export function SafetyLimitsCard(props: {
  draft: SafetyDraft;
  onChange: (draft: SafetyDraft) => void;
  errors: Partial<Record<LimitKey, string>>;
}) {
  const styles = useStyles();
  const { draft } = props;
  const set = (key: LimitKey, patch: Partial<SafetyDraft[LimitKey]>) =>
    props.onChange({ ...draft, [key]: { ...draft[key], ...patch } });
  const errorOf = (key: LimitKey) =>
    props.errors[key] ? { validationMessage: props.errors[key], validationState: 'error' as const } : {};
  const unlimited = rows.filter((row) => !draft[row.share].on && !draft[row.count].on);

  const limit = (key: LimitKey, checkbox: string, label: string, unit: string) => (
    <div>
      <Checkbox checked={draft[key].on} onChange={(_, d) => set(key, { on: d.checked === true })} label={checkbox} />
      <Field
        label={label}
        hint={`Default: ${shown(key, safetyDefaults[key])}${unit}`}
        className={styles.narrow}
        {...errorOf(key)}
      >
        <Input
          type="number"
          min={0}
          max={isShare(key) ? 100 : undefined}
          step={isShare(key) ? 'any' : 1}
          disabled={!draft[key].on}
          value={draft[key].text}
          onChange={(_, d) => set(key, { text: d.value })}
        />
      </Field>
    </div>
  );

  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">Safety brake</Subtitle2>
      <Body1>
        A sync that would take away more than these limits is not applied: you see the plan and can confirm it once. Each kind has
        its own limits, and whichever is crossed first holds the sync. A limit is crossed when the plan goes over it, not when it
        reaches it.
      </Body1>
      {rows.map((row) => (
        <section key={row.noun} className={styles.subject} aria-label={row.title}>
          <Text weight="semibold">{row.title}</Text>
          <div className={styles.row}>
            {limit(row.share, `Limit by share of synced ${row.noun}`, `Most ${row.noun} a sync may ${row.verb} (%)`, '%')}
            {limit(row.count, `Limit by number of ${row.noun}`, `Most ${row.noun} a sync may ${row.verb}`, ` ${row.noun}`)}
          </div>
        </section>
      ))}
      {unlimited.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            No limit for {unlimited.map((row) => row.title.toLowerCase()).join(', ')}: a wrong filter can take all of them away in
            one run.
          </MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}
