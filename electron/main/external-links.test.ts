import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links';

describe('external links', () => {
  it.each([
    'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
    'https://portal.azure.us/',
    'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
    'https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html',
  ])('opens %s in the system browser', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'http://entra.microsoft.com/',
    'https://entra.microsoft.com.evil.example/',
    'https://evil.example/?u=https://entra.microsoft.com',
    'https://user:pw@learn.microsoft.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));
});
