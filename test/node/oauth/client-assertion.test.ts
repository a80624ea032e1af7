// src/oauth/client-assertion.ts: RFC 7523 client assertions, checked against
// the audience-injection advisory (aud one value, ours) and bounded in lifetime.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientMetadataSchema } from '../../../src/clients/client-metadata.ts';
import type { Client } from '../../../src/clients/client.ts';
import { AssertionRejected, verifyClientAssertion } from '../../../src/oauth/client-assertion.ts';
import type { Ports } from '../../../src/ports.ts';

const ISSUER = 'https://id.example.nhs.uk';
const NOW = 1_800_000_000_000;
const MAX_AGE = 3600;

let privateKey: CryptoKey;
let client: Client;
const remembered = new Map<string, number>();

const ports = {
  now: () => NOW,
  config: { issuer: ISSUER, clientAssertionMaxAge: MAX_AGE },
  replay: {
    async firstUse(key: string, expiresAt: number) {
      if (remembered.has(key)) return false;
      remembered.set(key, expiresAt);
      return true;
    },
  },
} as unknown as Ports;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  client = {
    clientId: 'client-1',
    clientIdIssuedAt: 0,
    clientSecretHash: null,
    clientSecretSealed: null,
    clientSecretExpiresAt: 0,
    metadata: clientMetadataSchema.parse({
      redirect_uris: ['https://rp.example.com/cb'],
      token_endpoint_auth_method: 'private_key_jwt',
      // No kid on the key or the assertion, as Python Authlib sends them.
      jwks: { keys: [await exportJWK(pair.publicKey)] },
    }),
  };
});

interface Options {
  aud?: unknown;
  lifetime?: number;
  jti?: string;
}

async function assertion({ aud = `${ISSUER}/token`, lifetime = 60, jti = crypto.randomUUID() }: Options = {}): Promise<string> {
  const iat = Math.floor(NOW / 1000);
  return new SignJWT({ iss: client.clientId, sub: client.clientId, aud: aud as string, jti, iat, exp: iat + lifetime })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .sign(privateKey);
}

async function rejection(jwt: string): Promise<string> {
  try {
    await verifyClientAssertion(ports, client, jwt);
  } catch (err) {
    if (err instanceof AssertionRejected) return err.message;
    throw err;
  }
  throw new Error('the assertion was accepted');
}

describe('verifyClientAssertion: aud (RFC 7523 §3 item 3, the 2025 audience-injection advisory)', () => {
  it.each([
    ['the issuer identifier', ISSUER],
    ['the token endpoint URL', `${ISSUER}/token`],
    ['an array of exactly the issuer', [ISSUER]],
    ['an array of exactly the token endpoint', [`${ISSUER}/token`]],
  ])('accepts %s', async (_, aud) => {
    await expect(verifyClientAssertion(ports, client, await assertion({ aud }))).resolves.toBeUndefined();
  });

  it.each([
    ['an array that also names another party', [ISSUER, 'https://other-as.example']],
    ['an array naming both of our values', [ISSUER, `${ISSUER}/token`]],
    ['another endpoint of ours (introspection)', `${ISSUER}/introspect`],
    ['another server', 'https://other-as.example/token'],
    ['an empty array', []],
  ])('refuses %s', async (_, aud) => {
    expect(await rejection(await assertion({ aud }))).toMatch(/aud/);
  });
});

describe('verifyClientAssertion: exp and jti (RFC 7523 §3 items 4 and 7)', () => {
  it('accepts an assertion valid for CLIENT_ASSERTION_MAX_AGE (3,600 s, as Authlib signs them) and no kid', async () => {
    await expect(verifyClientAssertion(ports, client, await assertion({ lifetime: 3600 }))).resolves.toBeUndefined();
  });

  it('refuses an exp further ahead than CLIENT_ASSERTION_MAX_AGE', async () => {
    expect(await rejection(await assertion({ lifetime: MAX_AGE + 60 }))).toMatch(/3600 seconds/);
  });

  it("keeps the jti in the replay cache until the assertion's exp, and refuses it again", async () => {
    const jti = `long-${crypto.randomUUID()}`;
    const jwt = await assertion({ lifetime: 3600, jti });
    await verifyClientAssertion(ports, client, jwt);
    const [key, expiresAt] = [...remembered].find(([k]) => k.endsWith(jti))!;
    expect(key).toBe(`client_assertion:${client.clientId}:${jti}`);
    expect(expiresAt).toBeGreaterThanOrEqual(NOW + 3600 * 1000);
    expect(await rejection(jwt)).toMatch(/jti/);
  });
});
