/**
 * CSV for exports admins open in a spreadsheet: RFC 4180 quoting, CRLF line ends, and cells that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) prefixed with `'` — directory data comes from
 * outside and must not execute on the admin's machine.
 */

/** One CSV line (with its CRLF) from cell values; null and undefined become empty cells. */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Where an export writes; it may return a promise to apply backpressure (a file stream, an HTTP response). */
export type ChunkSink = (chunk: string) => void | Promise<void>;
