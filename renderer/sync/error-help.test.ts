import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorPanel } from '../components/error-panel';
import { ErrorHelp } from './error-help';

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
});
