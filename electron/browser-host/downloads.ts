import { randomBytes } from 'node:crypto';
import type { ExportDelivery, ExportJob } from '../services/sync/export';
import type { Clock } from '../services/ports';

/** How long a download URL stays valid: the page opens it right away. */
const linkLifetimeMs = 5 * 60_000;
/** Links nobody opened are dropped beyond this many, oldest first. */
const maxPending = 20;

/**
 * Exports in the browser host: `deliver` parks the job behind a one-time, unguessable `/api/export/<id>` URL that
 * the page opens as a download, and the server streams the job into that response (`take`). The URL still needs
 * the session cookie, like every other request.
 */
export interface BrowserDownloads {
  readonly deliver: ExportDelivery;
  /** The job behind an id, once; undefined when unknown, used or expired. */
  take(id: string): ExportJob | undefined;
}

export const downloadPathPrefix = '/api/export/';

export function createBrowserDownloads(clock: Clock): BrowserDownloads {
  const pending = new Map<string, { job: ExportJob; expires: number }>();
  return {
    async deliver(job) {
      const now = clock.now().getTime();
      for (const [id, entry] of pending) if (entry.expires <= now) pending.delete(id);
      while (pending.size >= maxPending) pending.delete(pending.keys().next().value as string);
      const id = randomBytes(18).toString('base64url');
      pending.set(id, { job, expires: now + linkLifetimeMs });
      return { status: 'download', fileName: job.fileName, url: `${downloadPathPrefix}${id}` };
    },
    take(id) {
      const entry = pending.get(id);
      pending.delete(id);
      if (!entry || entry.expires <= clock.now().getTime()) return undefined;
      return entry.job;
    },
  };
}
