import type { ExportFile } from '../../shared/contract/sync';

/**
 * Offers an export as a file download. A spreadsheet opens UTF-8 CSV correctly only with a byte-order mark, so
 * CSV gets one.
 */
export function downloadFile(file: ExportFile): void {
  const parts = file.mimeType === 'text/csv' ? ['\ufeff', file.content] : [file.content];
  const url = URL.createObjectURL(new Blob(parts, { type: `${file.mimeType};charset=utf-8` }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = file.fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: the download reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
