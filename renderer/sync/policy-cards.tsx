import {
  Caption1,
  Card,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Switch,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { usernameSources, type SyncPolicy, type UsernameSource } from '../../shared/sync';
import { RequiredGroupsPicker } from './required-groups-picker';

/**
 * The cards of Sync settings that edit the policy itself: which users and groups, usernames and e-mail, leavers and
 * removed groups, history. The page owns the state; each card edits one section through `edit`.
 */

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL, alignItems: 'start' },
  narrow: { width: '220px' },
});

const usernameLabels: Record<UsernameSource, string> = {
  upn: 'User principal name (anna@contoso.com)',
  upnLocalPart: 'UPN without domain (anna)',
  mail: 'E-mail address (mail)',
  mailNickname: 'Mail nickname (mailNickname)',
  onPremisesSamAccountName: 'On-premises account name (sAMAccountName)',
};

/** Changes one section of the policy. */
export type EditPolicy = <K extends keyof SyncPolicy>(section: K, patch: Partial<SyncPolicy[K]>) => void;

/** Users, groups, usernames and e-mail. */
export function PolicyScopeCards(props: { policy: SyncPolicy; edit: EditPolicy; errors: Record<string, string> }) {
  const styles = useStyles();
  const { policy, edit, errors } = props;
  const usesRequiredGroups = policy.users.scope === 'requiredGroups' || policy.groups.scope === 'requiredGroups';
  const errorOf = (key: string) => (errors[key] ? { validationMessage: errors[key], validationState: 'error' as const } : {});
  return (
    <>
      <Card className={styles.card}>
        <Subtitle2 as="h2">Users</Subtitle2>
        <Field label="Which users">
          <RadioGroup
            value={policy.users.scope}
            onChange={(_, d) => edit('users', { scope: d.value as SyncPolicy['users']['scope'] })}
          >
            <Radio value="all" label="All users of the tenant" />
            <Radio value="requiredGroups" label="Only members of required groups" />
          </RadioGroup>
        </Field>
        {usesRequiredGroups && (
          <RequiredGroupsPicker
            value={policy.users.requiredGroupIds}
            onChange={(ids) => edit('users', { requiredGroupIds: ids })}
            invalid={errors.requiredGroups}
          />
        )}
        <div className={styles.row}>
          <Field label="Guests (#EXT# accounts)">
            <RadioGroup
              value={policy.users.guests}
              onChange={(_, d) => edit('users', { guests: d.value as 'include' | 'exclude' })}
            >
              <Radio value="include" label="Include guests" />
              <Radio value="exclude" label="Leave guests out" />
            </RadioGroup>
          </Field>
          <Field label="Accounts disabled in Entra ID">
            <RadioGroup
              value={policy.users.disabledAccounts}
              onChange={(_, d) => edit('users', { disabledAccounts: d.value as 'inactive' | 'exclude' })}
            >
              <Radio value="inactive" label="Sync them as inactive users" />
              <Radio value="exclude" label="Leave them out (the leaver rule applies)" />
            </RadioGroup>
          </Field>
        </div>
      </Card>

      <Card className={styles.card}>
        <Subtitle2 as="h2">Groups</Subtitle2>
        <Field label="Which groups">
          <RadioGroup
            value={policy.groups.scope}
            onChange={(_, d) => edit('groups', { scope: d.value as SyncPolicy['groups']['scope'] })}
          >
            <Radio value="all" label="All groups" />
            <Radio value="requiredGroups" label="Only the required groups" />
            <Radio value="namePattern" label="Groups whose name matches a pattern" />
          </RadioGroup>
        </Field>
        {policy.groups.scope === 'namePattern' && (
          <Field
            label="Name pattern"
            hint="* matches anything, ? one character; several patterns separated by commas. Not case-sensitive."
            {...errorOf('namePattern')}
          >
            <Input
              value={policy.groups.namePattern}
              onChange={(_, d) => edit('groups', { namePattern: d.value })}
              placeholder="jira-*, confluence-*"
            />
          </Field>
        )}
        <Field label="Members of a synced group">
          <RadioGroup
            value={policy.groups.membership}
            onChange={(_, d) => edit('groups', { membership: d.value as 'direct' | 'flatten' })}
          >
            <Radio value="direct" label="Direct members only" />
            <Radio value="flatten" label="Direct and nested members (flattened)" />
          </RadioGroup>
        </Field>
      </Card>

      <Card className={styles.card}>
        <Subtitle2 as="h2">Usernames and e-mail</Subtitle2>
        <div className={styles.row}>
          <Field label="Username from" hint="Two Entra users with the same username are reported as a conflict, never merged.">
            <Dropdown
              value={usernameLabels[policy.mapping.username]}
              selectedOptions={[policy.mapping.username]}
              onOptionSelect={(_, d) => edit('mapping', { username: d.optionValue as UsernameSource })}
            >
              {usernameSources.map((s) => (
                <Option key={s} value={s}>
                  {usernameLabels[s]}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Switch
            checked={policy.mapping.lowercaseUsername}
            onChange={(_, d) => edit('mapping', { lowercaseUsername: d.checked })}
            label="Write usernames in lower case"
          />
        </div>
        <div className={styles.row}>
          <Field label="E-mail from">
            <Dropdown
              value={policy.mapping.email === 'mail' ? 'mail' : 'User principal name'}
              selectedOptions={[policy.mapping.email]}
              onOptionSelect={(_, d) => edit('mapping', { email: d.optionValue as 'mail' | 'upn' })}
            >
              <Option value="mail">mail</Option>
              <Option value="upn">User principal name</Option>
            </Dropdown>
          </Field>
          <Field label="When that is empty, use">
            <Dropdown
              value={{ mail: 'mail', upn: 'User principal name', none: 'No e-mail' }[policy.mapping.emailFallback]}
              selectedOptions={[policy.mapping.emailFallback]}
              onOptionSelect={(_, d) => edit('mapping', { emailFallback: d.optionValue as 'mail' | 'upn' | 'none' })}
            >
              <Option value="upn">User principal name</Option>
              <Option value="mail">mail</Option>
              <Option value="none">No e-mail</Option>
            </Dropdown>
          </Field>
        </div>
      </Card>
    </>
  );
}

/** What happens to users who leave and to groups that disappear (a target decides group deletion in its own card). */
export function LeaverCards(props: { policy: SyncPolicy; edit: EditPolicy; forTarget: boolean }) {
  const styles = useStyles();
  const { policy, edit, forTarget } = props;
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">Leavers and removed groups</Subtitle2>
      <div className={styles.row}>
        <Field label="Users who leave scope or are deleted in Entra ID">
          <RadioGroup
            value={policy.cleanup.leavers}
            onChange={(_, d) => edit('cleanup', { leavers: d.value as 'disable' | 'delete' | 'keep' })}
          >
            <Radio value="disable" label="Disable them (recommended)" />
            <Radio value="delete" label="Delete them" />
            <Radio value="keep" label="Keep them as they are" />
          </RadioGroup>
        </Field>
        {forTarget ? (
          <Field label="Synced groups that disappear">
            <Caption1>Deleted only when “Delete groups … when they disappear from Entra ID” is on above.</Caption1>
          </Field>
        ) : (
          <Field label="Synced groups that disappear">
            <RadioGroup
              value={policy.cleanup.vanishedGroups}
              onChange={(_, d) => edit('cleanup', { vanishedGroups: d.value as 'delete' | 'keep' })}
            >
              <Radio value="delete" label="Delete them" />
              <Radio value="keep" label="Keep them" />
            </RadioGroup>
          </Field>
        )}
      </div>
    </Card>
  );
}

/** How long the history is kept and how often everything is read again. */
export function HistoryCard(props: { policy: SyncPolicy; edit: EditPolicy; setPolicy: (next: SyncPolicy) => void }) {
  const styles = useStyles();
  const { policy, edit, setPolicy } = props;
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">History and full reads</Subtitle2>
      <div className={styles.row}>
        <Field label="Keep run history for (days)" className={styles.narrow}>
          <Input
            type="number"
            min={1}
            max={3650}
            value={String(policy.history.retentionDays)}
            onChange={(_, d) => edit('history', { retentionDays: Math.max(1, Math.round(Number(d.value) || 1)) })}
          />
        </Field>
        <Field label="Read everything again after (hours, 0 = never)" className={styles.narrow}>
          <Input
            type="number"
            min={0}
            value={String(policy.fullReconcileHours)}
            onChange={(_, d) => setPolicy({ ...policy, fullReconcileHours: Math.max(0, Number(d.value) || 0) })}
          />
        </Field>
      </div>
    </Card>
  );
}
