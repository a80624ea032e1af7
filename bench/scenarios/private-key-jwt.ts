// (b) client_credentials with private_key_jwt (RFC 7523 §2.2): the load
// generator signs a fresh assertion, with a new jti, for every request.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { expectJson, StepError } from '../http.ts';
import type { LoadScenario } from '../load.ts';
import type { Target } from '../target.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function clientAssertion(target: Target): Promise<string> {
  const { clientId, kid, privateKey } = target.jwt;
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(target.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(privateKey);
}

export function privateKeyJwt(target: Target): LoadScenario<void> {
  return {
    prepare: async () => {},
    run: async () => {
      const res = await target.http.postForm(target.paths.token, {
        grant_type: 'client_credentials',
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await clientAssertion(target),
      });
      if (!expectJson<{ access_token?: string }>('token (private_key_jwt)', res).access_token) throw new StepError('no access_token');
    },
  };
}
