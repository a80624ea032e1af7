import { describe, expect, it } from 'vitest';
import { clientMetadataSchema } from '../../../src/clients/client-metadata.ts';
import type { Client } from '../../../src/clients/client.ts';
import { OAuthError } from '../../../src/errors.ts';
import {
  parseAuthorizationRequest,
  requestedClientId,
  singleValues,
  trustRedirectUri,
} from '../../../src/oauth/authorization-request.ts';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function client(metadata: Record<string, unknown> = {}): Client {
  return {
    clientId: 'client-1',
    clientIdIssuedAt: 0,
    clientSecretHash: null,
    clientSecretSealed: null,
    clientSecretExpiresAt: 0,
    metadata: clientMetadataSchema.parse({ redirect_uris: ['https://rp.example.com/cb'], scope: 'openid profile email', ...metadata }),
  };
}

const BASE = {
  response_type: 'code',
  client_id: 'client-1',
  redirect_uri: 'https://rp.example.com/cb',
  scope: 'openid profile',
  state: 'xyz',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
};

function parse(params: Record<string, string | undefined> | string, c: Client = client()) {
  const query = typeof params === 'string' ? new URLSearchParams(params) : new URLSearchParams();
  if (typeof params !== 'string') for (const [k, v] of Object.entries({ ...BASE, ...params })) if (v !== undefined) query.append(k, v);
  const { values, repeated } = singleValues(query);
  const target = trustRedirectUri(values, repeated, c);
  return parseAuthorizationRequest(values, repeated, c, target);
}

function errorOf(fn: () => unknown): { error: string; description: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return { error: err.error, description: err.description };
    throw err;
  }
  throw new Error('expected an OAuthError');
}

describe('stage one: trusting the client and redirect URI (RFC 6749 §4.1.2.1, RFC 9700 §4.1.3)', () => {
  it('takes an exactly registered redirect_uri, and the only one when it is left out (RFC 6749 §3.1.2.3)', () => {
    const { values, repeated } = singleValues(new URLSearchParams({ client_id: 'client-1' }));
    expect(trustRedirectUri(values, repeated, client())).toEqual({ redirectUri: 'https://rp.example.com/cb', responseMode: 'query', state: undefined });
  });

  it.each([
    ['a trailing slash', 'https://rp.example.com/cb/'],
    ['another port', 'https://rp.example.com:8443/cb'],
    ['another case', 'https://RP.example.com/cb'],
    ['an added query', 'https://rp.example.com/cb?x=1'],
    ['http instead of https', 'http://rp.example.com/cb'],
  ])('refuses a redirect_uri that differs by %s', (_, redirectUri) => {
    const { values, repeated } = singleValues(new URLSearchParams({ client_id: 'client-1', redirect_uri: redirectUri }));
    expect(errorOf(() => trustRedirectUri(values, repeated, client()))).toMatchObject({ error: 'invalid_request' });
  });

  it('needs redirect_uri when the client registered several', () => {
    const c = client({ redirect_uris: ['https://rp.example.com/a', 'https://rp.example.com/b'] });
    const { values, repeated } = singleValues(new URLSearchParams({ client_id: 'client-1' }));
    expect(errorOf(() => trustRedirectUri(values, repeated, c)).description).toMatch(/redirect_uri is required/);
  });

  it('refuses an unknown client, a missing or repeated client_id and a repeated redirect_uri', () => {
    const one = singleValues(new URLSearchParams({ client_id: 'nobody' }));
    expect(errorOf(() => trustRedirectUri(one.values, one.repeated, null)).error).toBe('invalid_client');
    const none = singleValues(new URLSearchParams({}));
    expect(errorOf(() => requestedClientId(none.values, none.repeated)).error).toBe('invalid_request');
    const twice = singleValues(new URLSearchParams('client_id=a&client_id=b'));
    expect(errorOf(() => requestedClientId(twice.values, twice.repeated)).error).toBe('invalid_request');
    const uris = singleValues(new URLSearchParams('client_id=client-1&redirect_uri=https://rp.example.com/cb&redirect_uri=https://rp.example.com/cb'));
    expect(errorOf(() => trustRedirectUri(uris.values, uris.repeated, client())).error).toBe('invalid_request');
  });
});

