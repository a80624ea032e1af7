// One AES-256-GCM envelope (src/keys/sealing.ts) for signing keys, TOTP secrets
// and client_secret_jwt secrets. The vectors below were sealed by the three
// separate helpers this module replaced: values already in storage must open.
import { describe, expect, it } from 'vitest';
import { openClientSecret, sealClientSecret } from '../../../src/clients/client-secret-sealing.ts';
import { decryptPrivateJwk } from '../../../src/keys/key-encryption.ts';
import { open, seal } from '../../../src/keys/sealing.ts';
import { base64url } from '../../../src/secrets.ts';
import { openTotpSecret, setupFormToken, setupSecret } from '../../../src/totp/totp-keys.ts';

// 32 bytes 0x00..0x1f, base64url.
const SECRET = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

describe('sealed values stored before the envelopes were merged', () => {
  it('opens a client_secret_jwt secret, bound to its client_id', async () => {
    const sealed = 'v1.PFYtOYoK9cS4Dy8C.qd0PcVHJdCZERIPEWOHgNEapBCtdKd2UqCohTRMihQ';
    expect(await openClientSecret(SECRET, 'client-1', sealed)).toBe('a client secret');
    await expect(openClientSecret(SECRET, 'client-2', sealed)).rejects.toThrow();
  });

  it('opens a TOTP secret, bound to its person', async () => {
    const sealed = 'v1.2prAebwJfr7Xj9HF.5fEjlwe9MLaEzDUffxzLcYmWQRwbf8eFUa1thdp7Mo4dxN_K';
    expect([...(await openTotpSecret(SECRET, 'person-1', sealed))]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expect(openTotpSecret(SECRET, 'person-2', sealed)).rejects.toThrow();
  });

  it('opens a signing key, bound to its kid', async () => {
    const sealed = 'v1.h-ztcG-HTssl1rK5.prjapHYkdiqMTPEtqYrfwPVMJYMiyoEzN0HgeZXbXSxmiAba10nqlqbG0LA';
    expect(await decryptPrivateJwk(SECRET, 'kid-1', sealed)).toEqual({ kty: 'oct', k: 'c2VjcmV0' });
    await expect(decryptPrivateJwk(SECRET, 'kid-2', sealed)).rejects.toThrow();
  });

  it('derives the same authenticator-app setup secret and form token as before', async () => {
    expect(base64url(await setupSecret(SECRET, 'inv-1'))).toBe('n5MpO-8ztXOjUsppyYz_F28LkiY');
    expect(await setupFormToken(SECRET, 'inv-1')).toBe('5NYXNpZ5T6l4uRy9ayJbh8BDZCdOO4m2NdQ81PPA2p8');
  });
});

describe('the envelope', () => {
  it('keeps purposes apart: a value sealed for one info does not open under another', async () => {
    const sealed = await seal(SECRET, 'purpose-a', 'row-1', new TextEncoder().encode('x'));
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(new TextDecoder().decode((await open(SECRET, 'purpose-a', 'row-1', sealed))!)).toBe('x');
    expect(await open(SECRET, 'purpose-b', 'row-1', sealed)).toBeNull();
  });

  it('opens nothing that is not a v1 envelope', async () => {
    for (const bad of ['', 'v1', 'v1.a', 'v2.AAAA.AAAA', 'v1.AAAA.AAAA.AAAA', 'v1.!!!!.AAAA']) {
      expect(await open(SECRET, 'purpose-a', 'row-1', bad)).toBeNull();
    }
  });

  it('seals a client secret that opens again, with a fresh IV each time', async () => {
    const a = await sealClientSecret(SECRET, 'client-1', 's');
    const b = await sealClientSecret(SECRET, 'client-1', 's');
    expect(a).not.toBe(b);
    expect(await openClientSecret(SECRET, 'client-1', a)).toBe('s');
  });
});
