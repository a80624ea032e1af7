import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/errors.ts';
import { autoSubmitScriptHash, errorParams, formActionSource, formPostCsp } from '../../../src/oauth/authorization-response.ts';
import { AUTO_SUBMIT_SCRIPT } from '../../../src/pages/form-post.tsx';

describe('authorization responses (RFC 6749 §4.1.2, RFC 9207, OAuth 2.0 Form Post Response Mode)', () => {
  it("allows the form_post page's one inline script by its SHA-256 (CSP Level 3 hash-source)", async () => {
    const expected = createHash('sha256').update(AUTO_SUBMIT_SCRIPT).digest('base64');
    expect(await autoSubmitScriptHash()).toBe(`'sha256-${expected}'`);
    const csp = await formPostCsp('https://rp.example.com/cb?x=1');
    expect(csp).toContain(`script-src 'sha256-${expected}'`);
    expect(csp).toContain('form-action https://rp.example.com');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('lets a form post to a private-use redirect URI by its scheme', () => {
    expect(formActionSource('com.example.app:/callback')).toBe('com.example.app:');
    expect(formActionSource('http://127.0.0.1:8400/cb')).toBe('http://127.0.0.1:8400');
  });

  it('carries error, a description in the allowed characters, state and iss (RFC 6749 §4.1.2.1)', () => {
    const params = errorParams(new OAuthError('invalid_request', 'say "no" \\ twice\n'), { redirectUri: 'x', responseMode: 'query', state: 's' }, 'https://id');
    expect(params).toEqual({ error: 'invalid_request', error_description: 'say  no    twice ', state: 's', iss: 'https://id' });
  });
});
