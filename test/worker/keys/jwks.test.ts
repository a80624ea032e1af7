import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import type { Env } from '../../../workers/env.ts';
import { createKeyStore } from '../../../workers/key-store.ts';
import { call, issuer } from '../../support/worker/requests.ts';

const workerEnv = env as unknown as Env;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const KEY_TYPE: Record<string, string> = { RS256: 'RSA', PS256: 'RSA', ES256: 'EC', EdDSA: 'OKP' };

async function publishedJwks(): Promise<JSONWebKeySet> {
  const res = await call('/jwks.json');
  expect(res.status).toBe(200);
  return (await res.json()) as JSONWebKeySet;
}

describe('GET /jwks.json (RFC 7517 §5)', () => {
  it('publishes RS256 and ES256 keys, each with kid, alg and use "sig"', async () => {
    const { keys } = await publishedJwks();
    for (const alg of ['RS256', 'ES256']) expect(keys.filter((k) => k.alg === alg).length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(key).toMatchObject({ use: 'sig' });
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key.kty).toBe(KEY_TYPE[key.alg!]);
    }
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
  });

  it('publishes no private key member (RFC 7518 §6.2.2, §6.3.2)', async () => {
    const { keys } = await publishedJwks();
    for (const key of keys) for (const m of PRIVATE_MEMBERS) expect(key, `${key.kid}.${m}`).not.toHaveProperty(m);
  });

  it('lets clients cache it for less time than a next key is published before use', async () => {
    const res = await call('/jwks.json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('refuses POST with 405 and Allow: GET, HEAD (CONTRACT §9)', async () => {
    const res = await call('/jwks.json', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it.each(['ES256', 'RS256'] as const)('verifies a %s token signed with the current key against the published set (CONTRACT §7)', async (alg) => {
    const store = createKeyStore(workerEnv.KEYS, readConfig(workerEnv));
    const key = await store.signingKey(alg);
    const jwt = await new SignJWT({ sub: 'someone' })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(await publishedJwks()), { issuer });
    expect(payload.sub).toBe('someone');
    expect(protectedHeader).toMatchObject({ alg, kid: key.kid });
    expect(decodeProtectedHeader(jwt).kid).toBe(key.kid);
  });
});
