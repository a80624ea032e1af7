import { describe, expect, it } from 'vitest';
import { decryptPrivateJwk, encryptPrivateJwk, KeyDecryptionError } from '../../../src/keys/key-encryption.ts';
import { randomToken } from '../../../src/secrets.ts';

const secret = randomToken(32);
const kid = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const privateJwk = { kty: 'EC', crv: 'P-256', x: 'x-coordinate', y: 'y-coordinate', d: 'private-scalar' };

/** Flips one bit of the n-th base64url character of a part of `v1.<iv>.<ciphertext>`. */
function tamper(sealed: string, part: 1 | 2): string {
  const parts = sealed.split('.');
  const text = parts[part]!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const i = alphabet.indexOf(text[0]!);
  parts[part] = alphabet[(i + 1) % 64]! + text.slice(1);
  return parts.join('.');
}

describe('private key encryption at rest (AES-256-GCM, HKDF-SHA256 key)', () => {
  it('round-trips a private JWK under the same secret and kid', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    expect(await decryptPrivateJwk(secret, kid, sealed)).toEqual(privateJwk);
  });

  it('stores no plaintext: the private member is not in the sealed text', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('private-scalar');
    expect(atobSafe(sealed.split('.')[2]!)).not.toContain('private-scalar');
  });

  it('uses a fresh IV per encryption, so equal keys never seal alike', async () => {
    const a = await encryptPrivateJwk(secret, kid, privateJwk);
    const b = await encryptPrivateJwk(secret, kid, privateJwk);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toBe(b);
  });

  it('refuses a tampered ciphertext (GCM authentication tag)', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    await expect(decryptPrivateJwk(secret, kid, tamper(sealed, 2))).rejects.toBeInstanceOf(KeyDecryptionError);
  });

  it('refuses a tampered IV', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    await expect(decryptPrivateJwk(secret, kid, tamper(sealed, 1))).rejects.toBeInstanceOf(KeyDecryptionError);
  });

  it('refuses a ciphertext moved onto another kid (kid is the additional data)', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    await expect(decryptPrivateJwk(secret, 'another-kid', sealed)).rejects.toBeInstanceOf(KeyDecryptionError);
  });

  it('refuses to decrypt under another KEY_ENCRYPTION_SECRET', async () => {
    const sealed = await encryptPrivateJwk(secret, kid, privateJwk);
    await expect(decryptPrivateJwk(randomToken(32), kid, sealed)).rejects.toBeInstanceOf(KeyDecryptionError);
  });

  it('refuses malformed sealed text without leaking a parser error', async () => {
    for (const bad of ['', 'v1', 'v1.abc', 'v2.AAAAAAAAAAAAAAAA.AAAA', 'v1.!!!.???', 'v1.a.b.c']) {
      await expect(decryptPrivateJwk(secret, kid, bad)).rejects.toBeInstanceOf(KeyDecryptionError);
    }
  });

  it('refuses a secret that is not 32 bytes', async () => {
    await expect(encryptPrivateJwk(randomToken(16), kid, privateJwk)).rejects.toThrow(/32 bytes/);
  });
});

function atobSafe(b64url: string): string {
  return Buffer.from(b64url, 'base64url').toString('latin1');
}
