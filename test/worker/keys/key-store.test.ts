import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { KeyDecryptionError } from '../../../src/keys/key-encryption.ts';
import type { SigningAlg } from '../../../src/ports.ts';
import { randomToken } from '../../../src/secrets.ts';
import type { Env } from '../../../workers/env.ts';
import { createKeyStore, keysObject } from '../../../workers/key-store.ts';
import type { KeysObject } from '../../../workers/keys-object.ts';

const workerEnv = env as unknown as Env;
const config = readConfig(workerEnv);

/** The real namespace, counting the RPC calls that reach the keys object. */
function countingNamespace() {
  const calls: string[] = [];
  const real = keysObject(workerEnv.KEYS);
  const stub = {
    currentKey: (alg: SigningAlg) => (calls.push(`currentKey:${alg}`), real.currentKey(alg)),
    publicKeys: () => (calls.push('publicKeys'), real.publicKeys()),
    rotate: (ttl: number) => (calls.push('rotate'), real.rotate(ttl)),
  };
  const ns = { idFromName: (name: string) => workerEnv.KEYS.idFromName(name), get: () => stub };
  return { ns: ns as unknown as DurableObjectNamespace<KeysObject>, calls };
}

describe('the key store in the Worker isolate', () => {
  it('serves a cached signing key and JWKS without a Durable Object round trip', async () => {
    const { ns, calls } = countingNamespace();
    const store = createKeyStore(ns, config);
    const [a, b] = await Promise.all([store.signingKey('ES256'), store.signingKey('ES256')]);
    const c = await store.signingKey('ES256');
    await store.jwks();
    await store.jwks();
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(calls).toEqual(['currentKey:ES256', 'publicKeys']);
  });

  it('asks the keys object again once the cache has expired', async () => {
    const { ns, calls } = countingNamespace();
    let now = 1_000_000;
    const store = createKeyStore(ns, config, { cacheTtlMs: 60_000, now: () => now });
    await store.signingKey('RS256');
    now += 59_999;
    await store.signingKey('RS256');
    now += 1;
    await store.signingKey('RS256');
    expect(calls).toEqual(['currentKey:RS256', 'currentKey:RS256']);
  });

  it('imports the decrypted private key as non-extractable', async () => {
    const key = await createKeyStore(workerEnv.KEYS, config).signingKey('ES256');
    expect(key.alg).toBe('ES256');
    expect(key.privateKey.extractable).toBe(false);
    expect(key.privateKey.type).toBe('private');
  });

  it('cannot use the stored keys under another KEY_ENCRYPTION_SECRET, and does not cache the failure', async () => {
    const { ns, calls } = countingNamespace();
    const store = createKeyStore(ns, { ...config, keyEncryptionSecret: randomToken(32) });
    await expect(store.signingKey('ES256')).rejects.toBeInstanceOf(KeyDecryptionError);
    await expect(store.signingKey('ES256')).rejects.toBeInstanceOf(KeyDecryptionError);
    expect(calls).toEqual(['currentKey:ES256', 'currentKey:ES256']);
  });

  it.each(['PS256', 'EdDSA'] as const)('creates %s keys on first request, publishes them and signs with them', async (alg) => {
    const store = createKeyStore(workerEnv.KEYS, config);
    const key = await store.signingKey(alg);
    const jwks = await store.jwks();
    const published = jwks.keys.filter((k) => k.alg === alg);
    expect(published.map((k) => k.kid)).toContain(key.kid);
    // A next key is published alongside, ready for the next rotation.
    expect(published.length).toBeGreaterThanOrEqual(2);
    const jwt = await new SignJWT({ sub: 'someone' }).setProtectedHeader({ alg, kid: key.kid }).sign(key.privateKey);
    await expect(jwtVerify(jwt, createLocalJWKSet(jwks))).resolves.toMatchObject({ protectedHeader: { alg, kid: key.kid } });
  });

  it('refuses an algorithm it does not sign with, before asking the keys object', async () => {
    const { ns, calls } = countingNamespace();
    const store = createKeyStore(ns, config);
    await expect(store.signingKey('HS256' as SigningAlg)).rejects.toThrow(/unsupported signing algorithm/);
    expect(calls).toEqual([]);
  });

  it('keeps private keys in the keys object only encrypted', async () => {
    await createKeyStore(workerEnv.KEYS, config).signingKey('RS256');
    const rows = await runInDurableObject(keysObject(workerEnv.KEYS), (_, state) =>
      state.storage.sql.exec<Record<string, string | number | null>>('SELECT * FROM signing_keys').toArray(),
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      // No column, of any row, holds a private JWK member in the clear.
      for (const value of Object.values(row)) expect(String(value)).not.toMatch(/"(d|p|q|dp|dq|qi)"\s*:/);
      expect(row.encrypted_private_jwk).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    }
  });
});
