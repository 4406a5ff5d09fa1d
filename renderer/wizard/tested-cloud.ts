/**
 * What step 5 ("Test the connection") calls the cloud it tests against. The links of a custom cloud point at the
 * global portal, but the test goes to the admin's own hosts: it says "Custom" and names them, never "Global".
 */
import { cloudById, type Cloud, type CloudId } from '../../shared/clouds';
import type { CustomEndpoints } from '../../shared/network';

/** The host of a URL as typed in Settings → Network, or the text itself when it is not a URL. */
function hostOf(url: string): string {
  const text = url.trim();
  try {
    return new URL(text).host;
  } catch {
    return text;
  }
}

/**
 * The cloud step 5 shows: the demo tenant by that name; a custom cloud as "Custom" with its sign-in and Graph hosts
 * (from Settings → Network; just "Custom endpoints" while they are unknown); a Microsoft cloud by its own label.
 */
export function testedCloud(portalCloud: Cloud, cloudId: CloudId, demo: boolean, endpoints?: CustomEndpoints): Cloud {
  if (demo) return { ...portalCloud, label: 'Demo tenant (emulated)' };
  if (cloudId !== 'custom') return cloudById(cloudId);
  const sign = endpoints?.authorityHost.trim() ? hostOf(endpoints.authorityHost) : '';
  const graph = endpoints?.graphBaseUrl.trim() ? hostOf(endpoints.graphBaseUrl) : '';
  const hosts = [sign && `sign-in ${sign}`, graph && `Graph ${graph}`].filter((part) => part !== '');
  return { ...portalCloud, label: hosts.length > 0 ? `Custom (${hosts.join(', ')})` : 'Custom endpoints' };
}
