/**
 * The network rows of the diagnosis table: a classified network failure to a code and a fix that names where the
 * setting lives for the admin reading it (Settings → Network in the app, environment variables in the terminal).
 */
import type { CheckId, ValidationCode } from '../../../shared/validation';
import type { NetworkFailure, NetworkFailureCode } from '../http/network-error';
import type { Diagnosis, FixHost } from './diagnosis';

const networkCodes: Record<NetworkFailureCode, ValidationCode> = {
  offline: 'network-offline',
  dns: 'network-dns',
  refused: 'network-refused',
  reset: 'network-reset',
  timeout: 'network-timeout',
  'tls-untrusted': 'network-tls-untrusted',
  'tls-other': 'network-tls-failed',
  proxy: 'network-proxy',
  unknown: 'network-error',
  'foreign-origin': 'network-foreign-origin',
  'insecure-url': 'endpoint-insecure',
};

/** Where each network setting lives for the admin reading the fix. */
const settingWords: Record<FixHost, { proxy: string; ca: string; endpoints: string }> = {
  app: {
    proxy: 'the proxy in Settings → Network',
    ca: 'its CA certificate in Settings → Network (trusted CA certificate)',
    endpoints: 'the custom cloud endpoints in Settings → Network',
  },
  terminal: {
    proxy: 'HTTPS_PROXY (and NO_PROXY)',
    ca: 'its CA certificate with NODE_EXTRA_CA_CERTS (the path of a PEM file)',
    endpoints: 'AZURE_AUTHORITY_HOST / ENTRA_GRAPH_BASE_URL',
  },
};

function networkFix(code: NetworkFailureCode, host: FixHost): string {
  const w = settingWords[host];
  switch (code) {
    case 'offline':
      return 'Check this computer’s network connection, then re-test.';
    case 'dns':
      return `Check the cloud choice (or ${w.endpoints}), the DNS server, or set ${w.proxy} if this network needs a proxy.`;
    case 'refused':
      return 'Check the address and port; if they are right, a firewall is rejecting the connection.';
    case 'reset':
      return `Allow HTTPS (port 443) to this host in the firewall, or set ${w.proxy} if this network needs a proxy.`;
    case 'timeout':
      return `Check the firewall and ${w.proxy}, then re-test; a slow network may need a longer timeout.`;
    case 'tls-untrusted':
      return `A TLS-inspecting proxy or a private endpoint presents a certificate this computer does not trust. Add ${w.ca}.`;
    case 'tls-other':
      return 'Check the proxy and the system date and time; a proxy may be interfering with TLS.';
    case 'proxy':
      return host === 'app'
        ? 'Check the proxy address and its bypass list in Settings → Network; its Test button shows whether the proxy answers.'
        : 'Check HTTPS_PROXY, its credentials and NO_PROXY.';
    case 'unknown':
      return 'Re-test; if it keeps failing, copy the diagnostics for your network team.';
    case 'foreign-origin':
      return (
        'Graph (or something in between, such as a proxy or gateway) pointed at another server. Check that the ' +
        'Graph address is the right one and that nothing rewrites Graph’s answers; then re-test.'
      );
    case 'insecure-url':
      return `Use the https:// address of the token host and of Graph (${w.endpoints}).`;
  }
}

/** Diagnoses a classified network failure on the given check. */
export function diagnoseNetworkFailure(failure: NetworkFailure, check: CheckId, host: FixHost): Diagnosis {
  return {
    code: networkCodes[failure.code],
    check,
    status: 'fail',
    verdict: failure.message,
    fix: networkFix(failure.code, host),
    link: null,
    details: failure.causeCode ? [`Cause: ${failure.causeCode}`] : [],
  };
}
