import { Body1, Card, Subtitle2, Text } from '@fluentui/react-components';
import { appPortalLink, appRegistrationsLink, type Cloud } from '../../shared/clouds';
import { isGuid } from '../../shared/credential-inputs';
import { PermissionPicture } from './pictures/permission-picture';
import { Checklist, StepPicture, WhatToClick, PortalButton } from './step-parts';
import { checklists } from './wizard-steps';
import { useStepStyles } from './wizard-styles';

/** Step 2: the Microsoft Graph application permission Directory.Read.All, with admin consent. */
export function StepPermission(props: {
  cloud: Cloud;
  clientId: string;
  checked: Readonly<Record<string, boolean>>;
  onCheck: (id: string, checked: boolean) => void;
}) {
  const styles = useStepStyles();
  const link = isGuid(props.clientId)
    ? appPortalLink(props.cloud, props.clientId, 'api-permissions')
    : { ...appRegistrationsLink(props.cloud), label: 'Open App registrations, then your app' };
  return (
    <div className={styles.step}>
      <Body1>
        The app needs to read users, groups and memberships: the Microsoft Graph permission{' '}
        <Text weight="semibold">Directory.Read.All</Text>, as an <Text weight="semibold">application</Text> permission, with admin
        consent.
      </Body1>
      <div className={styles.columns}>
        <div className={styles.stack}>
          <div className={styles.row}>
            <PortalButton link={link} primary />
          </div>
          <WhatToClick
            label="What to click to add the permission"
            items={[
              { n: 1, text: 'In your app registration, open “API permissions”.' },
              { text: 'Remove the default User.Read: “…” › Remove permission. The app does not sign users in.' },
              { n: 2, text: 'Select “Add a permission” › Microsoft Graph.' },
              { n: 3, text: 'Choose “Application permissions” — not “Delegated permissions”.' },
              { n: 4, text: 'Search for Directory.Read.All, tick it, then “Add permissions”.' },
              { n: 5, text: 'Select “Grant admin consent for …” and confirm with Yes. The status turns to “Granted”.' },
            ]}
          />
          <Card className={styles.card}>
            <Subtitle2 as="h3" className={styles.cardTitle}>
              Why application, not delegated?
            </Subtitle2>
            <Body1>
              A delegated permission acts on behalf of a signed-in person. Syncs run on a schedule with nobody signed in, so the
              app needs an application permission: it reads the directory as itself.
            </Body1>
            <Subtitle2 as="h3" className={styles.cardTitle}>
              Who can grant admin consent?
            </Subtitle2>
            <Body1>
              A Global Administrator or a Privileged Role Administrator. An Application Administrator can add the permission but
              cannot grant consent for Microsoft Graph application permissions: ask one of them to select “Grant admin consent”.
            </Body1>
          </Card>
        </div>
        <StepPicture caption="What you will see. The numbers match the list.">
          <PermissionPicture />
        </StepPicture>
      </div>
      <Checklist items={checklists.permission ?? []} checked={props.checked} onChange={props.onCheck} />
    </div>
  );
}
