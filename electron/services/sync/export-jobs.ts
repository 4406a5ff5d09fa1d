/** The exports the sync service offers, named for the file they make: a run of the history, a directory list. */
import type { DirectoryExportKind } from '../targets/local/directory-browser';
import type { ChunkSink } from './csv';
import { exportMimeTypes, type ExportJob } from './export';

const fileStamp = (iso: string) => iso.replace(/[:]/g, '-').replace(/\..*$/, '');

/** A run's export: `sync-run-<started>-<id prefix>.<format>`. */
export function runExportJob(
  run: { readonly id: string; readonly startedAt: string },
  format: 'csv' | 'json',
  write: (sink: ChunkSink) => Promise<number>,
): ExportJob {
  return {
    fileName: `sync-run-${fileStamp(run.startedAt)}-${run.id.slice(0, 8)}.${format}`,
    mimeType: exportMimeTypes[format],
    write,
  };
}

/** A directory list's export: `directory-<kind>-<now>.<format>`. */
export function directoryExportJob(
  kind: DirectoryExportKind,
  format: 'csv' | 'json',
  now: Date,
  write: (sink: ChunkSink) => Promise<number>,
): ExportJob {
  return {
    fileName: `directory-${kind}-${fileStamp(now.toISOString())}.${format}`,
    mimeType: exportMimeTypes[format],
    write,
  };
}
