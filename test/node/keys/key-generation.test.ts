import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  importSigningKey,
  isSigningAlg,
  publicMembers,
  SIGNING_ALGS,
} from '../../../src/keys/key-generation.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('signing key generation', () => {
  it.each(SIGNING_ALGS)('creates a %s key whose kid is its RFC 7638 thumbprint and whose public JWK holds nothing private', async (alg) => {
    const key = await generateSigningKey(alg);
    expect(key.alg).toBe(alg);
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const m of PRIVATE_MEMBERS) expect(key.publicJwk).not.toHaveProperty(m);
    expect(key.privateJwk).toHaveProperty('d');
  });

  it.each(SIGNING_ALGS)('imports a %s private key that signs, verifies with the public JWK, and cannot be exported', async (alg) => {
    const key = await generateSigningKey(alg);
    const privateKey = await importSigningKey(alg, key.privateJwk);
    expect(privateKey.extractable).toBe(false);
    await expect(exportJWK(privateKey)).rejects.toThrow(/non-extractable/);
    const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg, kid: key.kid }).sign(privateKey);
    const { protectedHeader } = await jwtVerify(jwt, { ...key.publicJwk, alg });
    expect(protectedHeader).toEqual({ alg, kid: key.kid });
  });

  it('uses the key types the algorithms name (RFC 7518 §3, RFC 8037 §3.1)', async () => {
    const types = await Promise.all(SIGNING_ALGS.map(async (alg) => {
      const { publicJwk } = await generateSigningKey(alg);
      return [alg, publicJwk.kty, publicJwk.crv ?? null];
    }));
    expect(types).toEqual([
      ['RS256', 'RSA', null],
      ['ES256', 'EC', 'P-256'],
      ['PS256', 'RSA', null],
      ['EdDSA', 'OKP', 'Ed25519'],
    ]);
  });

  it('gives each new key a new kid', async () => {
    const [a, b] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('ES256')]);
    expect(a.kid).not.toBe(b.kid);
  });

  it('keeps only the public members of a private JWK', () => {
    expect(publicMembers({ kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', d: 'D', ext: true, key_ops: ['sign'] })).toEqual({
      kty: 'EC', crv: 'P-256', x: 'X', y: 'Y',
    });
    expect(() => publicMembers({ kty: 'oct', k: 'secret' })).toThrow(/unsupported key type/);
  });

  it('accepts only the four signing algorithms', () => {
    expect(SIGNING_ALGS.every(isSigningAlg)).toBe(true);
    for (const bad of ['HS256', 'none', 'RS512', '', undefined, 1]) expect(isSigningAlg(bad)).toBe(false);
  });
});
