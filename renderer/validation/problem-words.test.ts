import { describe, expect, it } from 'vitest';
import { checkIds, validationCodes } from '../../shared/validation';
import { problemText, problemsText } from './problem-words';

describe('the last test’s problems in words', () => {
  it('says which check and what went wrong, never the stored code', () => {
    expect(problemText('inputs:secret-missing')).toBe('The values entered: no client secret entered');
    expect(problemsText(['inputs:secret-missing', 'permission:consent-missing'])).toBe(
      'The values entered: no client secret entered; Directory.Read.All with admin consent: admin consent for Directory.Read.All is missing',
    );
  });

  it('has words for every check and code, and a plain fallback for ones it does not know', () => {
    for (const check of checkIds) {
      for (const code of validationCodes) {
        const text = problemText(`${check}:${code}`);
        expect(text).not.toContain(code.includes('-') ? code : `:${code}`);
        expect(text).not.toContain(':' + code);
      }
    }
    expect(problemText('later:new-code')).toBe('A check: failed (test again to see why)');
  });
});
