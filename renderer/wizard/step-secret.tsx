import { Body1, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { appPortalLink, appRegistrationsLink, type Cloud } from '../../shared/clouds';
import { isGuid } from '../../shared/credential-inputs';
import { SecretPicture } from './pictures/secret-picture';
import { Checklist, StepPicture, CopyChip, WhatToClick, PortalButton } from './step-parts';
import { checklists } from './wizard-steps';
import { useStepStyles } from './wizard-styles';

/** Step 3: a client secret, and copying its Value (the classic mistake is the Secret ID). */
export function StepSecret(props: {
  cloud: Cloud;
  clientId: string;
  checked: Readonly<Record<string, boolean>>;
  onCheck: (id: string, checked: boolean) => void;
}) {
  const styles = useStepStyles();
  const link = isGuid(props.clientId)
    ? appPortalLink(props.cloud, props.clientId, 'credentials')
    : { ...appRegistrationsLink(props.cloud), label: 'Open App registrations, then your app' };
  return (
    <div className={styles.step}>
      <Body1>The client secret is the app’s password. This app keeps it in your operating system’s secret store.</Body1>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Copy the Value now: it is shown only once.</MessageBarTitle>
          <Text weight="bold">The Secret ID is not the secret.</Text> Copy the <Text weight="bold">Value</Text> column right after
          you select Add; once you leave the page it is hidden for good, and you would have to create a new secret.
        </MessageBarBody>
      </MessageBar>
      <div className={styles.columns}>
        <div className={styles.stack}>
          <div className={styles.row}>
            <PortalButton link={link} primary />
          </div>
          <WhatToClick
            label="What to click to create the client secret"
            items={[
              { n: 1, text: 'In your app registration, open “Certificates & secrets”, tab “Client secrets”.' },
              { n: 2, text: 'Select “New client secret”.' },
              {
                text: (
                  <>
                    Description: <CopyChip value="Entra Sync Assistant" label="the suggested description" />
                  </>
                ),
              },
              {
                // graph-facts §4: Microsoft recommends under 12 months; the portal caps new secrets at 24 months.
                text: 'Expires: less than 12 months, as Microsoft recommends (the portal allows up to 24 months). The app reminds you before it expires.',
              },
              { text: 'Select “Add”.' },
              { n: 3, text: 'Copy the Value with its copy button — not the Secret ID next to it.' },
            ]}
          />
        </div>
        <StepPicture caption="What you will see. The numbers match the list.">
          <SecretPicture />
        </StepPicture>
      </div>
      <Checklist items={checklists.secret ?? []} checked={props.checked} onChange={props.onCheck} />
    </div>
  );
}
