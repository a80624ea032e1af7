import { describe, expect, it } from 'vitest';
import { isGrantId, parseGrantId } from '../../../src/oauth/grant-handle.ts';
import { newHandle, parseHandle } from '../../../src/session/handle.ts';
import { isCodeVerifier, s256CodeChallenge } from '../../../src/oauth/pkce.ts';
import { isSubset, parseScope } from '../../../src/oauth/scope.ts';

describe('PKCE S256 (RFC 7636)', () => {
  it('computes the Appendix B challenge', async () => {
    expect(await s256CodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('accepts 43 to 128 unreserved characters only (§4.1)', () => {
    expect(isCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(40)}-._~`)).toBe(true);
  });
});

describe('scope (RFC 6749 §3.3)', () => {
  it('splits on single spaces, keeps order and drops repeats', () => {
    expect(parseScope('openid profile openid')).toEqual(['openid', 'profile']);
  });

  it.each(['', 'a  b', ' a', 'a ', 'a"b', 'a\\b', 'é'])('refuses %j', (value) => {
    expect(parseScope(value)).toBeNull();
  });

  it('checks a subset', () => {
    expect(isSubset(['a'], ['a', 'b'])).toBe(true);
    expect(isSubset(['a', 'c'], ['a', 'b'])).toBe(false);
  });
});

describe('handles: <session object id>.<secret> (cookies, codes, refresh tokens)', () => {
  const id = 'f'.repeat(64);

  it('round-trips a fresh handle', () => {
    const { handle, secret } = newHandle(id);
    expect(parseHandle(handle)).toEqual({ objectId: id, secret });
  });

  it.each(['', id, `${id}.`, `${id}.short`, `${'F'.repeat(64)}.${'A'.repeat(43)}`, `${id}.${'A'.repeat(43)}.x`, `x${id}.${'A'.repeat(43)}`])(
    'refuses %j',
    (value) => expect(parseHandle(value)).toBeNull(),
  );
});

describe('grant ids: <session object id>-<number>', () => {
  const id = 'f'.repeat(64);

  it('names the session object and the grant in it', () => {
    expect(parseGrantId(`${id}-7`)).toEqual({ objectId: id, grantNumber: 7 });
    expect(isGrantId(`${id}-7`)).toBe(true);
  });

  it.each([id, `${id}-`, `${id}-0`, `${id}-07`, `${id}-1.x`, `${id}-1234567890`, `${'F'.repeat(64)}-1`])('refuses %j', (value) => {
    expect(parseGrantId(value)).toBeNull();
    expect(isGrantId(value)).toBe(false);
  });
});
