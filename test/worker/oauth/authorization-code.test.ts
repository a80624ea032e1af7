import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { createUser } from '../../support/worker/scim.ts';
import { grantStoreAt, introspect, issueTestCode, redeemCode, testPorts } from '../../support/worker/tokens.ts';
import { expectError } from '../../support/expect-error.ts';

describe('POST /token grant_type=authorization_code (RFC 6749 §4.1.3)', () => {
  it('redeems a code for an access token, ID token and refresh token, uncached (§5.1)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person, scope: ['openid', 'profile'], nonce: 'n-1' });
    const res = await redeemCode(client, code);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'openid profile' });
    // The refresh token routes to the object of the session the grant was made in.
    expect(body.refresh_token).toMatch(new RegExp(`^${code.sessionId}\\.[A-Za-z0-9_-]{43}$`));
    expect(decodeProtectedHeader(body.access_token as string)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(decodeJwt(body.id_token as string)).toMatchObject({ nonce: 'n-1', aud: client.client_id });
  });

  it('issues no refresh token to a client that did not register the refresh_token grant', async () => {
    const [client, person] = await Promise.all([registerWebClient({ grant_types: ['authorization_code'] }), createUser()]);
    const res = await redeemCode(client, await issueTestCode({ client, person }));
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty('refresh_token');
  });

  it('issues no ID token without the openid scope', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const res = await redeemCode(client, await issueTestCode({ client, person, scope: ['profile'] }));
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty('id_token');
  });

  it('refuses a reused code and revokes the tokens of the first redemption (RFC 6749 §4.1.2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const first = (await (await redeemCode(client, code)).json()) as Record<string, string>;
    expect(await introspect(client, first.access_token!)).toMatchObject({ active: true });
    await expectError(await redeemCode(client, code), 400, 'invalid_grant');
    expect(await introspect(client, first.access_token!)).toEqual({ active: false });
    expect(await introspect(client, first.refresh_token!)).toEqual({ active: false });
  });

  it.each([
    ['a wrong code_verifier', { code_verifier: 'x'.repeat(43) }],
    ['a different redirect_uri', { redirect_uri: 'https://rp.example.com/other' }],
    ['a forged secret for a real grant', null],
    ['a code that is not a handle', { code: 'not-a-code' }],
  ])('refuses %s with invalid_grant and leaves the code usable', async (_, overrides) => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const forged = { code: `${code.sessionId}.${'A'.repeat(43)}` };
    await expectError(await redeemCode(client, code, overrides ?? forged), 400, 'invalid_grant');
    expect((await redeemCode(client, code)).status).toBe(200);
  });

  it('refuses a code issued to another client (RFC 6749 §4.1.3)', async () => {
    const [client, other, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    await expectError(await redeemCode(other, code), 400, 'invalid_grant');
    expect((await redeemCode(client, code)).status).toBe(200);
  });

  it('refuses an expired code (CODE_TTL)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person, store: grantStoreAt(() => Date.now() - 61_000) });
    await expectError(await redeemCode(client, code), 400, 'invalid_grant');
  });

  it.each([
    ['code', { code: '' }],
    ['redirect_uri', { redirect_uri: '' }],
    ['code_verifier', { code_verifier: '' }],
  ])('answers a missing %s with invalid_request (RFC 6749 §5.2)', async (_, overrides) => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    await expectError(await redeemCode(client, await issueTestCode({ client, person }), overrides), 400, 'invalid_request');
  });

  it('answers a malformed code_verifier with invalid_request (RFC 7636 §4.1)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    await expectError(await redeemCode(client, await issueTestCode({ client, person }), { code_verifier: 'short' }), 400, 'invalid_request');
  });

  it('revokes the grant and refuses the code when the person was deactivated (CONTRACT §4)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser({ active: false })]);
    const code = await issueTestCode({ client, person });
    await expectError(await redeemCode(client, code), 400, 'invalid_grant');
    expect(await testPorts().grants.findGrant(code.grantId)).toBeNull();
  });
});
