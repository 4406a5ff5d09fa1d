import {
  Body1,
  Card,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Option,
  Subtitle2,
  Switch,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TargetSummary } from '../../shared/contract/targets';
import { targetProductInfo, type TargetProduct } from '../../shared/targets';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  picker: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, maxWidth: '480px' },
});

/** The scope of the Sync settings page: the global settings, or one target's. */
export const globalScope = 'global';

/** A target's rules beside its sync settings, as the form edits them (protected groups as typed lines). */
export interface TargetRulesDraft {
  readonly inherit: boolean;
  readonly matchByEmail: boolean;
  readonly protectedGroups: string;
  readonly deleteVanishedGroups: boolean;
}

/** The typed lines as group names: one per line or comma, trimmed, empty ones dropped. */
export const protectedGroupNames = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * "Settings for": the global settings every target inherits, or one target's own. Switching is held while the form
 * has unsaved changes (Save or discard them first), so nothing typed is lost or saved to the wrong place.
 */
export function SettingsForPicker(props: {
  targets: readonly TargetSummary[];
  value: string;
  disabled: boolean;
  onChange: (scope: string) => void;
}) {
  const styles = useStyles();
  const remote = props.targets.filter((t) => !t.builtIn);
  if (remote.length === 0) return null;
  const label = (t: TargetSummary) =>
    `${t.name} (${t.product === 'local' ? 'embedded' : targetProductInfo[t.product].shortLabel}${t.sync === 'own' ? ', own settings' : ''})`;
  const current = remote.find((t) => t.id === props.value);
  return (
    <div className={styles.picker}>
      <Field label="Settings for">
        <Dropdown
          value={current ? label(current) : 'All targets (the global settings)'}
          selectedOptions={[props.value]}
          disabled={props.disabled}
          onOptionSelect={(_, d) => d.optionValue && props.onChange(d.optionValue)}
          data-testid="settings-for"
        >
          <Option value={globalScope}>All targets (the global settings)</Option>
          {remote.map((t) => (
            <Option key={t.id} value={t.id}>
              {label(t)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {props.disabled && <Caption1>Save or discard the changes first to see another target’s settings.</Caption1>}
    </div>
  );
}

/** A target's own choice: the global settings, or its own; and how its accounts are matched and protected. */
export function TargetRulesCard(props: {
  name: string;
  product: TargetProduct;
  adminGroups: readonly string[];
  draft: TargetRulesDraft;
  onChange: (draft: TargetRulesDraft) => void;
}) {
  const styles = useStyles();
  const { draft } = props;
  const set = (patch: Partial<TargetRulesDraft>) => props.onChange({ ...draft, ...patch });
  const label = targetProductInfo[props.product].shortLabel;
  return (
    <Card className={styles.card} data-testid="target-rules">
      <Subtitle2 as="h2">{props.name}</Subtitle2>
      <Switch
        checked={draft.inherit}
        onChange={(_, d) => set({ inherit: d.checked })}
        label="Use the global settings"
        data-testid="target-inherit"
      />
      <Body1>
        {draft.inherit
          ? `${props.name} syncs with the global settings (Settings for: All targets). Turn this off to give it its own users, groups, names, leaver rule and safety brake.`
          : `${props.name} has its own settings below; changes to the global settings no longer reach it.`}
      </Body1>
      <Checkbox
        checked={draft.matchByEmail}
        onChange={(_, d) => set({ matchByEmail: d.checked === true })}
        label={`Match an existing ${label} account by e-mail when no username matches`}
      />
      <Checkbox
        checked={draft.deleteVanishedGroups}
        onChange={(_, d) => set({ deleteVanishedGroups: d.checked === true })}
        label={`Delete groups in ${label} that the sync created when they disappear from Entra ID (a deletion cannot be undone)`}
      />
      <Field
        label="Groups the sync never changes, deletes or empties"
        hint={`One per line. ${props.adminGroups.length ? `Always protected: ${props.adminGroups.join(', ')}, and the account the sync signs in with.` : 'The account the sync signs in with is always protected.'}`}
      >
        <Textarea
          resize="vertical"
          rows={3}
          value={draft.protectedGroups}
          onChange={(_, d) => set({ protectedGroups: d.value })}
          data-testid="target-protected-groups"
        />
      </Field>
    </Card>
  );
}
