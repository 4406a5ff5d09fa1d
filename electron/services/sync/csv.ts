/**
 * CSV for exports admins open in a spreadsheet: RFC 4180 quoting and CRLF line ends. Directory data comes from
 * outside and must not execute or disguise itself on the admin's machine, so:
 * - a text cell a spreadsheet would run as a formula gets a leading `'`: one starting with `=`, `+`, `-`, `@`, tab,
 *   CR or LF, or their fullwidth forms (`＝＋－＠`), which some spreadsheets fold to ASCII before parsing;
 * - control characters (ESC, BEL… which a terminal showing the file would obey) and bidi overrides and isolates
 *   (U+202E turns `exe.txt` into `txt.exe` on screen) are replaced by a visible `<U+XXXX>`.
 */

/** One CSV line (with its CRLF) from cell values; null and undefined become empty cells. */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

// C0 controls except tab, LF and CR (quoted cells keep those), DEL, C1 controls, and the bidi formatting characters.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unsafeCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const formulaStart = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A number or boolean cannot be a formula; only text from the directory can.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  let text = (typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)).replace(
    unsafeCharacters,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Where an export writes; it may return a promise to apply backpressure (a file stream, an HTTP response). */
export type ChunkSink = (chunk: string) => void | Promise<void>;
