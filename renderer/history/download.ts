/**
 * Opens a download URL the browser host handed out. The browser streams the file to disk itself, so an export of
 * millions of rows never sits in the page's memory.
 */
export function startDownload(url: string, fileName: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
