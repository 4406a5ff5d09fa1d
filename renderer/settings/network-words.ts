import type { CertificateFacts, NetworkView, ProxyMode } from '../../shared/network';

/** What the saved proxy choice means, in words. */
export function proxySummary(view: NetworkView): string {
  const { proxy, system } = view;
  switch (proxy.mode) {
    case 'none':
      return 'No proxy: the app connects directly';
    case 'system':
      return system.proxy
        ? `This computer’s proxy (${system.proxy}, from HTTPS_PROXY)`
        : 'This computer’s proxy (none is set, so the app connects directly)';
    case 'manual':
      return proxy.url;
  }
}

/** The hosts that go directly, or undefined when there are none. */
export function bypassSummary(view: NetworkView): string | undefined {
  const list = view.proxy.mode === 'manual' ? view.proxy.bypass : view.proxy.mode === 'system' ? view.system.bypass : [];
  return list.length > 0 ? list.join(', ') : undefined;
}

export const proxyModeLabels: Record<ProxyMode, string> = {
  none: 'No proxy',
  system: 'This computer’s proxy settings (HTTPS_PROXY, NO_PROXY)',
  manual: 'A proxy I enter',
};

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** `Expires on 2 Dec 2027 (365 days left)`; within 30 days it asks for the successor. */
export function certificateExpiry(cert: CertificateFacts): string {
  const date = new Date(cert.validTo).toLocaleDateString(undefined, { dateStyle: 'medium' });
  if (cert.daysLeft <= 0) return `Expires today, ${date}: replace it now`;
  if (cert.expiringSoon) return `Expires on ${date} (${days(cert.daysLeft)} left): ask for its successor.`;
  return `Expires on ${date} (${days(cert.daysLeft)} left)`;
}
