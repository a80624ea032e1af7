import { describe, expect, it } from 'vitest';
import { call, issuer } from '../support/worker/requests.ts';

const OIDC = '/.well-known/openid-configuration';
const RFC8414 = '/.well-known/oauth-authorization-server';

// CONTRACT §2: every endpoint it names, each advertised once built (all of them are now).
const CONTRACT_ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'registration_endpoint',
  'introspection_endpoint',
  'revocation_endpoint',
  'end_session_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
];

describe('GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4)', () => {
  it('names the issuer exactly as configured and the JWKS and registration endpoints under it (§3, §4.3)', async () => {
    const res = await call(OIDC);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(issuer);
    expect(doc.jwks_uri).toBe(`${issuer}/jwks.json`);
    expect(doc.registration_endpoint).toBe(`${issuer}/register`);
  });

  it('advertises the supported values CONTRACT §2 and §8 promise', async () => {
    const doc = (await (await call(OIDC)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      acr_values_supported: ['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL3_FIDO2', 'AAL2_FIDO2', 'AAL2_TOTP'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'nhsperson', 'selectedrole']));
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'acr', 'amr', 'sid', 'uid', 'nhsid_useruid', 'nhsid_nrbac_roles', 'selected_roleid']),
    );
  });

  it('advertises every endpoint the contract names, each under the issuer (CONTRACT §2)', async () => {
    const doc = (await (await call(OIDC)).json()) as Record<string, unknown>;
    for (const name of CONTRACT_ENDPOINTS) expect(doc, name).toHaveProperty(name);
    for (const [name, value] of Object.entries(doc)) {
      if (name.endsWith('_endpoint') || name.endsWith('_uri')) expect(value, name).toMatch(new RegExp(`^${issuer}/`));
    }
  });

  it('advertises the device authorization endpoint and the device_code grant, now built (RFC 8628 §4)', async () => {
    const doc = (await (await call(OIDC)).json()) as Record<string, unknown>;
    expect(doc.device_authorization_endpoint).toBe(`${issuer}/device_authorization`);
    expect(doc.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
  });

  it('lets clients and proxies cache it briefly', async () => {
    const res = await call(OIDC);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves the same document at /.well-known/oauth-authorization-server (RFC 8414 §3)', async () => {
    const [a, b] = await Promise.all([call(OIDC), call(RFC8414)]);
    expect(b.status).toBe(200);
    expect(b.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await b.json()).toEqual(await a.json());
  });

  it.each([OIDC, RFC8414])('refuses POST to %s with 405 and Allow: GET, HEAD (CONTRACT §9)', async (path) => {
    const res = await call(path, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });
});
