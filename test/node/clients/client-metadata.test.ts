import { describe, expect, it } from 'vitest';
import { validateClientMetadata, type ClientMetadata } from '../../../src/clients/client-metadata.ts';
import { redirectUriProblem } from '../../../src/clients/redirect-uri.ts';
import { OAuthError } from '../../../src/errors.ts';

const issuer = 'https://id.example.nhs.uk';
const RSA_PUBLIC = { kty: 'RSA', kid: 'k1', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1Wl', e: 'AQAB' };
const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

const web = { redirect_uris: ['https://rp.example.com/callback'] };

function validate(input: unknown, context = { issuer }): ClientMetadata {
  return validateClientMetadata(input, context);
}

function errorOf(input: unknown, context = { issuer }): { error: string; status: number; description: string } {
  try {
    validate(input, context);
  } catch (err) {
    if (err instanceof OAuthError) return { error: err.error, status: err.status, description: err.description };
    throw err;
  }
  throw new Error('expected the metadata to be refused');
}

describe('validateClientMetadata: defaults (RFC 7591 §2, OIDC Registration §2)', () => {
  it('fills the defaults for a confidential web client; an absent scope is openid alone (CONTRACT §3)', () => {
    expect(validate(web)).toEqual({
      scope: 'openid',
      redirect_uris: ['https://rp.example.com/callback'],
      post_logout_redirect_uris: [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      backchannel_logout_session_required: false,
      dpop_bound_access_tokens: false,
      id_token_signed_response_alg: 'RS256',
      require_pushed_authorization_requests: false,
      require_pkce: true,
      served_resources: [],
    });
  });

  it('defaults response_types to none for a client_credentials client', () => {
    const m = validate({ grant_types: ['client_credentials'] });
    expect(m.response_types).toEqual([]);
    expect(m.redirect_uris).toEqual([]);
  });

  it('drops unknown fields and treats null as absent (RFC 7591 §2, RFC 7592 §2.2)', () => {
    const m = validate({ ...web, logo_uri: 'https://x', software_statement: 'eyJ', client_name: null }) as Record<string, unknown>;
    expect(m).not.toHaveProperty('logo_uri');
    expect(m).not.toHaveProperty('software_statement');
    expect(m).not.toHaveProperty('client_name');
  });

  it('keeps every understood field as given', () => {
    const input = {
      redirect_uris: ['https://rp.example.com/cb?x=1', 'com.example.app:/cb', 'http://127.0.0.1/cb'],
      post_logout_redirect_uris: ['https://rp.example.com/bye'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [RSA_PUBLIC, EC_PUBLIC] },
      scope: 'openid profile nationalrbacaccess',
      client_name: 'Clinical Portal',
      backchannel_logout_uri: 'https://rp.example.com/backchannel',
      backchannel_logout_session_required: true,
      dpop_bound_access_tokens: false,
      default_acr_values: ['AAL3_ANY', 'AAL2_FIDO2'],
      id_token_signed_response_alg: 'ES256',
      require_pushed_authorization_requests: false,
      require_pkce: false,
      allowed_resources: ['https://api.example.com/', 'urn:example:records'],
      served_resources: ['https://rp.example.com/api'],
    };
    expect(validate(input)).toEqual(input);
  });
});

describe('validateClientMetadata: redirect URIs (RFC 9700 §2.1, RFC 8252 §7, RFC 6749 §3.1.2)', () => {
  it.each([
    ['a relative URI', '/callback'],
    ['a fragment', 'https://rp.example.com/cb#frag'],
    ['an empty fragment', 'https://rp.example.com/cb#'],
    ['http off loopback', 'http://rp.example.com/cb'],
    ['http on a private address', 'http://192.168.0.2/cb'],
    ['a scheme without a dot', 'myapp:/cb'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['credentials in the URI', 'https://user:pw@rp.example.com/cb'],
  ])('refuses %s with invalid_redirect_uri', (_, uri) => {
    expect(errorOf({ redirect_uris: [uri] })).toMatchObject({ error: 'invalid_redirect_uri', status: 400 });
    expect(redirectUriProblem(uri)).not.toBeNull();
  });

  it('accepts https, http on 127.0.0.1, [::1] and localhost, and reverse-domain private-use schemes', () => {
    const uris = ['https://rp.example.com/cb', 'http://127.0.0.1:51000/cb', 'http://[::1]/cb', 'http://localhost:3000/cb', 'uk.nhs.app:/oauth'];
    expect(validate({ redirect_uris: uris }).redirect_uris).toEqual(uris);
  });

  it('stores the exact strings, not a normalised form', () => {
    const uri = 'https://RP.example.com:443/a/../cb';
    expect(validate({ redirect_uris: [uri] }).redirect_uris).toEqual([uri]);
  });

  it('requires a redirect URI for the authorization_code grant', () => {
    expect(errorOf({})).toMatchObject({ error: 'invalid_redirect_uri' });
    expect(errorOf({ redirect_uris: [] })).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it('applies the same rules to post_logout_redirect_uris, as client metadata', () => {
    expect(errorOf({ ...web, post_logout_redirect_uris: ['http://rp.example.com/bye'] })).toMatchObject({
      error: 'invalid_client_metadata',
    });
  });

  it('refuses a redirect_uris value that is not an array of strings', () => {
    expect(errorOf({ redirect_uris: 'https://rp.example.com/cb' })).toMatchObject({ error: 'invalid_redirect_uri' });
  });
});

describe('validateClientMetadata: grants, response types and authentication (RFC 7591 §2.1)', () => {
  it.each([
    ['response_types other than code', { ...web, response_types: ['token'] }],
    ['code without authorization_code', { grant_types: ['client_credentials'], response_types: ['code'] }],
    ['authorization_code without code', { ...web, response_types: [] }],
    ['an unknown grant type', { ...web, grant_types: ['authorization_code', 'password'] }],
    ['implicit', { ...web, grant_types: ['implicit'] }],
    ['empty grant_types', { ...web, grant_types: [] }],
    ['refresh_token with only client_credentials', { grant_types: ['client_credentials', 'refresh_token'] }],
    ['none with client_credentials', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }],
    ['an unknown auth method', { ...web, token_endpoint_auth_method: 'tls_client_auth' }],
    ['require_pkce false for a public client (RFC 9700 §2.1.1)', { ...web, token_endpoint_auth_method: 'none', require_pkce: false }],
    ['a relative resource (RFC 8707 §2)', { ...web, allowed_resources: ['/api'] }],
    ['a resource with a fragment (RFC 8707 §2)', { ...web, served_resources: ['https://api.example.com/#x'] }],
    ['private_key_jwt without keys', { ...web, token_endpoint_auth_method: 'private_key_jwt' }],
    ['jwks and jwks_uri together', { ...web, jwks: { keys: [EC_PUBLIC] }, jwks_uri: 'https://rp.example.com/jwks' }],
    ['an http jwks_uri', { ...web, jwks_uri: 'http://rp.example.com/jwks' }],
    ['a private jwks_uri', { ...web, jwks_uri: 'https://10.1.2.3/jwks' }],
    ['a private key in jwks', { ...web, jwks: { keys: [{ ...EC_PUBLIC, d: 'secret' }] } }],
    ['a symmetric key in jwks', { ...web, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }],
    ['an RSA key without n', { ...web, jwks: { keys: [{ kty: 'RSA', e: 'AQAB' }] } }],
    ['an empty key set', { ...web, jwks: { keys: [] } }],
    ['id_token_signed_response_alg none', { ...web, id_token_signed_response_alg: 'none' }],
    ['id_token_signed_response_alg HS256', { ...web, id_token_signed_response_alg: 'HS256' }],
    ['an unknown acr', { ...web, default_acr_values: ['urn:mace:incommon:iap:silver'] }],
    ['a malformed scope', { ...web, scope: 'openid  profile' }],
    ['a non-boolean flag', { ...web, dpop_bound_access_tokens: 'yes' }],
    ['an empty client_name', { ...web, client_name: '' }],
    ['a body that is not an object', ['https://rp.example.com/cb']],
  ])('refuses %s with invalid_client_metadata', (_, input) => {
    expect(errorOf(input)).toMatchObject({ error: 'invalid_client_metadata', status: 400 });
  });

  it('accepts a public client with authorization_code and refresh_token', () => {
    const m = validate({ ...web, grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none' });
    expect(m.token_endpoint_auth_method).toBe('none');
  });

  it('accepts private_key_jwt with a jwks_uri and a client_credentials client with client_secret_post', () => {
    expect(validate({ ...web, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example.com/jwks' }).jwks_uri).toBe(
      'https://rp.example.com/jwks',
    );
    expect(validate({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' }).grant_types).toEqual([
      'client_credentials',
    ]);
  });

  it('collapses repeated grant types', () => {
    expect(validate({ ...web, grant_types: ['authorization_code', 'authorization_code'] }).grant_types).toEqual(['authorization_code']);
  });
});

describe('validateClientMetadata: DPoP, PAR, the device and token-exchange grants, now enforced, are accepted (CONTRACT §3)', () => {
  it('accepts the device grant now that it is enforced (RFC 8628), for public clients too, without redirect URIs', () => {
    const device = 'urn:ietf:params:oauth:grant-type:device_code';
    expect(validate({ ...web, grant_types: ['authorization_code', device] }).grant_types).toContain(device);
    const kiosk = validate({ grant_types: [device, 'refresh_token'], token_endpoint_auth_method: 'none' });
    expect(kiosk).toMatchObject({ grant_types: [device, 'refresh_token'], token_endpoint_auth_method: 'none', response_types: [], redirect_uris: [] });
    // A public client still may not hold client_credentials.
    expect(errorOf({ grant_types: [device, 'client_credentials'], token_endpoint_auth_method: 'none' })).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('accepts dpop_bound_access_tokens true, enforced at the token endpoint (RFC 9449 §5.2)', () => {
    expect(validate({ ...web, dpop_bound_access_tokens: true })).toMatchObject({ dpop_bound_access_tokens: true });
  });

  it('accepts require_pushed_authorization_requests true, enforced at /authorize (RFC 9126 §6)', () => {
    expect(validate({ ...web, require_pushed_authorization_requests: true })).toMatchObject({ require_pushed_authorization_requests: true });
  });

  it('accepts the same flags set to false, which ask for nothing', () => {
    const m = validate({ ...web, dpop_bound_access_tokens: false, require_pushed_authorization_requests: false });
    expect(m).toMatchObject({ dpop_bound_access_tokens: false, require_pushed_authorization_requests: false });
  });
});

describe('validateClientMetadata: backchannel_logout_uri (CONTRACT §3)', () => {
  it('refuses http and private targets, and loopback unless the issuer is on loopback', () => {
    expect(errorOf({ ...web, backchannel_logout_uri: 'http://rp.example.com/bc' })).toMatchObject({ error: 'invalid_client_metadata' });
    expect(errorOf({ ...web, backchannel_logout_uri: 'https://192.168.1.1/bc' })).toMatchObject({ error: 'invalid_client_metadata' });
    expect(errorOf({ ...web, backchannel_logout_uri: 'http://localhost:3000/bc' })).toMatchObject({ error: 'invalid_client_metadata' });
    const local = { issuer: 'http://localhost:8787' };
    expect(validate({ ...web, backchannel_logout_uri: 'http://localhost:3000/bc' }, local).backchannel_logout_uri).toBe(
      'http://localhost:3000/bc',
    );
    expect(errorOf({ ...web, backchannel_logout_uri: 'https://10.0.0.1/bc' }, local)).toMatchObject({ error: 'invalid_client_metadata' });
  });
});
