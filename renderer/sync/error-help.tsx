import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';

/** What the admin can do about each error code the sync, history and directory can show. */
const remedies: Record<string, string> = {
  'already-running': 'Wait for the running sync to finish (its progress is on the dashboard), or cancel it there.',
  'locked-by-other-host':
    'Another copy of the app or a scheduled terminal sync is using the directory. Wait for it to finish; a lock left by a process that stopped is released after two minutes.',
  'graph-read-failed':
    'Nothing was changed. Test the connection on the dashboard: an expired secret or a missing permission shows there with its fix. Then run the sync again.',
  'graph-answer-invalid':
    'Nothing was changed. Microsoft Graph (or a proxy in between) sent an answer the sync cannot use; the message names it. Check the Graph address in the connection settings and any proxy, then run the sync again.',
  'delta-expired': 'Nothing to do: the next sync reads everything again.',
  'target-read-failed':
    'The embedded directory could not be read. Check free disk space and that the data folder is writable, then try again.',
  'target-failed': 'The directory refused a change. Check the run’s failed items in the history; the next sync retries them.',
  'target-token-rejected':
    'The target refused its token or password: create a new personal access token in the product (Bitbucket: the administrator’s current password; Crowd: the application’s password) and put it in Settings → Targets → Edit, then run the sync again.',
  'target-forbidden':
    'The target’s account lacks a permission the sync needs (the reason above names it): grant it in the product, or put an administrator’s token in Settings → Targets → Edit, then run the sync again.',
  'target-unavailable':
    'The target could not be reached or kept failing. Check that it is up (Settings → Targets → Test connection), then run the sync again.',
  cancelled: 'The changes applied before the cancel are kept. Run the sync again to finish the rest.',
  interrupted: 'The app stopped during the run. Run the sync again: it continues where the directory is and converges.',
  'invalid-policy': 'Open Sync settings, correct the highlighted values and save.',
  'required-groups-empty': 'Pick at least one required group, or choose “All users”.',
  'confirmation-invalid':
    'That confirmation was already used or the run was not held. Run a new dry run, review it and confirm the new plan if it is right.',
  'threshold-exceeded':
    'Review the plan. If the removals are expected, confirm it once; if not, fix the scope in Sync settings (a wrong group filter is the usual cause).',
  partial: 'Open the run in the history and filter by “Failed” to see each item’s reason; the next sync retries them.',
  'connection-incomplete': 'Finish the connection setup (tenant, application and secret) before syncing.',
  'connection-missing': 'Finish the connection setup (tenant, application and secret) before syncing.',
  'demo-not-running':
    'The demo tenant is still starting or was stopped. Wait a moment, or start it again from the connection settings.',
  'target-not-found': 'Choose another target in Plan preview, or add it again in Settings → Targets.',
  'target-token-missing': 'Open Settings → Targets, edit the target and paste its personal access token again.',
  'demo-jira-failed': 'Try again in a moment; if it keeps failing, restart the app.',
  'run-not-found': 'The run is no longer in the history (older runs are pruned). Pick another run.',
  'app-closing': 'The app is closing. Start the sync again after it restarts.',
  'invalid-payload': 'The request was not valid. Reload the window; if it happens again, the details are in the log file.',
  'internal-error': 'Something failed inside the app. The details are in the log file (logs/main.log in the data folder).',
};

/** The remedy for a known error code, or undefined. */
export function remedyFor(code: string | undefined): string | undefined {
  return code ? remedies[code] : undefined;
}

/** The remedy for an error code (a generic one for unknown codes). */
export function whatToDo(code: string | undefined): string {
  return (code && remedies[code]) ?? remedies['internal-error']!;
}

/**
 * An error in words and what to do about it. The code (`threshold-exceeded`, …) is for the log and diagnostics, not
 * the screen: it is kept only as the element's `data-error-code`.
 */
export function ErrorHelp(props: {
  title: string;
  error: { readonly code?: string; readonly message: string };
  intent?: 'error' | 'warning';
  onRetry?: () => void;
}) {
  const { code, message } = props.error;
  return (
    <MessageBar intent={props.intent ?? 'error'} layout="multiline" data-testid="error-help" data-error-code={code}>
      <MessageBarBody>
        <MessageBarTitle>{props.title}</MessageBarTitle>
        {message}
        <br />
        <strong>What to do: </strong>
        {whatToDo(code)}
      </MessageBarBody>
      {props.onRetry && (
        <MessageBarActions>
          <Button onClick={props.onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
