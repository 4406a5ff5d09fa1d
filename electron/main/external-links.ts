/**
 * The only sites the app opens, in the system browser: Microsoft's portals, sign-in and documentation,
 * and Atlassian's documentation. Anything else is refused.
 */
const allowedHosts = [
  'entra.microsoft.com',
  'entra.microsoft.us',
  'portal.azure.com',
  'portal.azure.us',
  'portal.azure.cn',
  'learn.microsoft.com',
  'go.microsoft.com',
  'aka.ms',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'confluence.atlassian.com',
  'developer.atlassian.com',
  'support.atlassian.com',
];

/** True for https URLs on an allow-listed host (exactly, not as a suffix of something else). */
export function isAllowedExternalUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && allowedHosts.includes(parsed.hostname)
  );
}
