import { describe, expect, it } from 'vitest';
import type { TargetLastRun } from '../../shared/contract/sync';
import { emptyPlanCounts, type SyncRunRecord } from '../../shared/sync';
import { resultSentence } from './run-words';
import { wholeRunOf, wholeRunRequests } from './whole-run';

const shared = (targets: number) => ({ targets, countedOnRunId: 'r0', countedOnTargetId: 'local' });
const row = (i: number, over: Partial<SyncRunRecord> = {}): SyncRunRecord => ({
  id: `r${i}`,
  trigger: 'manual',
  mode: 'full',
  dryRun: false,
  status: 'succeeded',
  startedAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:00:45.000Z',
  durationMs: 4_000,
  planned: { ...emptyPlanCounts(), 'create-user': 600, 'add-member': 68 },
  applied: { ...emptyPlanCounts(), 'create-user': 600, 'add-member': 68 },
  failedItems: 0,
  conflicts: 0,
  graphRequests: i === 0 ? 12 : 0,
  sharedRead: shared(11),
  error: null,
  notes: [],
  confirmedByRunId: null,
  targetId: i === 0 ? 'local' : `t${i}`,
  ...over,
});
const tokenRefused = {
  code: 'target-token-rejected' as const,
  message: "Jira did not accept the personal access token (401) when reading the token's own account; nothing was changed.",
};
/** Ten targets that applied 668 changes each, and a Jira (the last) whose token was refused at once. */
const reviewerRun = (): { last: SyncRunRecord; targets: TargetLastRun[] } => {
  const runs = Array.from({ length: 11 }, (_, i) =>
    i === 10
      ? row(i, {
          status: 'failed',
          planned: emptyPlanCounts(),
          applied: emptyPlanCounts(),
          durationMs: 300,
          error: tokenRefused,
        })
      : row(i),
  );
  const targets = runs.map((run, i) => ({
    id: run.targetId!,
    name: i === 10 ? 'Jira (wrong token)' : `Target ${i}`,
    lastRun: run,
  }));
  return { last: runs[10]!, targets };
};

describe('the last sync into several targets, as one run', () => {
  it('says how many targets succeeded and failed, adds up what they applied, and names the failed one with its reason', () => {
    const { last, targets } = reviewerRun();
    const whole = wholeRunOf(last, targets)!;
    expect(whole.headline).toBe('10 of 11 targets succeeded, 1 failed');
    expect(whole.status).toBe('partial');
    expect(whole.applied['create-user'] + whole.applied['add-member']).toBe(6_680);
    expect(resultSentence({ ...whole, dryRun: false }, 'the counts')).toBe('the counts');
    expect(whole.failures).toEqual([{ name: 'Jira (wrong token)', runId: 'r10', error: tokenRefused }]);
    // The rows' own durations and requests add up (the read is counted on one row only).
    expect(whole.durationMs).toBe(10 * 4_000 + 300);
    expect(wholeRunRequests(whole)).toBe('12 Graph requests (Entra read once for 11 targets)');
  });

  it('all succeeded, none applied, the brake, a row of another run, and a run into one target', () => {
    const { targets } = reviewerRun();
    const ok = targets.slice(0, 3).map((t) => ({ ...t, lastRun: { ...t.lastRun!, sharedRead: shared(3) } }));
    expect(wholeRunOf(ok[2]!.lastRun!, ok)).toMatchObject({ headline: 'All 3 targets succeeded', status: 'succeeded' });

    const none = ok.map((t) => ({ ...t, lastRun: { ...t.lastRun!, status: 'failed' as const, applied: emptyPlanCounts() } }));
    expect(wholeRunOf(none[0]!.lastRun!, none)).toMatchObject({
      headline: '0 of 3 targets succeeded, 3 failed',
      status: 'failed',
    });

    const held = [ok[0]!, ok[1]!, { ...ok[2]!, lastRun: { ...ok[2]!.lastRun!, status: 'blocked' as const } }];
    expect(wholeRunOf(held[2]!.lastRun!, held)?.headline).toBe('2 of 3 targets succeeded, 1 held by the safety brake');

    // A target synced on its own since: its row is not this run's.
    const again = [ok[0]!, ok[1]!, { ...ok[2]!, lastRun: { ...ok[2]!.lastRun!, id: 'later', sharedRead: null } }];
    expect(wholeRunOf(ok[1]!.lastRun!, again)?.headline).toBe(
      '2 of 3 targets succeeded, 1 not listed (synced again or removed since)',
    );

    expect(wholeRunOf(row(0, { sharedRead: null }), targets)).toBeNull();
    expect(wholeRunOf(row(0), undefined)).toBeNull();
  });
});
