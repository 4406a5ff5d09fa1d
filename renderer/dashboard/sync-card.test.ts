import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { TargetLastRun } from '../../shared/contract/sync';
import { emptyPlanCounts, type SyncRunRecord } from '../../shared/sync';
import type { useSyncStatus } from '../sync/use-sync-status';
import { SyncCard } from './sync-card';

// Rendered on the server (no window, no preload): the card's effects never run, nothing is asked of a host.
vi.mock('../api/client', () => ({ call: () => new Promise(() => undefined), on: () => () => undefined }));

/** The text on screen, without the markup. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

const counts = { ...emptyPlanCounts(), 'create-user': 600, 'add-member': 68 };
const run = (i: number, over: Partial<SyncRunRecord> = {}): SyncRunRecord => ({
  id: `r${i}`,
  trigger: 'manual',
  mode: 'full',
  dryRun: false,
  status: 'succeeded',
  startedAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:00:45.000Z',
  durationMs: 4_000,
  planned: counts,
  applied: counts,
  failedItems: 0,
  conflicts: 0,
  graphRequests: i === 0 ? 12 : 0,
  sharedRead: { targets: 11, countedOnRunId: 'r0', countedOnTargetId: 'local' },
  error: null,
  notes: [],
  confirmedByRunId: null,
  targetId: i === 0 ? 'local' : `t${i}`,
  ...over,
});

describe('the dashboard after Sync now into 11 targets, the last one a Jira whose token was refused', () => {
  it('summarises the whole run and shows the failed target with its own reason and advice', () => {
    const runs = Array.from({ length: 11 }, (_, i) =>
      i === 10
        ? run(i, {
            status: 'failed',
            planned: emptyPlanCounts(),
            applied: emptyPlanCounts(),
            durationMs: 300,
            error: {
              code: 'target-token-rejected',
              message:
                "Jira did not accept the personal access token (401) when reading the token's own account; nothing was changed.",
            },
          })
        : run(i),
    );
    const targets: TargetLastRun[] = runs.map((r, i) => ({
      id: r.targetId!,
      name: i === 10 ? 'Jira' : `Target ${i}`,
      lastRun: r,
    }));
    const sync = {
      status: { state: 'idle', lastRun: runs[10]!, targets },
      active: null,
      finished: null,
      actionError: null,
      loadError: null,
    } as unknown as ReturnType<typeof useSyncStatus>;
    const html = text(renderToStaticMarkup(createElement(SyncCard, { sync, canSync: true, onOpenRun: () => undefined })));
    expect(html).toContain('Last sync Partly applied 10 of 11 targets succeeded, 1 failed');
    expect(html).toContain('6,680 changes applied');
    expect(html).toContain('12 Graph requests (Entra read once for 11 targets)');
    // The Jira's own line says it applied nothing; the run's line does not.
    expect(html).toContain('Details 6,000 × create user · 680 × add member');
    expect(html).not.toContain('Why the last sync stopped');
    expect(html).toContain(
      "Why the sync into Jira failed Jira did not accept the personal access token (401) when reading the token's own account",
    );
    expect(html).toContain('What to do: The target refused its token or password');
    expect(html).not.toContain('Something failed inside the app');
  });
});
