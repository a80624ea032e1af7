import { describe, expect, it } from 'vitest';
import { EMPTY_APPLICATION_FORM, fieldOfError, readApplicationForm, registrationRequest, validateApplicationForm } from '../../../src/console/applications/application-form.ts';

const ISSUER = 'https://id.example.nhs.uk';

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) params.append(k, value);
  return readApplicationForm(params);
};

describe('the registration form as an RFC 7591 request', () => {
  it('reads redirect URIs one per line, every checked grant type, and PKCE as a yes/no choice', () => {
    const values = form({
      client_name: '  Ward rota ',
      redirect_uris: 'https://a.example/cb\r\n\r\n  https://a.example/two  \n',
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid   profile',
      require_pkce: 'no',
    });
    expect(registrationRequest(values)).toEqual({
      client_name: 'Ward rota',
      redirect_uris: ['https://a.example/cb', 'https://a.example/two'],
      post_logout_redirect_uris: [],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid profile',
      require_pkce: false,
    });
  });

  it('leaves out an empty key set URL and scope, so registration defaults apply (CONTRACT §3: openid alone)', () => {
    const result = validateApplicationForm({ ...EMPTY_APPLICATION_FORM, client_name: 'x', redirect_uris: 'https://a.example/cb', scope: '' }, ISSUER);
    expect(result).toMatchObject({ ok: true, metadata: { scope: 'openid', require_pkce: true } });
    expect(registrationRequest({ ...EMPTY_APPLICATION_FORM, jwks_uri: '' })).not.toHaveProperty('jwks_uri');
  });

  it('bounds what it keeps of each field before validation', () => {
    const values = form({ client_name: 'n'.repeat(1000), redirect_uris: 'u'.repeat(20_000), grant_types: Array(50).fill('authorization_code') });
    expect(values.client_name).toHaveLength(256);
    expect(values.redirect_uris).toHaveLength(8192);
    expect(values.grant_types).toHaveLength(10);
  });

  it.each([
    ['redirect_uris: the authorization_code grant needs at least one redirect URI', 'redirect_uris'],
    ['redirect_uris.0: must use https', 'redirect_uris'],
    ['grant_types: refresh_token needs authorization_code or device_code', 'grant_types'],
    ['token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri', 'token_endpoint_auth_method'],
    ['jwks_uri: must be https', 'jwks_uri'],
    ['require_pkce false is only for confidential clients', 'require_pkce'],
    ['scope: must be space-separated scope tokens (RFC 6749 §3.3)', 'scope'],
  ])('points the error %j at the %s field', (description, field) => {
    expect(fieldOfError(description)).toBe(field);
  });

  it('refuses what POST /register refuses, with the same description (RFC 7591 §3.2.2)', () => {
    const result = validateApplicationForm({ ...EMPTY_APPLICATION_FORM, client_name: 'x', token_endpoint_auth_method: 'none', redirect_uris: 'https://a.example/cb', require_pkce: 'no' }, ISSUER);
    expect(result).toEqual({ ok: false, errors: [{ text: 'require_pkce false is only for confidential clients', field: 'require_pkce' }] });
  });

  it('asks for a name before anything else', () => {
    expect(validateApplicationForm(EMPTY_APPLICATION_FORM, ISSUER)).toEqual({ ok: false, errors: [{ text: 'Enter a name for the application', field: 'client_name' }] });
  });
});
