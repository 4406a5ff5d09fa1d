import { Body1, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { appRegistrationsLink, type Cloud, type CloudId } from '../../shared/clouds';
import { RegisterPicture } from './pictures/register-picture';
import { Checklist, StepPicture, CloudPicker, CopyChip, WhatToClick, PortalButton } from './step-parts';
import { checklists } from './wizard-steps';
import { useStepStyles } from './wizard-styles';

/** Step 1: register the application in the Entra admin center. */
export function StepRegister(props: {
  cloud: Cloud;
  cloudId: CloudId;
  demo: boolean;
  onCloudChange: (cloud: CloudId) => void;
  checked: Readonly<Record<string, boolean>>;
  onCheck: (id: string, checked: boolean) => void;
}) {
  const styles = useStepStyles();
  return (
    <div className={styles.step}>
      <Body1>
        The app reads your directory as an application of its own, so it needs an app registration in your tenant. You need a role
        that may register applications (for example Application Administrator); granting the permission in the next step needs a
        Global Administrator or Privileged Role Administrator.
      </Body1>
      <div className={styles.columns}>
        <div className={styles.stack}>
          <CloudPicker value={props.cloudId} onChange={props.onCloudChange} disabled={props.demo} demo={props.demo} />
          <div className={styles.row}>
            <PortalButton link={appRegistrationsLink(props.cloud)} primary />
          </div>
          <WhatToClick
            label="What to click to register the application"
            items={[
              { n: 1, text: 'In the Microsoft Entra admin center, open Identity › Applications › App registrations.' },
              { n: 2, text: 'Select “New registration”.' },
              {
                n: 3,
                text: (
                  <>
                    Name: <CopyChip value="Entra Sync Assistant" label="the suggested name" />
                  </>
                ),
              },
              { n: 4, text: 'Supported account types: “Accounts in this organizational directory only (Single tenant)”.' },
              { text: 'Leave the Redirect URI empty: this app signs in as itself, nobody signs in to it.' },
              { n: 5, text: 'Select “Register”. The app’s Overview page opens.' },
            ]}
          />
        </div>
        <StepPicture caption="What you will see. The numbers match the list.">
          <RegisterPicture />
        </StepPicture>
      </div>
      {props.demo && (
        <MessageBar intent="info">
          <MessageBarBody>The demo tenant already has its app registration: tick the list to move on.</MessageBarBody>
        </MessageBar>
      )}
      <Checklist items={checklists.register ?? []} checked={props.checked} onChange={props.onCheck} />
    </div>
  );
}
