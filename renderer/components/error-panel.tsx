import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { remedyFor } from '../sync/error-help';

/**
 * A failure told plainly, with what to do when its code has a known remedy, and a retry when one makes sense. The code
 * itself never shows (it is kept as `data-error-code` for diagnostics).
 */
export function ErrorPanel(props: {
  title: string;
  error: { message: string; code?: string };
  intent?: 'error' | 'warning';
  onRetry?: () => void;
}) {
  const remedy = remedyFor(props.error.code);
  return (
    <MessageBar intent={props.intent ?? 'error'} layout="multiline" data-error-code={props.error.code}>
      <MessageBarBody>
        <MessageBarTitle>{props.title}</MessageBarTitle>
        {props.error.message}
        {remedy && (
          <>
            <br />
            <strong>What to do: </strong>
            {remedy}
          </>
        )}
      </MessageBarBody>
      {props.onRetry && (
        <MessageBarActions>
          <Button onClick={props.onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
