import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorPanel } from '../components/error-panel';
import type { SyncErrorCode } from '../../shared/sync';
import { ErrorHelp, remedyFor, whatToDo } from './error-help';

/** The text a screen shows, without the markup (attributes such as data-error-code are not on screen). */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('errors on screen', () => {
  for (const code of ['threshold-exceeded', 'already-running', 'invalid-policy']) {
    it(`says ${code} in words with what to do, never the raw code`, () => {
      const help = renderToStaticMarkup(
        createElement(ErrorHelp, { title: 'The sync did not start', error: { code, message: 'It could not start.' } }),
      );
      expect(text(help)).toContain('It could not start.');
      expect(text(help)).toContain('What to do:');
      expect(text(help)).not.toContain(code);
      expect(help).toContain(`data-error-code="${code}"`);

      const panel = renderToStaticMarkup(
        createElement(ErrorPanel, { title: 'Failed', error: { code, message: 'It could not start.' } }),
      );
      expect(text(panel)).toContain('What to do:');
      expect(text(panel)).not.toContain(code);
    });
  }

  // Every code a run can end with (the compiler keeps this list complete): each has its own advice on screen.
  const runCodes: Record<SyncErrorCode, true> = {
    'already-running': true,
    'locked-by-other-host': true,
    'graph-read-failed': true,
    'graph-answer-invalid': true,
    'target-read-failed': true,
    'target-failed': true,
    'target-token-rejected': true,
    'target-forbidden': true,
    'target-unavailable': true,
    cancelled: true,
    interrupted: true,
    'invalid-policy': true,
    'confirmation-invalid': true,
    'internal-error': true,
  };
  it('has advice for every code a run ends with; a target that refused its token is not "failed inside the app"', () => {
    for (const code of Object.keys(runCodes)) expect(remedyFor(code), code).toBeTruthy();
    const inside = whatToDo('internal-error');
    for (const code of ['target-token-rejected', 'target-forbidden', 'target-unavailable'])
      expect(whatToDo(code), code).not.toBe(inside);
    expect(whatToDo('target-token-rejected')).toMatch(/new personal access token .*Settings → Targets → Edit/);
  });
});
