/**
 * Clipboard access that degrades gracefully: browsers may deny `navigator.clipboard` (no permission, no secure
 * context, no user gesture). Callers get a value or a reason, never an exception.
 */

/** The text read, or why it could not be read (the UI then asks for Ctrl+V). */
export type ClipboardRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** How long a permission prompt may keep the read waiting before the admin is told to press Ctrl+V. */
const readTimeoutMs = 2_000;

/** Reads text from the clipboard. */
export async function readClipboardText(): Promise<ClipboardRead> {
  if (!navigator.clipboard?.readText) {
    return { ok: false, reason: 'This window cannot read the clipboard. Click the field and press Ctrl+V (⌘V on a Mac).' };
  }
  try {
    // A browser may leave the read pending on a permission prompt that never shows: give up after a moment.
    const text = await Promise.race([
      navigator.clipboard.readText(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), readTimeoutMs)),
    ]);
    return { ok: true, text };
  } catch {
    return {
      ok: false,
      reason: 'Reading the clipboard was not allowed. Click the field and press Ctrl+V (⌘V on a Mac) instead.',
    };
  }
}

/** Writes text to the clipboard; false when not allowed (the caller then shows the text to copy by hand). */
export async function writeClipboardText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the legacy path below.
  }
  // Older path for windows that deny the async API: copy from a hidden, selected text area.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let copied: boolean;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}
