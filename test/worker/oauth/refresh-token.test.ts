import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { auditEventsFor, createUser } from '../../support/worker/scim.ts';
import { grantStoreAt, introspect, issueTestCode, refresh, signIn } from '../../support/worker/tokens.ts';
import { expectError } from '../../support/expect-error.ts';

type Tokens = { access_token: string; refresh_token: string; id_token?: string; scope: string };

describe('POST /token grant_type=refresh_token (RFC 6749 §6, RFC 9700 §4.14)', () => {
  it('rotates the refresh token on every use and issues a new access and ID token', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person, scope: ['openid', 'profile'], nonce: 'n' });
    const res = await refresh(client, first.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const second = (await res.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.refresh_token.startsWith(`${first.sessionId}.`)).toBe(true);
    expect(second.scope).toBe('openid profile');
    // OIDC Core §12.2: same sub and aud, original auth_time, no nonce.
    const [a, b] = [decodeJwt(first.id_token!), decodeJwt(second.id_token!)];
    expect(b).toMatchObject({ sub: a.sub, aud: a.aud, auth_time: a.auth_time, sid: a.sid });
    expect(b).not.toHaveProperty('nonce');
    expect(await introspect(client, second.access_token)).toMatchObject({ active: true });
    expect(await introspect(client, second.refresh_token)).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect(await introspect(client, first.refresh_token!)).toEqual({ active: false });
  });

  it('revokes the family, newer tokens included, when a spent refresh token is presented (RFC 9700 §4.14.2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person });
    const second = (await (await refresh(client, first.refresh_token!)).json()) as Tokens;
    const third = (await (await refresh(client, second.refresh_token)).json()) as Tokens;
    await expectError(await refresh(client, first.refresh_token!), 400, 'invalid_grant');
    for (const token of [third.access_token, third.refresh_token, second.access_token, first.access_token]) {
      expect(await introspect(client, token)).toEqual({ active: false });
    }
    await expectError(await refresh(client, third.refresh_token), 400, 'invalid_grant');
    const events = await auditEventsFor(person.id);
    expect(events.filter((e) => e.action === 'token.refresh_reuse')).toMatchObject([
      { outcome: 'failure', clientId: client.client_id, details: { grant_id: first.grantId, revoked: true } },
    ]);
    expect(JSON.stringify(events)).not.toContain(first.refresh_token!.split('.')[1]);
  });

  it('narrows the scope when asked, keeping the grant scope for the next refresh (RFC 6749 §6)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person, scope: ['openid', 'profile', 'email'] });
    const narrowed = (await (await refresh(client, first.refresh_token!, { scope: 'profile' })).json()) as Tokens;
    expect(narrowed.scope).toBe('profile');
    expect(narrowed).not.toHaveProperty('id_token');
    expect(decodeJwt(narrowed.access_token).scope).toBe('profile');
    const full = (await (await refresh(client, narrowed.refresh_token)).json()) as Tokens;
    expect(full.scope).toBe('openid profile email');
  });

  it('refuses a wider scope with invalid_scope and leaves the refresh token usable', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person, scope: ['openid', 'profile'] });
    await expectError(await refresh(client, first.refresh_token!, { scope: 'openid email' }), 400, 'invalid_scope');
    expect((await refresh(client, first.refresh_token!)).status).toBe(200);
  });

  it('refuses a refresh token presented by another client and leaves it usable (RFC 6749 §6)', async () => {
    const [client, other, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const first = await signIn(client, { person });
    await expectError(await refresh(other, first.refresh_token!), 400, 'invalid_grant');
    expect((await refresh(client, first.refresh_token!)).status).toBe(200);
  });

  it.each([
    ['an unknown handle', `${'a'.repeat(64)}.${'A'.repeat(43)}`],
    ['garbage', 'not-a-refresh-token'],
    ['a JWT', 'eyJhbGciOiJub25lIn0.e30.'],
  ])('refuses %s with invalid_grant', async (_, token) => {
    await expectError(await refresh(await registerWebClient(), token), 400, 'invalid_grant');
  });

  it('answers a missing refresh_token with invalid_request', async () => {
    await expectError(await refresh(await registerWebClient(), ''), 400, 'invalid_request');
  });

  it('refuses a refresh token once it has expired (SESSION_MAX_AGE bounds REFRESH_TOKEN_TTL)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    // The grant's life ends 2 s from now; issuing it already expired would race its own clean-up alarm.
    const authTime = Math.floor(Date.now() / 1000) - 12 * 3600 + 2;
    const first = await signIn(client, { person, authentication: { authTime } });
    expect(first.refresh_token).toBeTruthy();
    await new Promise((r) => setTimeout(r, 3000));
    await expectError(await refresh(client, first.refresh_token!), 400, 'invalid_grant');
  });

  it('never extends a refresh token past SESSION_MAX_AGE from the authentication', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const authTime = Math.floor(Date.now() / 1000) - 11 * 3600;
    const first = await signIn(client, { person, authentication: { authTime } });
    const rotated = (await (await refresh(client, first.refresh_token!)).json()) as Tokens;
    const info = await introspect(client, rotated.refresh_token);
    expect(info.exp).toBe(authTime + 12 * 3600);
    // Access tokens never outlive the grant either.
    expect(decodeJwt(rotated.access_token).exp).toBeLessThanOrEqual(authTime + 12 * 3600);
  });
});
