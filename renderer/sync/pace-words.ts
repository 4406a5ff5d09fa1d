import type { SyncPace } from '../../shared/sync';
import { formatCount } from './format';

/** A remote target's pace in the progress: "42 requests/s, limited by Jira", or "42 requests/s" when unhindered. */
export function paceWords(pace: SyncPace): string {
  const rate = `${formatCount(pace.requestsPerSecond)} ${pace.requestsPerSecond === 1 ? 'request' : 'requests'}/s`;
  return pace.limitedBy ? `${rate}, limited by ${pace.limitedBy}` : rate;
}
