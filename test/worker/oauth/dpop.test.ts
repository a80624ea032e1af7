// DPoP (RFC 9449) at the token, userinfo and introspection endpoints: tokens
// bound to the proof's key, proofs checked against the request, each proof
// used once, and the errors of §7.
import { decodeJwt, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopKey, dpopProof, unsignedProof, type DpopKey } from '../../support/dpop.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, postForm, redeemCode, refresh } from '../../support/worker/tokens.ts';

const TOKEN_URL = `${issuer}/token`;
const USERINFO_URL = `${issuer}/userinfo`;

const serviceClient = (metadata: Record<string, unknown> = {}) =>
  registerClient({ client_name: 'DPoP service', grant_types: ['client_credentials'], scope: 'pds:read', ...metadata }) as Promise<TestClient>;

const ccToken = (client: TestClient, proof?: string) =>
  postForm('/token', { grant_type: 'client_credentials' }, client, proof === undefined ? {} : { dpop: proof });

async function expectDpopError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(await res.json()).toMatchObject({ error, error_description: expect.any(String) });
}

async function boundCode(client: TestClient, key: DpopKey, extra: Record<string, unknown> = {}) {
  const person = await createUser();
  const code = await issueTestCode({ client, person, ...extra });
  const res = await redeemCode(client, code, {});
  return { person, code, res, key };
}

