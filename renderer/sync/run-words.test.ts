import { describe, expect, it } from 'vitest';
import { emptyPlanCounts, type PlanCounts } from '../../shared/sync';
import { cancelledSentence, readLabel, resultSentence } from './run-words';

const counts = (c: Partial<PlanCounts>): PlanCounts => ({ ...emptyPlanCounts(), ...c });
const run = (over: Partial<Parameters<typeof resultSentence>[0]>) => ({
  status: 'succeeded' as const,
  dryRun: false,
  planned: counts({}),
  applied: counts({}),
  failedItems: 0,
  ...over,
});

describe('what a run did, in one sentence', () => {
  it('a cancelled run says only whether anything was applied before the cancel', () => {
    expect(cancelledSentence({ planned: counts({ 'create-user': 668 }), applied: counts({}) })).toBe(
      'The sync was cancelled before any change was applied. Run it again when you are ready.',
    );
    expect(
      cancelledSentence({ planned: counts({ 'create-user': 600, 'add-member': 68 }), applied: counts({ 'create-user': 120 }) }),
    ).toBe('The sync was cancelled after 120 of 668 changes were applied; they are kept. Run it again to apply the rest.');
    expect(cancelledSentence({ planned: counts({ 'create-user': 1 }), applied: counts({ 'create-user': 1 }) })).toBe(
      'The sync was cancelled after 1 change was applied; they are kept. Run it again to apply the rest.',
    );
  });

  it('never says the directory matched Entra unless a finished run really changed nothing', () => {
    const cancelled = resultSentence(run({ status: 'cancelled', planned: counts({ 'create-user': 5 }) }), '');
    expect(cancelled).not.toContain('already matched');
    expect(resultSentence(run({ status: 'failed' }), '')).toBe('Nothing was applied.');
    expect(resultSentence(run({}), '')).toBe('No changes: the directory already matched Entra ID.');
    expect(resultSentence(run({ applied: counts({ 'create-user': 3 }) }), '3 × create user')).toBe('3 × create user');
    expect(resultSentence(run({ status: 'blocked' }), '40 × delete user')).toBe('Planned, not applied: 40 × delete user');
  });

  it('a delta read is labelled as reading changes, not as the run changing only a few things', () => {
    expect(readLabel({ mode: 'delta' })).toBe('Changes since the last read');
    expect(readLabel({ mode: 'full' })).toBe('Everything (full read)');
  });
});