describe('stage two: the request itself (RFC 6749 §4.1.1, OIDC Core §3.1.2.1)', () => {
  it('returns a typed request with the defaults', () => {
    expect(parse({ nonce: 'n-1', login_hint: 'ada', max_age: '300' })).toEqual({
      clientId: 'client-1',
      redirectUri: 'https://rp.example.com/cb',
      responseMode: 'query',
      state: 'xyz',
      scope: ['openid', 'profile'],
      nonce: 'n-1',
      codeChallenge: CHALLENGE,
      prompt: [],
      maxAge: 300,
      acrValues: [],
      loginHint: 'ada',
    });
  });

  it.each([
    [{ response_type: undefined }, 'invalid_request'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ response_type: 'code id_token' }, 'unsupported_response_type'],
    [{ scope: undefined }, 'invalid_scope'],
    [{ scope: 'profile' }, 'invalid_scope'],
    [{ scope: 'openid offline_everything' }, 'invalid_scope'],
    [{ code_challenge: undefined }, 'invalid_request'],
    [{ code_challenge_method: undefined }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: 'too-short' }, 'invalid_request'],
    [{ prompt: 'none login' }, 'invalid_request'],
    [{ prompt: 'bogus' }, 'invalid_request'],
    [{ max_age: '-1' }, 'invalid_request'],
    [{ max_age: 'soon' }, 'invalid_request'],
    [{ acr_values: 'AAL9_MAGIC' }, 'invalid_request'],
    [{ claims: '{not json' }, 'invalid_request'],
    [{ claims: '{"id_token":{"acr":{"values":["NOPE"]}}}' }, 'invalid_request'],
    [{ response_mode: 'fragment' }, 'invalid_request'],
    [{ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    // RFC 9126 §4: /authorize resolves request_uri before validation; one left here came with other parameters.
    [{ request_uri: 'urn:ietf:params:oauth:request_uri:abc' }, 'invalid_request'],
    [{ state: 'x'.repeat(3000) }, 'invalid_request'],
  ])('refuses %j with %s', (params, error) => {
    expect(errorOf(() => parse(params)).error).toBe(error);
  });

  it('refuses a repeated parameter (RFC 6749 §3.1)', () => {
    const query = new URLSearchParams({ ...BASE });
    query.append('scope', 'openid');
    expect(errorOf(() => parse(query.toString())).error).toBe('invalid_request');
  });

  it('refuses a client not registered for the code grant (unauthorized_client)', () => {
    const c = client({ grant_types: ['client_credentials'], response_types: [] });
    expect(errorOf(() => parse({}, c)).error).toBe('unauthorized_client');
  });

  it('allows a client registered without scope openid alone (CONTRACT §3, RFC 6749 §3.3)', () => {
    const c: Client = { ...client(), metadata: clientMetadataSchema.parse({ redirect_uris: ['https://rp.example.com/cb'] }) };
    expect(parse({ scope: 'openid' }, c).scope).toEqual(['openid']);
    expect(errorOf(() => parse({ scope: 'openid profile' }, c)).error).toBe('invalid_scope');
  });

  it("limits scope to the client's registered scope, openid always allowed", () => {
    const c = client({ scope: 'profile email' });
    expect(parse({ scope: 'openid email' }, c).scope).toEqual(['openid', 'email']);
    expect(errorOf(() => parse({ scope: 'openid nhsperson' }, c)).error).toBe('invalid_scope');
  });

  it('keeps acr_values in order; an acr in the claims parameter comes first (OIDC Core §5.5.1.1)', () => {
    expect(parse({ acr_values: 'AAL3_ANY AAL2_OR_AAL3_ANY' }).acrValues).toEqual(['AAL3_ANY', 'AAL2_OR_AAL3_ANY']);
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['AAL3_FIDO2'] } } });
    expect(parse({ acr_values: 'AAL2_ANY', claims }).acrValues).toEqual(['AAL3_FIDO2']);
    const one = JSON.stringify({ id_token: { acr: { essential: true, value: 'AAL2_FIDO2' }, email: null } });
    expect(parse({ claims: one }).acrValues).toEqual(['AAL2_FIDO2']);
  });

  it("falls back to the client's default_acr_values when the request names none", () => {
    const c = client({ default_acr_values: ['AAL2_OR_AAL3_ANY'] });
    expect(parse({}, c).acrValues).toEqual(['AAL2_OR_AAL3_ANY']);
    expect(parse({ acr_values: 'AAL3_ANY' }, c).acrValues).toEqual(['AAL3_ANY']);
  });

  it('accepts form_post, consent and select_account; treats an empty state as none', () => {
    const r = parse({ response_mode: 'form_post', prompt: 'consent select_account', state: '' });
    expect(r).toMatchObject({ responseMode: 'form_post', prompt: ['consent', 'select_account'], state: undefined });
  });
});
