import { describe, expect, it } from 'vitest';
import { JsonNestingError, MAX_JSON_DEPTH, parseJson } from '../../../src/http/body.ts';

describe('parseJson: JSON.parse with a nesting bound (docs/security.md, bad input)', () => {
  it('parses documents up to the bound, arrays and objects alike', () => {
    expect(parseJson(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`)).toBeInstanceOf(Array);
    expect(parseJson('{"a":{"b":[1,{"c":null}]}}')).toEqual({ a: { b: [1, { c: null }] } });
  });

  it('refuses one level deeper with JsonNestingError, before any recursion', () => {
    const deep = `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(() => parseJson(deep)).toThrow(JsonNestingError);
    expect(() => parseJson(`${'['.repeat(300_000)}`)).toThrow(JsonNestingError);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '['.repeat(100), t: '\\"{{{{', u: '"[[[' });
    expect(parseJson(text)).toEqual({ s: '['.repeat(100), t: '\\"{{{{', u: '"[[[' });
  });

  it('still throws SyntaxError for text that is not JSON', () => {
    expect(() => parseJson('{"a":')).toThrow(SyntaxError);
    expect(() => parseJson('{"a":1}')).not.toThrow();
  });
});
