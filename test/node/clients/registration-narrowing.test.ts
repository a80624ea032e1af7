import { describe, expect, it } from 'vitest';
import { validateClientMetadata, type ClientMetadata } from '../../../src/clients/client-metadata.ts';
import { wideningChange } from '../../../src/clients/registration-narrowing.ts';

const ISSUER = 'https://id.example.nhs.uk';
const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

const registered = {
  redirect_uris: ['https://rp.example.com/a', 'https://rp.example.com/b'],
  post_logout_redirect_uris: ['https://rp.example.com/bye'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'private_key_jwt',
  jwks_uri: 'https://rp.example.com/jwks.json',
  scope: 'openid profile email',
  backchannel_logout_uri: 'https://rp.example.com/backchannel',
  default_acr_values: ['AAL3_ANY', 'AAL2_OR_AAL3_ANY'],
};

const metadata = (input: Record<string, unknown>): ClientMetadata => validateClientMetadata(input, { issuer: ISSUER });
const current = metadata(registered);
const change = (changes: Record<string, unknown>) => wideningChange(current, metadata({ ...registered, ...changes }));

describe('wideningChange: the registration access token keeps or narrows what the operator vetted (CONTRACT §3, RFC 7592 §2.2)', () => {
  it('accepts the registration as it is, and every narrowing', () => {
    expect(change({})).toBeNull();
    expect(change({ scope: 'openid email' })).toBeNull();
    expect(change({ scope: undefined })).toBeNull();
    expect(change({ redirect_uris: ['https://rp.example.com/b'] })).toBeNull();
    expect(change({ post_logout_redirect_uris: [] })).toBeNull();
    expect(change({ grant_types: ['authorization_code'] })).toBeNull();
    expect(change({ backchannel_logout_uri: undefined })).toBeNull();
    expect(change({ default_acr_values: ['AAL3_ANY'] })).toBeNull();
    expect(change({ client_name: 'Renamed', id_token_signed_response_alg: 'ES256' })).toBeNull();
  });

  it.each([
    ['a scope', { scope: 'openid profile email nationalrbacaccess' }, /^scope/],
    ['a redirect URI on another host', { redirect_uris: ['https://rp.example.com/a', 'https://evil.example/cb'] }, /^redirect_uris/],
    ['a post-logout redirect URI', { post_logout_redirect_uris: ['https://rp.example.com/other'] }, /^post_logout_redirect_uris/],
    ['a grant type', { grant_types: ['authorization_code', 'refresh_token', 'client_credentials'] }, /^grant_types/],
    ['another authentication method', { token_endpoint_auth_method: 'client_secret_basic', jwks_uri: undefined }, /^token_endpoint_auth_method/],
    ['another jwks_uri', { jwks_uri: 'https://keys.example.org/jwks.json' }, /^jwks_uri/],
    ['inline keys instead of the vetted jwks_uri', { jwks_uri: undefined, jwks: { keys: [EC_PUBLIC] } }, /^jwks_uri/],
    ['another back-channel logout URI', { backchannel_logout_uri: 'https://collector.example.org/logout' }, /^backchannel_logout_uri/],
    ['a weaker default acr', { default_acr_values: ['AAL3_ANY', 'AAL1_USERPASS'] }, /^default_acr_values/],
    ['no default acr at all', { default_acr_values: undefined }, /^default_acr_values/],
    ['require_pkce turned off (CONTRACT §6)', { require_pkce: false }, /^require_pkce/],
    ['a served resource (RFC 7662 §4)', { served_resources: ['https://api.example.com/'] }, /^served_resources/],
  ])('refuses %s', (_, changes, why) => {
    expect(change(changes)).toMatch(why);
  });

  it('lets a client turn a stricter flag on but never off', () => {
    const strict = { ...current, require_pushed_authorization_requests: true, dpop_bound_access_tokens: true };
    expect(wideningChange(current, strict)).toBeNull();
    expect(wideningChange(strict, { ...strict, dpop_bound_access_tokens: false })).toMatch(/^dpop_bound_access_tokens/);
    expect(wideningChange(strict, { ...strict, require_pushed_authorization_requests: false })).toMatch(/^require_pushed_authorization_requests/);
    expect(wideningChange({ ...strict, fapi2_profile: true }, { ...strict, fapi2_profile: undefined })).toMatch(/^fapi2_profile/);
  });

  it('lets a client narrow its allowed resources but never drop the list, which would allow any (RFC 8707 §2)', () => {
    const listed = metadata({ ...registered, allowed_resources: ['https://a.example/', 'https://b.example/'] });
    expect(wideningChange(listed, metadata({ ...registered, allowed_resources: ['https://a.example/'] }))).toBeNull();
    expect(wideningChange(listed, metadata({ ...registered, allowed_resources: ['https://c.example/'] }))).toMatch(/^allowed_resources/);
    expect(wideningChange(listed, metadata(registered))).toMatch(/^allowed_resources/);
    expect(wideningChange(current, listed)).toBeNull();
  });

  it('lets a client with no default acr set one', () => {
    const none = metadata({ ...registered, default_acr_values: undefined });
    expect(wideningChange(none, metadata({ ...registered, default_acr_values: ['AAL2_ANY'] }))).toBeNull();
  });

  it('treats a client registered without scope as holding openid alone', () => {
    const openidOnly = metadata({ ...registered, scope: undefined });
    expect(wideningChange(openidOnly, metadata({ ...registered, scope: 'openid' }))).toBeNull();
    expect(wideningChange(openidOnly, metadata({ ...registered, scope: 'openid profile' }))).toMatch(/^scope/);
  });
});
