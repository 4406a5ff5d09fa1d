/**
 * The browser of "Set it up for me" on the demo tenant: the demo tenant approves the admin sign-in itself (as its
 * Global Administrator), so instead of the system browser — which would not trust the demo tenant's freshly made
 * certificate authority — the core opens the sign-in page over the demo tenant's own transport and sends its
 * answer to msal's loopback redirect, as a browser does. Only ever used for the demo tenant on 127.0.0.1.
 */
import type { HttpTransport } from '../http/transport';

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** The first `<form method="post">` of a page with its hidden inputs. */
function firstForm(html: string): { action: string; fields: URLSearchParams } | undefined {
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const m of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.set(unescape(m[1] ?? ''), unescape(m[2] ?? ''));
  }
  return { action: unescape(form[1] ?? ''), fields };
}

/** An `openBrowser` for msal that signs in on the demo tenant (which must approve sign-ins at once). */
export function demoAdminBrowser(transport: HttpTransport, authorityHost: string): (url: string) => Promise<void> {
  return async (url) => {
    if (!url.startsWith(authorityHost)) throw new Error('The demo sign-in page is not on the demo tenant.');
    let form = firstForm(await (await transport.fetch(url)).text());
    if (form?.fields.has('request')) {
      // The page asks for a click: the demo tenant's admin approves.
      form.fields.set('approve', 'yes');
      const answer = await transport.fetch(new URL(form.action, authorityHost).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.fields.toString(),
      });
      form = firstForm(await answer.text());
    }
    if (!form) throw new Error('The demo tenant did not answer the sign-in.');
    const loopback = form.action.replace('//localhost', '//127.0.0.1');
    if (!/^http:\/\/127\.0\.0\.1(:\d+)?(\/|$)/.test(loopback))
      throw new Error('The sign-in answer does not go to this computer.');
    const posted = await fetch(loopback, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.fields.toString(),
    });
    await posted.text();
  };
}