describe('DPoP proofs at the token endpoint (RFC 9449 §5)', () => {
  it('binds a client_credentials access token: token_type DPoP, cnf.jkt the key thumbprint; introspection reports cnf (RFC 9449 §6)', async () => {
    const client = await serviceClient();
    const key = await dpopKey();
    const res = await ccToken(client, await dpopProof(key, { htu: TOKEN_URL }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(await introspect(client, body.access_token)).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: key.jkt } });
  });

  it('binds the access token of the authorization code grant and, for a public client, the refresh token (RFC 9449 §5)', async () => {
    const client = await registerWebClient({ token_endpoint_auth_method: 'none' });
    const person = await createUser();
    const key = await dpopKey();
    const code = await issueTestCode({ client, person });
    const res = await postForm('/token', { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier }, client, {
      dpop: await dpopProof(key, { htu: TOKEN_URL }),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { access_token: string; refresh_token: string; token_type: string };
    expect(tokens.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
    // Another key cannot use the refresh token, and the token is not spent by the attempt.
    const other = await dpopKey();
    await expectDpopError(await refresh(client, tokens.refresh_token, {}), 400, 'invalid_grant');
    const stolen = await postForm('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, client, { dpop: await dpopProof(other, { htu: TOKEN_URL }) });
    await expectDpopError(stolen, 400, 'invalid_grant');
    const mine = await postForm('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, client, { dpop: await dpopProof(key, { htu: TOKEN_URL }) });
    expect(mine.status).toBe(200);
    expect(decodeJwt(((await mine.json()) as { access_token: string }).access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('redeems a code bound with dpop_jkt only with a proof by that key (RFC 9449 §10)', async () => {
    const client = await registerWebClient();
    const key = await dpopKey();
    const { code, res } = await boundCode(client, key, { dpopJkt: key.jkt });
    await expectDpopError(res, 400, 'invalid_grant');
    const other = await dpopKey();
    const wrong = await postForm('/token', { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier }, client, {
      dpop: await dpopProof(other, { htu: TOKEN_URL }),
    });
    await expectDpopError(wrong, 400, 'invalid_grant');
    const right = await postForm('/token', { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier }, client, {
      dpop: await dpopProof(key, { htu: TOKEN_URL }),
    });
    expect(right.status).toBe(200);
  });

  it('refuses a token request without a proof from a client registered with dpop_bound_access_tokens (RFC 9449 §5.2)', async () => {
    const client = await serviceClient({ dpop_bound_access_tokens: true });
    await expectDpopError(await ccToken(client), 400, 'invalid_dpop_proof');
    const key = await dpopKey();
    expect((await ccToken(client, await dpopProof(key, { htu: TOKEN_URL }))).status).toBe(200);
  });

  it('lets exactly one of two simultaneous requests with the same proof through (RFC 9449 §11.1)', async () => {
    const client = await serviceClient();
    const proof = await dpopProof(await dpopKey(), { htu: TOKEN_URL });
    const [a, b] = await Promise.all([ccToken(client, proof), ccToken(client, proof)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const loser = a.status === 400 ? a : b;
    expect(await loser.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it.each([
    ['a wrong htu', { htu: `${issuer}/other` }],
    ['a wrong htm', { htu: TOKEN_URL, htm: 'GET' }],
    ['a stale iat', { htu: TOKEN_URL, iat: Math.floor(Date.now() / 1000) - 600 }],
    ['an iat in the future', { htu: TOKEN_URL, iat: Math.floor(Date.now() / 1000) + 600 }],
    ['a wrong typ', { htu: TOKEN_URL, typ: 'JWT' }],
    ['no jti', { htu: TOKEN_URL, claims: { jti: undefined } }],
  ])('refuses a proof with %s: 400 invalid_dpop_proof (RFC 9449 §4.3)', async (_, options) => {
    const client = await serviceClient();
    await expectDpopError(await ccToken(client, await dpopProof(await dpopKey(), options)), 400, 'invalid_dpop_proof');
  });

  it('refuses alg none, a symmetric alg and a private key in the header (RFC 9449 §4.3 items 5-6)', async () => {
    const client = await serviceClient();
    const key = await dpopKey();
    await expectDpopError(await ccToken(client, unsignedProof(key, TOKEN_URL)), 400, 'invalid_dpop_proof');
    const secret = new TextEncoder().encode('a shared secret that is long enough for HS256!');
    const hs = await new SignJWT({ jti: 'x', htm: 'POST', htu: TOKEN_URL, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } as unknown as JWK })
      .sign(secret);
    await expectDpopError(await ccToken(client, hs), 400, 'invalid_dpop_proof');
    await expectDpopError(await ccToken(client, await dpopProof(key, { htu: TOKEN_URL, headerJwk: key.privateJwk })), 400, 'invalid_dpop_proof');
  });

  it('refuses two DPoP headers and a malformed one', async () => {
    const client = await serviceClient();
    const key = await dpopKey();
    const two = `${await dpopProof(key, { htu: TOKEN_URL })}, ${await dpopProof(key, { htu: TOKEN_URL })}`;
    await expectDpopError(await ccToken(client, two), 400, 'invalid_dpop_proof');
    await expectDpopError(await ccToken(client, 'not-a-jwt'), 400, 'invalid_dpop_proof');
  });
});

describe('DPoP-bound tokens at userinfo (RFC 9449 §7)', () => {
  async function boundPersonToken() {
    const client = await registerWebClient();
    const person = await createUser();
    const key = await dpopKey();
    const code = await issueTestCode({ client, person, scope: ['openid', 'profile'] });
    const res = await postForm('/token', { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier }, client, {
      dpop: await dpopProof(key, { htu: TOKEN_URL }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    return { client, key, token: access_token };
  }

  const userinfoWith = (token: string, proof: string | null, scheme = 'DPoP') =>
    call('/userinfo', { headers: { authorization: `${scheme} ${token}`, ...(proof ? { dpop: proof } : {}) } });

  it('answers the claims for the DPoP scheme with a proof carrying ath (RFC 9449 §7.1)', async () => {
    const { key, token } = await boundPersonToken();
    const res = await userinfoWith(token, await dpopProof(key, { htm: 'GET', htu: USERINFO_URL, accessToken: token }));
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('sub');
  });

  it('refuses the bound token as Bearer, with a DPoP challenge (RFC 9449 §7.2)', async () => {
    const { token } = await boundPersonToken();
    const res = await userinfoWith(token, null, 'Bearer');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });

  it.each([
    ['an ath for another token', (t: string) => ({ htm: 'GET', htu: USERINFO_URL, accessToken: `${t}x` })],
    ['no ath', () => ({ htm: 'GET', htu: USERINFO_URL })],
    ['a wrong htm', (t: string) => ({ htm: 'POST', htu: USERINFO_URL, accessToken: t })],
    ['a wrong htu', (t: string) => ({ htm: 'GET', htu: TOKEN_URL, accessToken: t })],
  ])('refuses a proof with %s: 401 invalid_dpop_proof with WWW-Authenticate: DPoP (RFC 9449 §7.1)', async (_, options) => {
    const { key, token } = await boundPersonToken();
    const res = await userinfoWith(token, await dpopProof(key, options(token)));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect(await res.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses a proof signed by another key than the token is bound to', async () => {
    const { token } = await boundPersonToken();
    const res = await userinfoWith(token, await dpopProof(await dpopKey(), { htm: 'GET', htu: USERINFO_URL, accessToken: token }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });
});

describe('discovery of DPoP (RFC 9449 §5.1)', () => {
  it('advertises dpop_signing_alg_values_supported with asymmetric algorithms only', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc.dpop_signing_alg_values_supported).toEqual(['ES256', 'PS256', 'RS256', 'EdDSA']);
  });
});
