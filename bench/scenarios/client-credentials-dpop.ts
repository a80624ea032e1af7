// (f) client_credentials with client_secret_basic and a DPoP proof (RFC 9449
// §5): the load generator signs a fresh proof, with a new jti, for every
// request, with one ES256 key; the answer must be a DPoP-bound token.
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { basicAuthorization, expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';

export function clientCredentialsDpop(target: Target): LoadScenario<void> {
  const authorization = basicAuthorization(target.basic.clientId, target.basic.clientSecret);
  let key: { privateKey: CryptoKey; jwk: JWK } | null = null;
  return {
    prepare: async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      key = { privateKey, jwk: await exportJWK(publicKey) };
    },
    run: async () => {
      const proof = await new SignJWT({ jti: randomUUID(), htm: 'POST', htu: target.tokenEndpoint, iat: Math.floor(Date.now() / 1000) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key!.jwk })
        .sign(key!.privateKey);
      const res = await target.http.postForm(target.paths.token, { grant_type: 'client_credentials' }, { authorization, dpop: proof });
      const body = expectJson<{ access_token?: string; token_type?: string }>('token (client_credentials, DPoP)', res);
      if (!body.access_token || body.token_type?.toLowerCase() !== 'dpop') throw new StepError('no DPoP-bound access_token');
    },
  };
}
