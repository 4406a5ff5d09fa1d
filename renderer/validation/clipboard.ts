/**
 * Clipboard access that degrades gracefully: browsers may deny `navigator.clipboard` (no permission, no secure
 * context, no user gesture). Callers get a value or a reason, never an exception.
 */

/** The text read, or why it could not be read (the UI then asks for Ctrl+V). */
export type ClipboardRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Reads text from the clipboard. */
export async function readClipboardText(): Promise<ClipboardRead> {
  if (!navigator.clipboard?.readText) {
    return { ok: false, reason: 'This window cannot read the clipboard. Click the field and press Ctrl+V (⌘V on a Mac).' };
  }
  try {
    return { ok: true, text: await navigator.clipboard.readText() };
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
