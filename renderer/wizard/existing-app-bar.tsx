import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

/**
 * Step 1's offer to an admin who already registered an application: skip the portal steps and enter its values; the
 * connection test then checks them live.
 */
export function ExistingAppBar(props: { onSkip: () => void }) {
  return (
    <MessageBar intent="info" layout="multiline" data-testid="existing-app">
      <MessageBarBody>
        <MessageBarTitle>Already registered an application for this?</MessageBarTitle>
        If it has Directory.Read.All with admin consent and a client secret, skip the portal steps and enter its values: the
        connection test then checks each of these live and sends you to the step that fixes what is missing.
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={props.onSkip}>I already have an app registration</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
