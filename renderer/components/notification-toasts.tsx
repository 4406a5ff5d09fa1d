import {
  Button,
  Link,
  Toast,
  ToastBody,
  ToastFooter,
  ToastTitle,
  Toaster,
  useId,
  useToastController,
} from '@fluentui/react-components';
import { Dismiss16Regular } from '@fluentui/react-icons';
import { useEffect } from 'react';
import { on } from '../api/client';
import { actionLabel, requestPage } from '../reminders/page-requests';

/**
 * Shows the main side's notifications inside the window. The Electron host also raises desktop
 * notifications; the browser host has only these, which is how end-to-end tests see them.
 */
export function NotificationToasts() {
  const toasterId = useId('notifications');
  const { dispatchToast, dismissToast } = useToastController(toasterId);
  useEffect(
    () =>
      on('app:notification', (n) => {
        dispatchToast(
          <Toast data-testid={`notification-${n.id}`}>
            <ToastTitle
              action={
                <Button
                  appearance="transparent"
                  size="small"
                  icon={<Dismiss16Regular />}
                  aria-label="Dismiss"
                  onClick={() => dismissToast(n.id)}
                />
              }
            >
              {n.title}
            </ToastTitle>
            <ToastBody>{n.body}</ToastBody>
            {n.action && (
              <ToastFooter>
                <Link
                  onClick={() => {
                    dismissToast(n.id);
                    requestPage(n.action ?? '');
                  }}
                >
                  {actionLabel(n.action)}
                </Link>
              </ToastFooter>
            )}
          </Toast>,
          // Errors and notifications that lead somewhere (a reminder, a held sync) stay until dismissed: they must not be missed.
          { toastId: n.id, intent: n.severity, timeout: n.severity === 'error' || n.action ? -1 : 8000 },
        );
      }),
    [dispatchToast, dismissToast],
  );
  // Bottom end, clear of the page's actions: at the top they covered the reminder banner's buttons ("Replace the
  // secret", "Remind me later"). The offset keeps them above the window edge's scroll bar.
  return <Toaster toasterId={toasterId} position="bottom-end" offset={{ horizontal: 16, vertical: 16 }} />;
}
