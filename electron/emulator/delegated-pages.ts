/**
 * The HTML pages of the demo tenant's sign-in (sign-in, device code, the form_post answer), escaped.
 */

/** Headers of every page. */
export const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

/** Escapes text for HTML content and attribute values. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page with a title and body HTML. */
export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

/** A page saying the sign-in failed. */
export function errorPage(message: string): string {
  return page('Sign-in failed', `<p>${esc(message)}</p>`);
}
