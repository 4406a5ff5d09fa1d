import {
  Badge,
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import { Beaker20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { appPortalLink, type Cloud, type CloudId } from '../../shared/clouds';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { checkCredentialInputs, cleanPastedValue, isGuid, type CredentialField } from '../../shared/credential-inputs';
import { OverviewPicture } from './pictures/overview-picture';
import { CloudPicker, PortalButton, StepPicture } from './step-parts';
import { CredentialField as ValueField, SecretField } from './value-fields';
import type { WizardStep } from './wizard-steps';
import { useStepStyles } from './wizard-styles';

/** The values being entered; the secret only ever lives in this window until the test stores it. */
export interface ValuesDraft {
  readonly cloud: CloudId;
  readonly tenantId: string;
  readonly clientId: string;
}

/** True when the values can be tested: no blocking input issue, and a secret typed or saved. */
export function valuesReady(values: ValuesDraft, secret: string, connection: ConnectionSummary): boolean {
  const hasSavedSecret = connection.secretStored || connection.secretInMemory;
  const check = checkCredentialInputs({
    tenant: values.tenantId,
    clientId: values.clientId,
    secret: secret || (hasSavedSecret ? 'saved-secret-placeholder-value-0000000000' : ''),
  });
  return !check.issues.some((i) => i.severity === 'fail');
}

/** Step 4: Directory (tenant) ID, Application (client) ID, the secret's Value and the cloud — or the demo tenant. */
export function StepValues(props: {
  values: ValuesDraft;
  onValues: (patch: Partial<ValuesDraft>) => void;
  secret: string;
  onSecret: (secret: string) => void;
  secretIdPasted: boolean;
  onSecretPasted: (text: string) => void;
  connection: ConnectionSummary;
  cloud: Cloud;
  busy: boolean;
  onDemo: () => void;
  onLeaveDemo: () => void;
  onWeakStorage: (store: boolean) => void;
  goTo: (step: WizardStep) => void;
}) {
  const styles = useStepStyles();
  const { connection, values } = props;
  const demo = connection.demo;
  const check = checkCredentialInputs({ tenant: values.tenantId, clientId: values.clientId, secret: props.secret });
  const issue = (field: CredentialField) =>
    check.issues.find((i) => i.field === field && i.severity === 'fail') ?? check.issues.find((i) => i.field === field);
  const savedHint = connection.secretStored || connection.secretInMemory ? connection.secretHint : '';
  // The answer shows at once; the service confirms it through `connection:changed`.
  const [storage, setStorage] = useState(connection.weakStorage === 'unasked' ? '' : connection.weakStorage);

  return (
    <div className={styles.step}>
      {demo ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              <Badge appearance="filled" color="warning">
                DEMO
              </Badge>{' '}
              You are using the demo tenant
            </MessageBarTitle>
            An emulated tenant runs inside this app with generated users and groups; its values are filled in and its secret is
            saved. Nothing here touches a real tenant.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={props.onLeaveDemo} disabled={props.busy}>
              Leave the demo tenant
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        <Card className={styles.card}>
          <div className={styles.row}>
            <div className={mergeClasses(styles.grow, styles.stack)}>
              <Subtitle2 as="h3" className={styles.cardTitle}>
                No tenant at hand?
              </Subtitle2>
              <Body1>
                Try everything with a demo tenant: an emulated Entra tenant on this computer, with 200 users and 40 groups.
              </Body1>
            </div>
            <Button icon={<Beaker20Regular />} onClick={props.onDemo} disabled={props.busy}>
              {props.busy ? 'Starting the demo tenant…' : 'Try with a demo tenant'}
            </Button>
          </div>
        </Card>
      )}

      <div className={styles.columns}>
        <div className={styles.fields}>
          <CloudPicker
            value={values.cloud === 'custom' ? 'global' : values.cloud}
            onChange={(cloud) => props.onValues({ cloud })}
            disabled={demo}
            demo={demo}
          />
          <ValueField
            label="Directory (tenant) ID"
            hint="From the app’s Overview page; your primary domain (contoso.onmicrosoft.com) works too."
            value={values.tenantId}
            onChange={(tenantId) => props.onValues({ tenantId })}
            issue={issue('tenant')}
            readOnly={demo}
            testId="tenant-input"
          />
          <ValueField
            label="Application (client) ID"
            hint="From the app’s Overview page (not the Object ID)."
            value={values.clientId}
            onChange={(clientId) => props.onValues({ clientId })}
            issue={issue('clientId')}
            readOnly={demo}
            testId="client-input"
          />
          <SecretField
            value={props.secret}
            onChange={props.onSecret}
            issue={issue('secret')}
            savedHint={savedHint}
            onPasted={props.onSecretPasted}
          />
          {props.secretIdPasted && (
            <MessageBar intent="error" layout="multiline" data-testid="secret-id-pasted">
              <MessageBarBody>
                <MessageBarTitle>That is the Secret ID, not the secret’s Value</MessageBarTitle>
                In Certificates & secrets each secret has two columns: <Text weight="semibold">Value</Text> (the secret, shown
                only right after it is created) and <Text weight="semibold">Secret ID</Text> (a GUID that only names it). Paste
                the Value. If it is hidden now, create a new client secret and copy its Value straight away.
              </MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => props.goTo('secret')}>Show me where the Value is</Button>
                {isGuid(values.clientId) && (
                  <PortalButton link={appPortalLink(props.cloud, cleanPastedValue(values.clientId), 'credentials')} />
                )}
              </MessageBarActions>
            </MessageBar>
          )}
          {!connection.vaultSecure && !demo && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>This computer cannot protect the secret well</MessageBarTitle>
                Secrets are stored here as “{connection.vaultBackend}”: anyone who can read your files could read it. On Linux,
                installing a keyring (GNOME Keyring or KWallet) fixes this. You decide:
                <RadioGroup
                  value={storage}
                  onChange={(_, d) => {
                    setStorage(d.value as typeof storage);
                    props.onWeakStorage(d.value === 'accepted');
                  }}
                  aria-label="Where to keep the client secret"
                >
                  <Radio value="accepted" label="Store it anyway, so scheduled syncs keep working after a restart" />
                  <Radio value="declined" label="Keep it only while the app runs; I will enter it again after a restart" />
                </RadioGroup>
              </MessageBarBody>
            </MessageBar>
          )}
        </div>
        <StepPicture caption="Where the two IDs are: the app registration’s Overview page.">
          <OverviewPicture />
        </StepPicture>
      </div>
    </div>
  );
}
