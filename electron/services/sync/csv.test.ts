import { describe, expect, it } from 'vitest';
import { csvRow } from './csv';

const cell = (value: unknown) => csvRow([value]).slice(0, -2);

describe('csvRow', () => {
  it.each([
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['\n=1', `"'\n=1"`],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
  ])('neutralises %j, which a spreadsheet would run as a formula', (value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it.each(['Zoë Ärger', 'a=b', 'x-1', 'mail@example.com', ' =1'])('leaves %j as it is', (value) => {
    expect(cell(value)).toBe(value);
  });

  it('writes numbers as numbers, even negative ones', () => {
    expect(csvRow([-5, 0, true, null, undefined])).toBe('-5,0,true,,\r\n');
  });

  it('writes big integers as numbers too, a negative one without the formula guard', () => {
    expect(csvRow([-9007199254740993n, 12n])).toBe('-9007199254740993,12\r\n');
  });

  it.each([
    ['\u202e', 'U+202E'],
    ['\u202a', 'U+202A'],
    ['\u202b', 'U+202B'],
    ['\u202c', 'U+202C'],
    ['\u202d', 'U+202D'],
    ['\u2066', 'U+2066'],
    ['\u2067', 'U+2067'],
    ['\u2068', 'U+2068'],
    ['\u2069', 'U+2069'],
    ['\u200f', 'U+200F'],
    ['\u061c', 'U+061C'],
    ['\u001b', 'U+001B'],
    ['\u0007', 'U+0007'],
    ['\u0000', 'U+0000'],
    ['\u0008', 'U+0008'],
    ['\u007f', 'U+007F'],
    ['\u009b', 'U+009B'],
  ])('shows %j as a visible %s instead of letting it steer the display', (char, name) => {
    const out = cell(`report${char}fdp.exe`);
    expect(out).toBe(`report<${name}>fdp.exe`);
    expect(out).not.toContain(char);
  });

  it('neutralises a formula hidden behind a bidi character or an escape sequence', () => {
    expect(cell('\u202e=1+1')).toBe('<U+202E>=1+1');
    expect(cell('\u001b[2J=cmd')).toBe('<U+001B>[2J=cmd');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and serialises objects as JSON', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\r\nlines', { displayName: 'x' }])).toBe(
      '"a,b","say ""hi""","two\r\nlines","{""displayName"":""x""}"\r\n',
    );
  });
});
