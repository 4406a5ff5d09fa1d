/**
 * The shared words of the diagnosis table: the documentation pages it links to and the admin-consent fix, used by
 * both the AADSTS rows and the Graph failures.
 */
import type { PortalLink } from '../../../shared/clouds';

export const docs = {
  nationalClouds: {
    label: 'Read about national clouds',
    url: 'https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud',
  },
  conditionalAccess: {
    label: 'Read about Conditional Access for workload identities',
    url: 'https://learn.microsoft.com/entra/identity/conditional-access/workload-identity',
  },
  throttling: { label: 'Read about Graph throttling', url: 'https://learn.microsoft.com/graph/throttling' },
  errorCodes: {
    label: 'Look up the AADSTS code',
    url: 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  },
} satisfies Record<string, PortalLink>;

export const consentFix =
  'In the app registration open API permissions, add Microsoft Graph › Application permissions › Directory.Read.All ' +
  '(an application permission, not a delegated one), then click “Grant admin consent” (needs a Global or Privileged ' +
  'Role Administrator). Consent can take a few minutes to reach Graph; then re-test.';
