import { Link, Toast, ToastBody, ToastFooter, ToastTitle, Toaster, useId, useToastController } from '@fluentui/react-components';
import { useEffect } from 'react';
import { on } from '../api/client';
import { actionLabel, requestPage } from '../reminders/page-requests';

/**
 * Shows the main side's notifications inside the window. The Electron host also raises desktop
 * notifications; the browser host has only these, which is how end-to-end tests see them.
 */
export function NotificationToasts() {
  const toasterId = useId('notifications');
  const { dispatchToast } = useToastController(toasterId);
  useEffect(
    () =>
      on('app:notification', (n) => {
        dispatchToast(
          <Toast data-testid={`notification-${n.id}`}>
            <ToastTitle>{n.title}</ToastTitle>
            <ToastBody>{n.body}</ToastBody>
            {n.action && (
              <ToastFooter>
                <Link onClick={() => requestPage(n.action ?? '')}>{actionLabel(n.action)}</Link>
              </ToastFooter>
            )}
          </Toast>,
          { intent: n.severity, timeout: n.severity === 'error' ? -1 : 8000 },
        );
      }),
    [dispatchToast],
  );
  return <Toaster toasterId={toasterId} position="top-end" />;
}
