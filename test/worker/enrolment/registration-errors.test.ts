// Contract §5 and §9: every way a registration can fail answers a 4xx with an
// error code, and leaves no credential behind.
import { describe, expect, it } from 'vitest';
import { createInvitation } from '../../../src/directory/credentials/invitations.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, invite, postJson, registrationOptions, storedCredentialsOf } from '../../support/webauthn/enrolment.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { call } from '../../support/worker/requests.ts';
import { auditEventsFor, createUser, patchUser } from '../../support/worker/scim.ts';
import { expectError } from '../../support/expect-error.ts';

/** A person with a fresh invitation and creation options already fetched. */
async function ceremony() {
  const person = await createUser();
  const { code } = await invite(person.id);
  const options = await registrationOptions(code);
  return { person, code, options, authenticator: new SoftwareAuthenticator() };
}

const verify = (code: string, response: unknown) => postJson('/webauthn/registration/verify', { code, response });

describe('the invitation code is one-time (contract §5)', () => {
  it('refuses a second verify with the same code, and options after it, as invalid_code', async () => {
    const { person, code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential(options, { origin: ORIGIN });
    expect((await verify(code, response)).status).toBe(200);
    await expectError(await verify(code, response), 400, 'invalid_code');
    await expectError(await postJson('/webauthn/registration/options', { code }), 400, 'invalid_code');
    expect(await storedCredentialsOf(person.id)).toHaveLength(1);
  });

  it('refuses an expired invitation as expired_code and audits the attempt', async () => {
    const person = await createUser();
    const past = Date.now() - 2 * 24 * 3600 * 1000;
    const { code } = await createInvitation(testDatabase(), { personId: person.id, ttlSeconds: 60, createdBy: 'test', now: past });
    await expectError(await postJson('/webauthn/registration/options', { code }), 400, 'expired_code');
    const other = await ceremony();
    const response = await other.authenticator.createCredential(other.options, { origin: ORIGIN });
    await expectError(await verify(code, response), 400, 'expired_code');
    const events = (await auditEventsFor(person.id)).filter((e) => e.action === 'credential.register');
    expect(events).toMatchObject([
      { outcome: 'failure', details: { reason: 'expired' } },
      { outcome: 'failure', details: { reason: 'expired' } },
    ]);
    expect(await storedCredentialsOf(person.id)).toEqual([]);
  });

  it('refuses an unknown code as invalid_code', async () => {
    await expectError(await postJson('/webauthn/registration/options', { code: 'A'.repeat(43) }), 400, 'invalid_code');
    await expectError(await postJson('/webauthn/registration/options', { code: 'not a code' }), 400, 'invalid_code');
  });

  it('refuses the invitation of a person deactivated since it was sent', async () => {
    const { person, code, options, authenticator } = await ceremony();
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    const response = await authenticator.createCredential(options, { origin: ORIGIN });
    await expectError(await verify(code, response), 400, 'invalid_code');
    expect(await storedCredentialsOf(person.id)).toEqual([]);
  });
});

describe('the challenge is single-use and bound to the ceremony (WebAuthn §13.4.3)', () => {
  it('refuses a verify with no options asked first as invalid_challenge', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const other = await ceremony();
    const response = await other.authenticator.createCredential(other.options, { origin: ORIGIN });
    await expectError(await verify(code, response), 400, 'invalid_challenge');
  });

  it('uses the challenge up on a failed attempt: a good response to it is then refused', async () => {
    const { person, code, options, authenticator } = await ceremony();
    const wrongOrigin = await authenticator.createCredential(options, { origin: 'https://evil.example' });
    await expectError(await verify(code, wrongOrigin), 400, 'registration_failed');
    const good = await new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN });
    await expectError(await verify(code, good), 400, 'invalid_challenge');
    expect(await storedCredentialsOf(person.id)).toEqual([]);
    // The code itself is still good: the person can start again.
    expect((await postJson('/webauthn/registration/options', { code })).status).toBe(200);
  });

  it('refuses a registration response replayed against a new ceremony', async () => {
    const first = await ceremony();
    const response = await first.authenticator.createCredential(first.options, { origin: ORIGIN });
    expect((await verify(first.code, response)).status).toBe(200);
    const { code } = await invite(first.person.id);
    await registrationOptions(code);
    await expectError(await verify(code, response), 400, 'registration_failed');
    expect(await storedCredentialsOf(first.person.id)).toHaveLength(1);
  });
});

describe('what the authenticator must prove (WebAuthn §7.1)', () => {
  it('refuses a response made for another origin, and audits why', async () => {
    const { person, code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential(options, { origin: 'http://localhost:9999' });
    const res = await verify(code, response);
    await expectError(res, 400, 'registration_failed');
    const events = (await auditEventsFor(person.id)).filter((e) => e.action === 'credential.register');
    expect(events).toMatchObject([{ outcome: 'failure', details: { reason: 'origin' } }]);
  });

  it('refuses a response without user verification (UV flag)', async () => {
    const { person, code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential(options, { origin: ORIGIN, userVerified: false });
    const res = await verify(code, response);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'registration_failed', error_description: expect.stringMatching(/user verification/) });
    expect(await storedCredentialsOf(person.id)).toEqual([]);
  });

  it('refuses a credential the client reports as not discoverable (credProps.rk false)', async () => {
    const { person, code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential(options, { origin: ORIGIN, residentKey: false });
    await expectError(await verify(code, response), 400, 'registration_failed');
    expect(await storedCredentialsOf(person.id)).toEqual([]);
  });

  it('refuses a response for another RP ID', async () => {
    const { code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential({ ...options, rp: { ...options.rp, id: 'evil.example' } }, { origin: ORIGIN });
    await expectError(await verify(code, response), 400, 'registration_failed');
  });

  it('refuses an attestation object that is not CBOR, without a 500', async () => {
    const { code, options, authenticator } = await ceremony();
    const response = await authenticator.createCredential(options, { origin: ORIGIN });
    response.response.attestationObject = 'AAAA';
    await expectError(await verify(code, response), 400, 'registration_failed');
  });
});

describe('the JSON boundary (contract §9)', () => {
  it('refuses malformed JSON as invalid_request', async () => {
    await expectError(await postJson('/webauthn/registration/options', '{"code":'), 400, 'invalid_request');
  });

  it('refuses a body of the wrong shape as invalid_request', async () => {
    const { code } = await ceremony();
    await expectError(await postJson('/webauthn/registration/options', { kode: code }), 400, 'invalid_request');
    await expectError(await verify(code, { id: 'x', rawId: 'x', type: 'public-key' }), 400, 'invalid_request');
    await expectError(await verify(code, 'not an object'), 400, 'invalid_request');
  });

  it('refuses another content type with 415', async () => {
    const res = await call('/webauthn/registration/options', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN },
      body: JSON.stringify({ code: 'x' }),
    });
    await expectError(res, 415, 'invalid_request');
  });

  it('refuses a cross-origin post with 403 before any work', async () => {
    const { code } = await ceremony();
    const res = await postJson('/webauthn/registration/options', { code }, { origin: 'https://evil.example' });
    await expectError(res, 403, 'invalid_request');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await postJson('/webauthn/registration/verify', { code: 'x', pad: 'x'.repeat(1024 * 1024 + 1) });
    await expectError(res, 413, 'invalid_request');
  });

  it('refuses other methods with 405 and Allow', async () => {
    for (const path of ['/webauthn/registration/options', '/webauthn/registration/verify']) {
      const res = await call(path);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });
});
