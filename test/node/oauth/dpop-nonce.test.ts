// Server nonces in DPoP proofs (RFC 9449 §8): with DPOP_NONCES on, a proof
// without the server's current nonce is answered use_dpop_nonce and a nonce
// to retry with; the nonce is accepted for one to two five-minute slots.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { verifyDpopProof } from '../../../src/oauth/dpop.ts';
import { OAuthError } from '../../../src/errors.ts';
import type { Ports } from '../../../src/ports.ts';
import { dpopKey, dpopProof } from '../../support/dpop.ts';
import { TEST_ADMIN_TOKEN, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const HTU = 'https://id.example.nhs.uk/token';

function ports(clock: { now: number }, nonces = 'true'): Ports {
  const config = readConfig({ ISSUER: 'https://id.example.nhs.uk', ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: 'http://127.0.0.1:8080', DPOP_NONCES: nonces });
  const used = new Set<string>();
  return {
    config,
    now: () => clock.now,
    replay: { firstUse: async (key: string) => !used.has(key) && Boolean(used.add(key)) },
  } as unknown as Ports;
}

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(OAuthError);
  return err as OAuthError;
}

describe('DPoP server nonces (RFC 9449 §8)', () => {
  it('answers use_dpop_nonce with a DPoP-Nonce header, then accepts a proof carrying that nonce', async () => {
    const clock = { now: Date.now() };
    const p = ports(clock);
    const key = await dpopKey();
    const iat = Math.floor(clock.now / 1000);
    const first = await refusal(verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU, iat })], method: 'POST', uri: HTU }, 'token_endpoint'));
    expect(first).toMatchObject({ error: 'use_dpop_nonce', status: 400 });
    const nonce = first.headers['DPoP-Nonce']!;
    expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU, iat, nonce })], method: 'POST', uri: HTU }, 'token_endpoint')).toBe(key.jkt);
  });

  it('refuses a made-up nonce and one from two slots ago, with a fresh nonce and a DPoP challenge at a resource (RFC 9449 §9)', async () => {
    const clock = { now: Date.now() };
    const p = ports(clock);
    const key = await dpopKey();
    const stale = (await refusal(verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU })], method: 'POST', uri: HTU }, 'token_endpoint'))).headers['DPoP-Nonce']!;
    const madeUp = await refusal(verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU, nonce: 'abc.def' })], method: 'POST', uri: HTU }, 'resource'));
    expect(madeUp).toMatchObject({ error: 'use_dpop_nonce', status: 401 });
    expect(madeUp.headers['WWW-Authenticate']).toMatch(/^DPoP error="use_dpop_nonce"/);
    clock.now += 10 * 60_000 + 1000;
    const iat = Math.floor(clock.now / 1000);
    const old = await refusal(verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU, iat, nonce: stale })], method: 'POST', uri: HTU }, 'token_endpoint'));
    expect(old.error).toBe('use_dpop_nonce');
    expect(old.headers['DPoP-Nonce']).not.toBe(stale);
  });

  it('asks for no nonce when DPOP_NONCES is off', async () => {
    const p = ports({ now: Date.now() }, 'false');
    const key = await dpopKey();
    expect(await verifyDpopProof(p, { headers: [await dpopProof(key, { htu: HTU })], method: 'POST', uri: HTU }, 'token_endpoint')).toBe(key.jkt);
  });
});
