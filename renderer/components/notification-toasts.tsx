import { Toast, ToastBody, ToastTitle, Toaster, useId, useToastController } from '@fluentui/react-components';
import { useEffect } from 'react';
import { on } from '../api/client';

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
          </Toast>,
          { intent: n.severity, timeout: n.severity === 'error' ? -1 : 8000 },
        );
      }),
    [dispatchToast],
  );
  return <Toaster toasterId={toasterId} position="top-end" />;
}
