/**
 * Test support for "Set it up for me" against the demo tenant: a scripted browser for msal-node's loopback
 * redirect (a plain HTTPS GET of the authorize URL, a click on the sign-in page when it asks for one, then the
 * form_post to the loopback address, as a browser does), a device-code approver that clicks on the demo tenant's
 * page, and an in-memory store. Nothing of our HTTP path is mocked.
 */
import type { HttpTransport } from '../../http/transport';
import type { RegistrationStore } from './registration-service';
import type { RegistrationToStore } from './registration-types';

interface ParsedForm {
  readonly action: string;
  readonly fields: URLSearchParams;
}

/** The first `<form method="post">` of a page with its hidden inputs. */
export function parseForm(html: string): ParsedForm | undefined {
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const m of (form[2] as string).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.set(unescape(m[1] as string), unescape(m[2] as string));
  }
  return { action: unescape(form[1] as string), fields };
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** A browser that signs in by script: what `openBrowser` gets. `click` answers a sign-in page that asks. */
export function scriptedBrowser(
  authorityHost: string,
  transport: HttpTransport,
  options: { click?: 'yes' | 'no' } = {},
): { open: (url: string) => Promise<void>; visited: string[] } {
  const visited: string[] = [];
  return {
    visited,
    open: async (url) => {
      visited.push(url);
      let html = await (await transport.fetch(url)).text();
      let form = parseForm(html);
      if (form?.fields.has('request')) {
        // The sign-in page asks for a click (no auto-approve).
        form.fields.set('approve', options.click ?? 'yes');
        const answer = await transport.fetch(new URL(form.action, authorityHost).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.fields.toString(),
        });
        html = await answer.text();
        form = parseForm(html);
      }
      if (!form) throw new Error(`The sign-in page had no form: ${html.slice(0, 200)}`);
      // A browser tries 127.0.0.1 for localhost; msal's loopback server listens there.
      const loopback = form.action.replace('//localhost', '//127.0.0.1');
      const posted = await fetch(loopback, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.fields.toString(),
      });
      await posted.text();
    },
  };
}

/** Clicks "Sign in" (or "Cancel") on the demo tenant's device-code page for `userCode`. */
export async function approveDeviceCode(transport: HttpTransport, verificationUri: string, userCode: string, approve = true) {
  const page = await transport.fetch(verificationUri);
  await page.text();
  const answer = await transport.fetch(verificationUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: userCode, approve: approve ? 'yes' : 'no' }).toString(),
  });
  return { status: answer.status, text: await answer.text() };
}

/** A store keeping the saved connection in memory; `fail` makes `save` throw. */
export function memoryStore(options: { fail?: boolean } = {}): RegistrationStore & {
  saved: RegistrationToStore[];
  forgotten: string[];
} {
  const saved: RegistrationToStore[] = [];
  const forgotten: string[] = [];
  return {
    saved,
    forgotten,
    save: async (c) => {
      if (options.fail) throw new Error('the vault is locked');
      saved.push(c);
    },
    forget: async ({ clientId }) => {
      forgotten.push(clientId);
    },
  };
}
