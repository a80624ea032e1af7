import { describe, expect, it } from 'vitest';
import { formatUserCode, generateUserCode, normaliseUserCode, USER_CODE_ALPHABET } from '../../../src/device/user-code.ts';

describe('user codes (RFC 8628 §6.1)', () => {
  it('draws 8 letters from the base-20 consonant alphabet, shown as XXXX-XXXX', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      expect(formatUserCode(code)).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    }
    expect(USER_CODE_ALPHABET).toHaveLength(20);
  });

  it('uses every letter of the alphabet and no other (uniform draw)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) for (const ch of generateUserCode()) seen.add(ch);
    expect([...seen].sort().join('')).toBe(USER_CODE_ALPHABET);
  });

  it('accepts any case, dashes and spaces: they name the same code (RFC 8628 §6.1)', () => {
    for (const typed of ['BCDF-GHJK', 'bcdfghjk', 'bcdf-ghjk', ' BcDf GhJk ', 'B-C-D-F-G-H-J-K', 'bcdf\tghjk']) {
      expect(normaliseUserCode(typed)).toBe('BCDFGHJK');
    }
  });

  it('refuses Unicode look-alikes rather than mapping them onto a code', () => {
    // Cyrillic В (U+0412), fullwidth Ｂ (U+FF22), long s ſ (U+017F, upper-cases to S),
    // Kelvin sign K (U+212A), an en dash and a non-breaking space as separators.
    for (const typed of ['\u0412CDF-GHJK', '\uFF22CDF-GHJK', 'BCDF-GHJ\u017F', 'BCDF-GH\u212AJ', 'BCDF\u2013GHJK', 'BCDF\u00A0GHJK']) {
      expect(normaliseUserCode(typed)).toBeNull();
    }
  });

  it('refuses vowels, digits, wrong lengths and oversized input', () => {
    for (const typed of ['BCDF-GHJA', 'BCDF-GHJ1', 'BCDF-GHJ', 'BCDF-GHJKL', '', 'B'.repeat(65)]) {
      expect(normaliseUserCode(typed)).toBeNull();
    }
  });
});
