// private_key_jwt with a registered jwks_uri (RFC 7523 §2.2, RFC 7591 §2): the
// key set is fetched through the entry's outbound port, which on Deno checks
// every address the name resolves to; its refusal is an invalid_client that says why.
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { OutboundAddressRefused } from '../../../src/clients/resolved-address.ts';
import { CLIENT_ASSERTION_TYPE, clientAssertion, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { testApp } from '../../support/worker/test-app.ts';

async function jwksUriClient(): Promise<{ client: TestClient; jwks: { keys: unknown[] } }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${crypto.randomUUID().slice(0, 8)}`;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const client = await registerWebClient({
    token_endpoint_auth_method: 'private_key_jwt',
    jwks_uri: `https://keys-${crypto.randomUUID()}.rp.example/jwks.json`,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    scope: 'pds:read',
  });
  return { client: { ...client, signingKey: { alg: 'ES256', kid, privateKey } }, jwks };
}

async function clientCredentialsToken(app: ReturnType<typeof testApp>, client: TestClient): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await clientAssertion(client) });
  return app.fetch(new Request('http://localhost:8787/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
}

describe('fetching a client\'s jwks_uri through the outbound port', () => {
  it('fetches the key set with the entry\'s outbound fetch and accepts an assertion it verifies', async () => {
    const { client, jwks } = await jwksUriClient();
    const fetched: string[] = [];
    const app = testApp({
      outboundFetch: async (input) => {
        fetched.push(input instanceof Request ? input.url : String(input));
        return Response.json(jwks);
      },
    });
    const res = await clientCredentialsToken(app, client);
    expect(res.status).toBe(200);
    expect(fetched).toEqual([client.jwks_uri]);
  });

  it('answers invalid_client naming the refusal when the port will not reach the jwks_uri\'s address (SSRF)', async () => {
    const { client } = await jwksUriClient();
    const host = new URL(client.jwks_uri as string).hostname;
    const app = testApp({
      outboundFetch: async () => {
        throw new OutboundAddressRefused(`${host} resolves to a private, link-local or internal address (10.0.0.7)`);
      },
    });
    const res = await clientCredentialsToken(app, client);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/jwks_uri may not be fetched: .*\(10\.0\.0\.7\)/) });
  });
});
