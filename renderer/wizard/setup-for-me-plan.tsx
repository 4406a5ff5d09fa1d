import {
  Body1,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  firstPartyPublicClientId,
  setupSecretMonths,
  type PublicClientSetting,
  type SetupForMePlan,
  type SignInMethodId,
} from '../../shared/contract/setup-for-me';
import { isGuid } from '../../shared/credential-inputs';
import { formatDateTime } from '../sync/format';
import { useStepStyles } from './wizard-styles';

const useStyles = makeStyles({
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  fields: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-start' },
});

/** What the admin chooses before signing in. */
export interface PlanChoices {
  name: string;
  secretMonths: number;
  method: SignInMethodId;
  demo: boolean;
}

/** What will be created, the permissions the sign-in asks for, and the admin's choices. */
export function SetupPlan(props: {
  plan: SetupForMePlan;
  choices: PlanChoices;
  onChoices: (c: PlanChoices) => void;
  /** The connection in use is the demo tenant: the demo choice is fixed. */
  demoInUse: boolean;
  onPublicClient: (setting: PublicClientSetting) => void;
}) {
  const styles = useStyles();
  const step = useStepStyles();
  const { plan, choices } = props;
  const set = (patch: Partial<PlanChoices>) => props.onChoices({ ...choices, ...patch });
  return (
    <div className={step.stack} data-testid="setup-plan">
      <div className={styles.fields}>
        <Field
          label="Name of the application"
          validationMessage={choices.name.trim() ? undefined : 'The application needs a name.'}
        >
          <Input value={choices.name} onChange={(_, d) => set({ name: d.value })} maxLength={120} />
        </Field>
        <Field label="Client secret valid for" hint={`Expires ${formatDateTime(plan.secretExpiresAt)}`}>
          <Dropdown
            value={`${choices.secretMonths} months`}
            selectedOptions={[String(choices.secretMonths)]}
            onOptionSelect={(_, d) => d.optionValue && set({ secretMonths: Number(d.optionValue) })}
          >
            {Array.from({ length: setupSecretMonths.max }, (_, i) => i + 1).map((m) => (
              <Option key={m} value={String(m)}>{`${m} months`}</Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <Caption1 className={styles.muted}>{plan.lifetimeNote}</Caption1>

      <section className={styles.section} aria-labelledby="setup-what">
        <Subtitle2 id="setup-what">What will be created</Subtitle2>
        <ol className={styles.list}>
          {plan.steps.map((s) => (
            <li key={s.id}>
              <Body1>
                <strong>{s.title}</strong>: {s.detail}
              </Body1>
            </li>
          ))}
        </ol>
      </section>

      <section className={styles.section} aria-labelledby="setup-permissions">
        <Subtitle2 id="setup-permissions">What the sign-in asks for, and why</Subtitle2>
        <ul className={styles.list}>
          {plan.delegatedPermissions.map((p) => (
            <li key={p.scope}>
              <Body1>
                <strong>{p.scope}</strong> (delegated): {p.why}
              </Body1>
            </li>
          ))}
        </ul>
        <Caption1 className={styles.muted}>
          Sign in as a Global Administrator or Privileged Role Administrator: only they may grant admin consent to an application
          permission of Microsoft Graph. The sign-in is kept in memory for this setup only (and for undo), never on disk, and
          forgotten when it ends.
        </Caption1>
      </section>

      <RadioGroup
        value={choices.method}
        onChange={(_, d) => set({ method: d.value as SignInMethodId })}
        aria-labelledby="setup-method"
      >
        <Subtitle2 id="setup-method">How to sign in</Subtitle2>
        <Radio value="browser" label="Sign in with the browser (the system browser opens Microsoft’s sign-in page)" />
        <Radio value="device-code" label="Use a device code (enter a code on any device; for locked-down machines)" />
      </RadioGroup>

      {!choices.demo && <PublicClientChoice setting={plan.publicClient} onSave={props.onPublicClient} />}

      <Checkbox
        checked={choices.demo || props.demoInUse}
        disabled={props.demoInUse}
        onChange={(_, d) => set({ demo: d.checked === true })}
        label="Try it on the demo tenant: it starts here and approves the sign-in as its Global Administrator; the application it creates becomes the demo connection"
      />
    </div>
  );
}

/** Which public client signs the admin in, with the trade-offs; saved as a setting. */
function PublicClientChoice(props: { setting: PublicClientSetting; onSave: (s: PublicClientSetting) => void }) {
  const styles = useStyles();
  const [own, setOwn] = useState(props.setting.kind === 'organisation' ? props.setting.clientId : '');
  const [kind, setKind] = useState(props.setting.kind);
  const ownValid = isGuid(own.trim());
  return (
    <RadioGroup
      value={kind}
      aria-labelledby="setup-public-client"
      onChange={(_, d) => {
        const next = d.value as PublicClientSetting['kind'];
        setKind(next);
        if (next === 'first-party') props.onSave({ kind: 'first-party' });
        else if (ownValid) props.onSave({ kind: 'organisation', clientId: own.trim() });
      }}
    >
      <Subtitle2 id="setup-public-client">Which app signs you in</Subtitle2>
      <Radio
        value="first-party"
        label={`Microsoft’s own public client (Azure CLI, ${firstPartyPublicClientId}): nothing to register, but Microsoft does not support it for other apps and Conditional Access may block it`}
      />
      <Radio
        value="organisation"
        label="Your organisation’s own public client registration: transparent and under your policies, but needs one registration first"
      />
      {kind === 'organisation' && (
        <div className={styles.section}>
          <Field
            label="Its Application (client) ID"
            validationMessage={own && !ownValid ? 'A GUID like 00000000-0000-0000-0000-000000000000.' : undefined}
          >
            <Input
              value={own}
              onChange={(_, d) => {
                setOwn(d.value);
                if (isGuid(d.value.trim())) props.onSave({ kind: 'organisation', clientId: d.value.trim() });
              }}
            />
          </Field>
          <Caption1 className={styles.muted}>
            To create it: App registrations → New registration (single tenant) → Authentication → Add a platform → “Mobile and
            desktop applications” with the redirect URI http://localhost → and “Allow public client flows” → Yes (for the device
            code). It needs no permissions of its own and no secret.
          </Caption1>
        </div>
      )}
    </RadioGroup>
  );
}
