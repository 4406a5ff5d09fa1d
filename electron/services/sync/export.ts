import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ExportResult } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { ChunkSink } from './csv';

/**
 * Exports as streams: a job names the file and writes it chunk by chunk into a sink that waits for the
 * destination (a file, an HTTP response) to drain. A run of millions of items never sits in one string — as one
 * string it failed with "Invalid string length" at 2.4 GB.
 */

/** An export ready to be written; `write` resolves with the number of rows. */
export interface ExportJob {
  readonly fileName: string;
  readonly mimeType: string;
  write(sink: ChunkSink): Promise<number>;
}

/** How a host delivers an export: a save dialog and a file (Electron), a download URL (browser host). */
export type ExportDelivery = (job: ExportJob) => Promise<ExportResult>;

export const exportMimeTypes = { csv: 'text/csv', json: 'application/json' } as const;

/**
 * Writes the job into `stream` with backpressure and ends it. CSV starts with a byte-order mark, without which
 * spreadsheets read UTF-8 as the local code page.
 */
export async function streamExport(job: ExportJob, stream: Writable): Promise<number> {
  let failure: Error | undefined;
  const onError = (error: Error) => (failure ??= error);
  stream.on('error', onError);
  try {
    const sink: ChunkSink = async (chunk) => {
      if (failure) throw failure;
      if (stream.destroyed) throw new Error('The export was interrupted: the destination closed.');
      if (chunk.length === 0) return;
      if (!stream.write(chunk)) await drained(stream);
    };
    if (job.mimeType === exportMimeTypes.csv) await sink('\ufeff');
    const rows = await job.write(sink);
    if (failure) throw failure;
    stream.end();
    await once(stream, 'finish');
    return rows;
  } catch (error) {
    // Closes the file or the response: a half-written export must not stay open (or look finished).
    stream.destroy();
    throw error;
  } finally {
    stream.off('error', onError);
  }
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', closed);
      stream.off('error', failed);
    };
    const closed = () => (done(), reject(new Error('The export was interrupted: the destination closed.')));
    const failed = (error: Error) => (done(), reject(error));
    stream.once('drain', () => (done(), resolve()));
    stream.once('close', closed);
    stream.once('error', failed);
  });
}

/**
 * Writes the job to `path`, through a `.partial` file renamed at the end, so a failed or interrupted export never
 * leaves a file that looks complete.
 */
export async function saveExportFile(job: ExportJob, path: string): Promise<ExportResult> {
  const partial = `${path}.partial`;
  try {
    // 0600: an export holds the names and addresses of the whole tenant.
    const rows = await streamExport(job, createWriteStream(partial, { mode: 0o600 }));
    renameSync(partial, path);
    return { status: 'saved', fileName: basename(path), path, rows };
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof AppError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new AppError(
      'export-failed',
      `The export could not be written to ${path} (${reason}). Choose another folder, or free some disk space, and export again.`,
    );
  }
}

/** The delivery for hosts without a save dialog (tests, a headless host): files in `dir`, named by the job. */
export function saveExportsIn(dir: string): ExportDelivery {
  return async (job) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return saveExportFile(job, join(dir, basename(job.fileName)));
  };
}
