import { app, dialog, type BrowserWindow } from 'electron';
import { extname, join } from 'node:path';
import { saveExportFile, type ExportDelivery } from '../services/sync/export';

/**
 * Exports in the desktop app: a save dialog (suggesting the job's name in Downloads), then the export streamed
 * straight into the chosen file. Closing the dialog is `cancelled`, not an error.
 */
export function exportWithSaveDialog(window: () => BrowserWindow | undefined): ExportDelivery {
  return async (job) => {
    const format = extname(job.fileName).slice(1);
    const options: Electron.SaveDialogOptions = {
      title: 'Export',
      defaultPath: join(app.getPath('downloads'), job.fileName),
      filters: [{ name: format === 'csv' ? 'CSV (spreadsheet)' : 'JSON', extensions: [format] }],
    };
    const parent = window();
    const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { status: 'cancelled' };
    return saveExportFile(job, choice.filePath);
  };
}
