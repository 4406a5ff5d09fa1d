import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

/** A failure told plainly, with its code when it has one and a retry when one makes sense. */
export function ErrorPanel(props: {
  title: string;
  error: { message: string; code?: string };
  intent?: 'error' | 'warning';
  onRetry?: () => void;
}) {
  return (
    <MessageBar intent={props.intent ?? 'error'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{props.title}</MessageBarTitle>
        {props.error.message}
        {props.error.code && props.error.code !== 'internal-error' ? ` (${props.error.code})` : ''}
      </MessageBarBody>
      {props.onRetry && (
        <MessageBarActions>
          <Button onClick={props.onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
